"""Checking run config before a launch (Dagster's ``isPipelineConfigValid``): the launchpad shows the
errors inline as the user types. The code location checks it (``LocationClient.run_request``): the same
check a launch makes, without creating a run.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from headwater.locations.client.errors import LocationConfigError, LocationError, LocationRequestError
from headwater.webserver.context import REPOSITORY_NAME, RequestContext
from headwater.webserver.graphql.errors import (
    ConfigValidationError,
    InvalidSubsetError,
    PipelineNotFoundError,
    PythonError,
    RunConfigValidationInvalid,
    reason_for,
)
from headwater.webserver.graphql.jobs import PipelineSelector
from headwater.webserver.graphql.launch_inputs import parse_run_config


@strawberry.type(description="The run config fits the job's config schema.")
class PipelineConfigValidationValid:
    pipeline_name: str


ConfigValidationResult = Annotated[
    PipelineConfigValidationValid
    | RunConfigValidationInvalid
    | PipelineNotFoundError
    | InvalidSubsetError
    | PythonError,
    strawberry.union("PipelineConfigValidationResult"),
]


def _invalid(job: str, errors: list[ConfigValidationError], message: str) -> RunConfigValidationInvalid:
    return RunConfigValidationInvalid(pipeline_name=job, errors=errors, message=message)


def check_run_config(
    ctx: RequestContext, pipeline: PipelineSelector, run_config_data: Any
) -> (
    PipelineConfigValidationValid
    | RunConfigValidationInvalid
    | PipelineNotFoundError
    | InvalidSubsetError
    | PythonError
):
    """The run config checked against the job by its location's code."""
    location = pipeline.repository_location_name
    name = pipeline.name or ""
    spec = ctx.location_spec(location) if location in ctx.location_names() else None
    if spec is None or name not in spec.job_names or pipeline.repository_name != REPOSITORY_NAME:
        return PipelineNotFoundError(
            message=f"No job {name!r} in a loaded location {location!r}.",
            pipeline_name=name,
            repository_name=pipeline.repository_name,
            repository_location_name=location,
        )
    config = parse_run_config(run_config_data)
    if isinstance(config, str):
        return _invalid(name, [ConfigValidationError(message=config, path=[], reason=reason_for(""))], config)
    try:
        ctx.server.workspace.client(location).run_request(
            job=name, op_selection=pipeline.solid_selection, run_config=config
        )
    except LocationConfigError as exc:
        errors = [
            ConfigValidationError(
                message=str(e.get("message", "")),
                path=[str(p) for p in e.get("path", []) or []],  # type: ignore[attr-defined]
                reason=reason_for(str(e.get("message", ""))),
            )
            for e in exc.errors
        ]
        return _invalid(name, errors, str(exc))
    except LocationRequestError as exc:
        return InvalidSubsetError(message=str(exc))
    except LocationError as exc:
        return PythonError.from_traceback(str(exc), getattr(exc, "user_traceback", None), type(exc).__name__)
    return PipelineConfigValidationValid(pipeline_name=name)
