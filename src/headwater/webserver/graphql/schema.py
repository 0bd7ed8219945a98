"""The schema: queries, mutations and the subscription, over the types of this package.

``python -m headwater.webserver.graphql.schema --write`` prints it to ``webserver/schema.graphql``
(checked in; ``--check`` exits 1 when that file is stale, and a test does the same).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import strawberry

from headwater.storage.backfills import BulkActionStatus
from headwater.storage.records import decode_cursor
from headwater.webserver.context import REPOSITORY_NAME, as_context
from headwater.webserver.graphql import asset_catalog, automation, subscriptions
from headwater.webserver.graphql import instigator_mutations as im
from headwater.webserver.graphql.asset_catalog import AssetCatalogPage, AssetFilter, AssetNodeConnection
from headwater.webserver.graphql.asset_keys import AssetKey, AssetKeyInput
from headwater.webserver.graphql.assets import (
    Asset,
    AssetConnection,
    AssetNode,
    AssetNodeOrError,
    AssetOrError,
    AssetsOrError,
)
from headwater.webserver.graphql.backfills import (
    PartitionBackfillOrError,
    PartitionBackfillsOrError,
    backfills_page,
    one_backfill,
)
from headwater.webserver.graphql.compute_logs import CapturedLogs, read_captured_logs
from headwater.webserver.graphql.config_check import ConfigValidationResult, check_run_config
from headwater.webserver.graphql.errors import (
    AssetNotFoundError,
    InvalidRequestError,
    PipelineNotFoundError,
    PythonError,
    RepositoryNotFoundError,
    or_python_error,
    run_not_found,
)
from headwater.webserver.graphql.instance import Instance
from headwater.webserver.graphql.instigators import Schedule, Sensor
from headwater.webserver.graphql.jobs import Job, JobOrError, PipelineSelector
from headwater.webserver.graphql.limits import page_size
from headwater.webserver.graphql.locations import (
    RepositoriesOrError,
    Repository,
    RepositoryConnection,
    Workspace,
    WorkspaceLocationEntry,
    WorkspaceOrError,
)
from headwater.webserver.graphql.mutations import Mutation
from headwater.webserver.graphql.run_config_schema import RunConfigSchemaOrError, run_config_schema
from headwater.webserver.graphql.runs import (
    EventConnectionOrError,
    Run,
    RunOrError,
    Runs,
    RunsFilter,
    RunsOrError,
)
from headwater.webserver.graphql.scalars import RunConfigData
from headwater.webserver.graphql.subscriptions import PipelineRunLogsSubscriptionPayload

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


@strawberry.input(description="A location's repository (each location has one: __repository__).")
class RepositorySelector:
    repository_location_name: str
    repository_name: str = REPOSITORY_NAME


@strawberry.type(description="Schedules of the loaded locations.")
class Schedules:
    results: list[Schedule]


@strawberry.type(description="Sensors of the loaded locations.")
class Sensors:
    results: list[Sensor]


@strawberry.type
class Query:
    @strawberry.field(description="Headwater's version.")
    def version(self) -> str:
        from importlib.metadata import version

        return version("headwater")

    @strawberry.field(description="The instance: storage, run launcher and queue.")
    def instance(self) -> Instance:
        return Instance()

    # -- code locations ---------------------------------------------------------------------------------
    @strawberry.field(description="Every code location, loaded or with its load error.")
    def workspace_or_error(self) -> WorkspaceOrError:
        return Workspace()

    @strawberry.field(description="One workspace entry.")
    def workspace_location_entry_or_error(
        self, info: strawberry.Info, name: str
    ) -> WorkspaceLocationEntry | None:
        ctx = as_context(info.context)
        return WorkspaceLocationEntry(state=ctx.location(name)) if name in ctx.location_names() else None

    @strawberry.field(description="The repositories of every loaded location (Dagster's query).")
    def repositories_or_error(self, info: strawberry.Info) -> RepositoriesOrError:
        ctx = as_context(info.context)
        return RepositoryConnection(
            nodes=[Repository(spec=spec, location_name=name) for name, spec in ctx.loaded_locations()]
        )

    @strawberry.field
    def repository_or_error(
        self, info: strawberry.Info, repository_selector: RepositorySelector
    ) -> Repository | RepositoryNotFoundError | PythonError:
        ctx = as_context(info.context)
        name = repository_selector.repository_location_name
        spec = ctx.location_spec(name) if name in ctx.location_names() else None
        if spec is None or repository_selector.repository_name != REPOSITORY_NAME:
            return RepositoryNotFoundError(
                message=f"No loaded repository {repository_selector.repository_name!r} in location {name!r}.",
                repository_name=repository_selector.repository_name,
                repository_location_name=name,
            )
        return Repository(spec=spec, location_name=name)

    # -- jobs -------------------------------------------------------------------------------------------
    @strawberry.field(description="A job and its op graph (Dagster's query name).")
    def pipeline_or_error(self, info: strawberry.Info, params: PipelineSelector) -> JobOrError:
        ctx = as_context(info.context)
        location = params.repository_location_name
        spec = ctx.location_spec(location) if location in ctx.location_names() else None
        name = params.name or ""
        if spec is None or name not in spec.job_names:
            return PipelineNotFoundError(
                message=f"No job {name!r} in location {location!r}.",
                pipeline_name=name,
                repository_name=params.repository_name,
                repository_location_name=location,
            )
        return Job(spec=spec.job(name), location_name=location)

    @strawberry.field(description="Check run config against a job without launching it (the launchpad).")
    def is_pipeline_config_valid(
        self,
        info: strawberry.Info,
        pipeline: PipelineSelector,
        run_config_data: RunConfigData | None = None,  # type: ignore[valid-type]
    ) -> ConfigValidationResult:
        return check_run_config(as_context(info.context), pipeline, run_config_data)

    @strawberry.field(
        description="A step's captured stdout/stderr; logKey: [runId, \"compute_logs\", stepKey] (Dagster's)."
    )
    def captured_logs(
        self, info: strawberry.Info, log_key: list[str], cursor: str | None = None, limit: int | None = None
    ) -> CapturedLogs:
        storage = as_context(info.context).server.instance.storage_directory()
        return read_captured_logs(storage, log_key, cursor, limit)

    @strawberry.field(description="A job's run config defaults and scaffold (the launchpad starts from it).")
    def run_config_schema_or_error(
        self, info: strawberry.Info, selector: PipelineSelector, mode: str | None = None
    ) -> RunConfigSchemaOrError:
        return run_config_schema(as_context(info.context), selector)

    # -- assets -----------------------------------------------------------------------------------------
    @strawberry.field(description="Asset definitions, filtered, sorted by key and paged (cursor: a key).")
    def asset_nodes(
        self,
        info: strawberry.Info,
        filter: AssetFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AssetNodeConnection | InvalidRequestError | PythonError:
        return asset_catalog.select(as_context(info.context), filter, cursor, limit)

    @strawberry.field(
        description="The asset catalog as compact rows (see AssetCatalogPage): the same filter and "
        "paging as assetNodes, for lists of thousands of assets."
    )
    def asset_catalog(
        self,
        info: strawberry.Info,
        filter: AssetFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AssetCatalogPage | InvalidRequestError | PythonError:
        return asset_catalog.catalog_page(as_context(info.context), filter, cursor, limit)

    @strawberry.field(description="One asset's definition.")
    def asset_node_or_error(self, info: strawberry.Info, asset_key: AssetKeyInput) -> AssetNodeOrError:
        found = as_context(info.context).asset_node(asset_key.to_key())
        if found is None:
            return AssetNotFoundError(message=f"No asset {asset_key.to_key().to_user_string()!r} is defined.")
        return AssetNode.of(*found)

    @strawberry.field(description="Asset keys known to storage or defined, sorted, paged (cursor: a key).")
    def assets_or_error(
        self,
        info: strawberry.Info,
        prefix: list[str] | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AssetsOrError:
        ctx = as_context(info.context)
        stored = set(ctx.storage.event_store.get_asset_keys(prefix))
        defined = {k for k in ctx.asset_nodes() if not prefix or list(k.path[: len(prefix)]) == prefix}
        keys = sorted(((k.to_string(), k) for k in stored | defined), key=lambda item: item[0])
        if cursor:
            keys = [item for item in keys if item[0] > cursor]
        page = keys[: page_size(limit, default=1000)]
        return AssetConnection(
            nodes=[Asset(key=AssetKey.of(k)) for _, k in page], cursor=page[-1][0] if page else cursor
        )

    @strawberry.field(
        description="An asset's (or, with assetCheckName, a check's) automation condition evaluations, "
        "newest first, each with its result tree (cursor: the id of the last record seen)."
    )
    def asset_condition_evaluation_records_or_error(
        self,
        info: strawberry.Info,
        asset_key: AssetKeyInput,
        asset_check_name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> automation.AssetConditionEvaluationRecordsOrError:
        entity = asset_key.to_key().to_user_string()
        if asset_check_name is not None:
            entity = f"{entity}:{asset_check_name}"
        return automation.evaluation_records(as_context(info.context), entity, limit, cursor)

    @strawberry.field(description="The newest automation evaluation of every asset and check evaluated.")
    def latest_automation_evaluations(
        self, info: strawberry.Info
    ) -> list[automation.AssetConditionEvaluationRecord]:
        return automation.latest_evaluations(as_context(info.context))

    @strawberry.field(description="One asset and its history.")
    def asset_or_error(self, info: strawberry.Info, asset_key: AssetKeyInput) -> AssetOrError:
        ctx = as_context(info.context)
        key = asset_key.to_key()
        if ctx.asset_node(key) is None and not ctx.storage.event_store.has_asset_key(key):
            return AssetNotFoundError(message=f"No asset {key.to_user_string()!r}.")
        return Asset(key=AssetKey.of(key))

    # -- runs -------------------------------------------------------------------------------------------
    @strawberry.field(description="Runs, newest first, filtered and paged (cursor: the last run id seen).")
    def runs_or_error(
        self,
        info: strawberry.Info,
        filter: RunsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> RunsOrError:
        store = as_context(info.context).storage.run_store
        try:
            runs_filter = filter.to_filter() if filter is not None else None
        except (TypeError, ValueError) as exc:
            return InvalidRequestError(message=str(exc))
        size = page_size(limit, default=100)
        records = store.get_run_records(runs_filter, limit=size + 1, cursor=cursor)
        page = list(records[:size])
        return Runs(
            results=[Run.of(r) for r in page],
            cursor=page[-1].dagster_run.run_id if page else cursor,
            has_more=len(records) > size,
            runs_filter=runs_filter,
        )

    @strawberry.field(description="One run.")
    def run_or_error(self, info: strawberry.Info, run_id: strawberry.ID) -> RunOrError:
        record = as_context(info.context).storage.run_store.get_run_record(str(run_id))
        return Run.of(record) if record is not None else run_not_found(str(run_id))

    @strawberry.field(description="Dagster's name of runOrError.")
    def pipeline_run_or_error(self, info: strawberry.Info, run_id: strawberry.ID) -> RunOrError:
        record = as_context(info.context).storage.run_store.get_run_record(str(run_id))
        return Run.of(record) if record is not None else run_not_found(str(run_id))

    @strawberry.field(description="A page of a run's events (afterCursor: the cursor of the last one seen).")
    def logs_for_run(
        self,
        info: strawberry.Info,
        run_id: strawberry.ID,
        after_cursor: str | None = None,
        limit: int | None = None,
    ) -> EventConnectionOrError:
        from headwater.webserver.graphql.runs import event_page

        ctx = as_context(info.context)
        if not ctx.storage.run_store.has_run(str(run_id)):
            return run_not_found(str(run_id))
        try:
            decode_cursor(after_cursor)
        except ValueError as exc:
            return PythonError(message=str(exc), stack=[], class_name="ValueError")
        return event_page(info, str(run_id), after_cursor, limit)

    # -- schedules, sensors (their state: instigator_mutations), backfills -------------------------------
    @strawberry.field(description="Schedules of the loaded locations.")
    def schedules_or_error(self, info: strawberry.Info) -> Schedules | PythonError:
        ctx = as_context(info.context)
        return Schedules(
            results=[
                Schedule(spec=s, location_name=n)
                for n, spec in ctx.loaded_locations()
                for s in spec.schedules
            ]
        )

    @strawberry.field(description="Sensors of the loaded locations.")
    def sensors_or_error(self, info: strawberry.Info) -> Sensors | PythonError:
        ctx = as_context(info.context)
        return Sensors(
            results=[
                Sensor(spec=s, location_name=n) for n, spec in ctx.loaded_locations() for s in spec.sensors
            ]
        )

    @strawberry.field(description="One schedule (Dagster's scheduleOrError).")
    def schedule_or_error(
        self, info: strawberry.Info, schedule_selector: im.ScheduleSelector
    ) -> im.ScheduleOrError:
        sel = schedule_selector
        return im.find_schedule(
            as_context(info.context), sel.repository_location_name, sel.repository_name, sel.schedule_name
        )

    @strawberry.field(description="One sensor (Dagster's sensorOrError).")
    def sensor_or_error(self, info: strawberry.Info, sensor_selector: im.SensorSelector) -> im.SensorOrError:
        sel = sensor_selector
        return im.find_sensor(
            as_context(info.context), sel.repository_location_name, sel.repository_name, sel.sensor_name
        )

    @strawberry.field(description="A schedule's or sensor's state and ticks.")
    def instigation_state_or_error(
        self, info: strawberry.Info, instigation_selector: im.InstigationSelector
    ) -> im.InstigationStateOrError:
        return im.instigation_state_of(as_context(info.context), instigation_selector)

    @strawberry.field(description="Backfills, newest first (cursor: a backfill id to continue after).")
    @or_python_error
    def partition_backfills_or_error(
        self,
        info: strawberry.Info,
        cursor: str | None = None,
        limit: int | None = None,
        status: BulkActionStatus | None = None,
    ) -> PartitionBackfillsOrError:
        return backfills_page(as_context(info.context), cursor, limit, status)

    @strawberry.field(description="One backfill and where each of its assets stands.")
    @or_python_error
    def partition_backfill_or_error(
        self, info: strawberry.Info, backfill_id: str
    ) -> PartitionBackfillOrError:
        return one_backfill(as_context(info.context), backfill_id)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="A run's events as they are stored, in batches, until it ends.")
    async def pipeline_run_logs(
        self, info: strawberry.Info, run_id: strawberry.ID, cursor: str | None = None
    ) -> AsyncIterator[PipelineRunLogsSubscriptionPayload]:
        storage = as_context(info.context).storage
        async for payload in subscriptions.pipeline_run_logs(storage, str(run_id), cursor):
            yield payload


def build_schema(extra_extensions: tuple[Any, ...] = ()) -> strawberry.Schema:
    from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

    from headwater.webserver.graphql.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS

    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        *extra_extensions,
    ]
    from strawberry.schema.config import StrawberryConfig

    from headwater.webserver.graphql.scalars import SCALAR_MAP

    return strawberry.Schema(
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
    )


def schema_text() -> str:
    return build_schema().as_str().rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = schema_text()
    if "--write" in argv:
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        return 0
    if "--check" in argv:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            print(f"{SCHEMA_FILE} is stale: run python -m headwater.webserver.graphql.schema --write")
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
