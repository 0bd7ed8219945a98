"""The inputs and results of launching runs (Dagster's ``ExecutionParams`` and ``LaunchRunResult``,
plus Headwater's ``MaterializeParams``)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
import yaml

from headwater.webserver.context import REPOSITORY_NAME
from headwater.webserver.graphql.asset_keys import AssetKeyInput
from headwater.webserver.graphql.errors import (
    ConflictingExecutionParamsError,
    Error,
    InvalidOutputError,
    InvalidStepError,
    InvalidSubsetError,
    PipelineNotFoundError,
    PresetNotFoundError,
    PythonError,
    RunConfigValidationInvalid,
    RunConflict,
    RunNotFoundError,
    UnauthorizedError,
)
from headwater.webserver.graphql.runs import Run
from headwater.webserver.graphql.scalars import RunConfigData
from headwater.webserver.graphql.tags import ExecutionTag


@strawberry.input(description="Which job to run, or which assets (Dagster's ExecutionSelector).")
class ExecutionSelector:
    repository_location_name: str
    repository_name: str = REPOSITORY_NAME
    pipeline_name: str | None = None
    job_name: str | None = None
    solid_selection: list[str] | None = strawberry.field(default=None, description="Op names to run.")
    asset_selection: list[AssetKeyInput] | None = strawberry.field(
        default=None, description="Assets to materialize (with no job name: an ad-hoc asset run)."
    )

    @property
    def name(self) -> str | None:
        return self.job_name or self.pipeline_name


@strawberry.input(description="A run's id, tags and lineage.")
class ExecutionMetadata:
    run_id: str | None = None
    tags: list[ExecutionTag] | None = None
    root_run_id: str | None = None
    parent_run_id: str | None = None


@strawberry.input(description="What to run and how (Dagster's ExecutionParams).")
class ExecutionParams:
    selector: ExecutionSelector
    run_config_data: RunConfigData | None = None  # type: ignore[valid-type]
    mode: str | None = None
    execution_metadata: ExecutionMetadata | None = None
    step_keys: list[str] | None = None
    preset: str | None = None


@strawberry.input(description="A range of partition keys (inclusive) for one run.")
class PartitionRangeInput:
    start: str
    end: str


@strawberry.input(description="Assets to materialize in one run (Headwater's; Dagster uses launchRun).")
class MaterializeParams:
    asset_keys: list[AssetKeyInput] | None = None
    selection: str | None = strawberry.field(default=None, description="Dagster's selection syntax.")
    repository_location_name: str | None = None
    partition_key: str | None = None
    partition_range: PartitionRangeInput | None = None
    run_config_data: RunConfigData | None = None  # type: ignore[valid-type]
    tags: list[ExecutionTag] | None = None


@strawberry.enum(description="Which steps a re-execution runs.")
class ReexecutionStrategy(Enum):
    ALL_STEPS = "ALL_STEPS"
    FROM_FAILURE = "FROM_FAILURE"


@strawberry.input(description="Re-execute a finished run (stepKeys: exactly those steps of it).")
class ReexecutionParams:
    parent_run_id: str
    strategy: ReexecutionStrategy = ReexecutionStrategy.ALL_STEPS
    extra_tags: list[ExecutionTag] | None = None
    use_parent_run_tags: bool | None = None
    step_keys: list[str] | None = strawberry.field(
        default=None, description="Headwater's: re-execute exactly these steps (overrides strategy)."
    )


@strawberry.interface(description="Dagster's name (LaunchRunSuccess implements it).")
class LaunchPipelineRunSuccess:
    run: Run


@strawberry.type(description="The run was created and handed to the run coordinator.")
class LaunchRunSuccess(LaunchPipelineRunSuccess):
    pass


@strawberry.type(description="The run cannot be re-executed now (it is still running, or nothing failed).")
class ReexecutionNotPossibleError(Error):
    pass


LaunchRunResult = Annotated[
    LaunchRunSuccess
    | InvalidStepError
    | InvalidOutputError
    | RunConfigValidationInvalid
    | PipelineNotFoundError
    | RunConflict
    | UnauthorizedError
    | PythonError
    | InvalidSubsetError
    | PresetNotFoundError
    | ConflictingExecutionParamsError,
    strawberry.union("LaunchRunResult"),
]

LaunchRunReexecutionResult = Annotated[
    LaunchRunSuccess
    | InvalidStepError
    | RunNotFoundError
    | ReexecutionNotPossibleError
    | RunConflict
    | UnauthorizedError
    | PythonError
    | InvalidSubsetError
    | ConflictingExecutionParamsError,
    strawberry.union("LaunchRunReexecutionResult"),
]


def parse_run_config(value: Any) -> dict[str, Any] | str:
    """Run config given as an object or a YAML/JSON string; a message (str) when it is neither."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value) if value.strip() else {}
        except yaml.YAMLError as exc:
            return f"runConfigData is not valid YAML or JSON: {exc}"
    if value is None:
        return {}
    if not isinstance(value, dict):
        return f"runConfigData must be an object (or its YAML); got {type(value).__name__}."
    return value
