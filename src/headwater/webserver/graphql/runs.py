"""Runs: ``Run`` over a stored ``RunRecord``, the ``RunsFilter`` input, pages of runs, step stats."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import strawberry
import yaml

from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus as CoreRunStatus
from headwater.storage.runs import RunRecord
from headwater.storage.runs import RunsFilter as CoreRunsFilter
from headwater.webserver.context import REPOSITORY_NAME, as_context
from headwater.webserver.graphql.asset_keys import AssetKey
from headwater.webserver.graphql.compute_logs import ComputeLogs, captured_step_keys, read_compute_logs
from headwater.webserver.graphql.errors import InvalidRequestError, PythonError, RunNotFoundError
from headwater.webserver.graphql.events import EventConnection, RunEvent
from headwater.webserver.graphql.limits import page_size
from headwater.webserver.graphql.scalars import RunConfigData
from headwater.webserver.graphql.tags import ExecutionTag, PipelineTag, pipeline_tags

RunStatus = strawberry.enum(CoreRunStatus, name="RunStatus", description="A run's lifecycle state.")

#: The tag the webserver writes on the runs it launches: the code location they came from.
LOCATION_TAG = "headwater/location_name"


@strawberry.type(description="Where a run's code came from.")
class RepositoryOrigin:
    repository_location_name: str
    repository_name: str


@strawberry.enum(description="How a step ended (or that it is still running).")
class StepEventStatus(Enum):
    SKIPPED = "SKIPPED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    IN_PROGRESS = "IN_PROGRESS"


@strawberry.type(description="One step of a run: its status, times (epoch seconds) and attempts.")
class RunStepStats:
    step_key: str
    status: StepEventStatus | None
    start_time: float | None
    end_time: float | None
    attempts: int
    materializations: int
    expectation_results: int


_STEP_EVENTS = frozenset(
    {
        EventType.STEP_START,
        EventType.STEP_SUCCESS,
        EventType.STEP_FAILURE,
        EventType.STEP_SKIPPED,
        EventType.STEP_RESTARTED,
        EventType.STEP_UP_FOR_RETRY,
        EventType.ASSET_MATERIALIZATION,
        EventType.STEP_EXPECTATION_RESULT,
    }
)
_END = {
    EventType.STEP_SUCCESS: StepEventStatus.SUCCESS,
    EventType.STEP_FAILURE: StepEventStatus.FAILURE,
    EventType.STEP_SKIPPED: StepEventStatus.SKIPPED,
}


@strawberry.interface(description="Dagster's name of a run (Run implements it).")
class PipelineRun:
    run_id: str
    status: RunStatus  # type: ignore[valid-type]


@strawberry.type(description="A run of a job: what it executes, its status and times, its events.")
class Run(PipelineRun):
    record: strawberry.Private[RunRecord]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.run_id)

    @strawberry.field
    def job_name(self) -> str:
        return self.record.dagster_run.job_name

    @strawberry.field(description="Dagster's name of jobName.")
    def pipeline_name(self) -> str:
        return self.record.dagster_run.job_name

    @strawberry.field
    def mode(self) -> str:
        return "default"

    @strawberry.field(description="The run config as given (a JSON object).")
    def run_config(self) -> RunConfigData:
        return RunConfigData(dict(self.record.dagster_run.run_config))

    @strawberry.field
    def run_config_yaml(self) -> str:
        config = json.loads(json.dumps(dict(self.record.dagster_run.run_config), default=str))
        return yaml.safe_dump(config, sort_keys=True) if config else ""

    @strawberry.field
    def tags(self) -> list[PipelineTag]:
        return pipeline_tags(self.record.dagster_run.tags)

    @strawberry.field
    def asset_selection(self) -> list[AssetKey] | None:
        keys = self.record.dagster_run.asset_selection
        if keys is None:
            return None
        return [AssetKey.of(k) for k in sorted(keys, key=lambda k: k.path)]

    @strawberry.field
    def step_keys_to_execute(self) -> list[str] | None:
        keys = self.record.dagster_run.step_keys_to_execute
        return list(keys) if keys is not None else None

    @strawberry.field
    def parent_run_id(self) -> str | None:
        return self.record.dagster_run.parent_run_id

    @strawberry.field
    def root_run_id(self) -> str | None:
        return self.record.dagster_run.root_run_id

    @strawberry.field(description="The partition key the run targets, if any.")
    def partition(self) -> str | None:
        return self.record.dagster_run.partition

    @strawberry.field(description="When the run was created (epoch seconds).")
    def creation_time(self) -> float:
        return self.record.create_timestamp.timestamp()

    @strawberry.field(description="When the run last changed (epoch seconds).")
    def update_time(self) -> float:
        return self.record.update_timestamp.timestamp()

    @strawberry.field(description="When the run started (epoch seconds).")
    def start_time(self) -> float | None:
        return self.record.start_time

    @strawberry.field(description="When the run ended (epoch seconds).")
    def end_time(self) -> float | None:
        return self.record.end_time

    @strawberry.field
    def can_terminate(self) -> bool:
        return self.record.dagster_run.is_cancelable

    @strawberry.field
    def repository_origin(self) -> RepositoryOrigin | None:
        name = self.record.dagster_run.tags.get(LOCATION_TAG)
        if name is None:
            return None
        return RepositoryOrigin(repository_location_name=name, repository_name=REPOSITORY_NAME)

    @strawberry.field(description="A page of the run's events, oldest first.")
    def event_connection(
        self, info: strawberry.Info, after_cursor: str | None = None, limit: int | None = None
    ) -> EventConnection:
        return event_page(info, self.run_id, after_cursor, limit)

    @strawberry.field(description="Each step's status, times and attempts, from the run's events.")
    def step_stats(self, info: strawberry.Info) -> list[RunStepStats]:
        return step_stats(info, self.run_id)

    @strawberry.field(description="What the run worker wrote to stdout/stderr (null: not captured).")
    def compute_logs(self, info: strawberry.Info, max_bytes: int | None = None) -> ComputeLogs | None:
        root = as_context(info.context).server.instance.root_directory
        return read_compute_logs(root, self.run_id, max_bytes)

    @strawberry.field(description="The steps whose stdout/stderr was captured (capturedLogs reads them).")
    def captured_log_step_keys(self, info: strawberry.Info) -> list[str]:
        return captured_step_keys(as_context(info.context).server.instance.storage_directory(), self.run_id)

    @staticmethod
    def of(record: RunRecord) -> Run:
        run = record.dagster_run
        return Run(record=record, run_id=run.run_id, status=run.status)


def event_page(
    info: strawberry.Info, run_id: str, after_cursor: str | None, limit: int | None
) -> EventConnection:
    store = as_context(info.context).storage.event_store
    size = page_size(limit, default=1000)
    page = store.get_records_for_run(run_id, after_cursor or None, limit=size)
    return EventConnection(
        events=[RunEvent.of(r) for r in page.records], cursor=page.cursor, has_more=page.has_more
    )


def step_stats(info: strawberry.Info, run_id: str) -> list[RunStepStats]:
    store = as_context(info.context).storage.event_store
    stats: dict[str, RunStepStats] = {}
    for entry in store.get_logs_for_run(run_id, of_type=_STEP_EVENTS):
        event = entry.dagster_event
        key = entry.step_key or (event.step_key if event is not None else None)
        if event is None or key is None:
            continue
        stat = stats.get(key)
        if stat is None:
            stat = stats[key] = RunStepStats(
                step_key=key,
                status=None,
                start_time=None,
                end_time=None,
                attempts=0,
                materializations=0,
                expectation_results=0,
            )
        kind = event.event_type
        if kind in (EventType.STEP_START, EventType.STEP_RESTARTED):
            stat.attempts += 1
            stat.status = StepEventStatus.IN_PROGRESS
            if stat.start_time is None:
                stat.start_time = entry.timestamp
        elif kind in _END:
            stat.status = _END[kind]
            stat.end_time = entry.timestamp
        elif kind is EventType.ASSET_MATERIALIZATION:
            stat.materializations += 1
        elif kind is EventType.STEP_EXPECTATION_RESULT:
            stat.expectation_results += 1
    return list(stats.values())


@strawberry.input(description="Which runs to list; every field given must match.")
class RunsFilter:
    run_ids: list[str] | None = None
    job_name: str | None = None
    pipeline_name: str | None = strawberry.field(default=None, description="Dagster's name of jobName.")
    statuses: list[RunStatus] | None = None  # type: ignore[valid-type]
    tags: list[ExecutionTag] | None = None
    snapshot_id: str | None = None
    updated_after: float | None = None
    updated_before: float | None = None
    created_after: float | None = None
    created_before: float | None = None

    def to_filter(self) -> CoreRunsFilter:
        from datetime import UTC, datetime

        def at(value: float | None) -> datetime | None:
            return datetime.fromtimestamp(value, UTC) if value is not None else None

        tags: dict[str, str | list[str]] = {}
        for tag in self.tags or ():
            seen = tags.get(tag.key)
            if seen is None:
                tags[tag.key] = tag.value
            else:
                tags[tag.key] = [*([seen] if isinstance(seen, str) else seen), tag.value]
        return CoreRunsFilter(
            run_ids=self.run_ids or None,
            job_name=self.job_name or self.pipeline_name,
            statuses=list(self.statuses or ()),
            tags=tags,
            snapshot_id=self.snapshot_id,
            updated_after=at(self.updated_after),
            updated_before=at(self.updated_before),
            created_after=at(self.created_after),
            created_before=at(self.created_before),
        )


@strawberry.type(description="A page of runs, newest first; pass the last run's id as cursor for more.")
class Runs:
    results: list[Run]
    cursor: str | None
    has_more: bool

    @strawberry.field(description="How many runs match the filter (all pages).")
    def count(self, info: strawberry.Info) -> int:
        return as_context(info.context).storage.run_store.get_runs_count(self.runs_filter)

    runs_filter: strawberry.Private[CoreRunsFilter | None]


RunsOrError = Annotated[Runs | InvalidRequestError | PythonError, strawberry.union("RunsOrError")]
RunOrError = Annotated[Run | RunNotFoundError | PythonError, strawberry.union("RunOrError")]
EventConnectionOrError = Annotated[
    EventConnection | RunNotFoundError | PythonError, strawberry.union("EventConnectionOrError")
]
