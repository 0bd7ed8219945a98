"""Schedules and sensors: their definitions come from the location's spec; their state (running or
stopped, a sensor's cursor) and ticks from the instigator store (Dagster's ``InstigationState`` and
``InstigationTick``). The mutations that change them are in ``instigator_mutations``."""

from __future__ import annotations

import heapq
import time
from enum import Enum
from typing import Annotated

import strawberry

from headwater.selection.cron import cron_schedule
from headwater.specs.location import ScheduleSpec, SensorSpec
from headwater.storage.instigators import (
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickStatus,
    selector_id,
)
from headwater.storage.protocols import InstigatorStore
from headwater.webserver.context import REPOSITORY_NAME, as_context
from headwater.webserver.graphql.errors import PythonError
from headwater.webserver.graphql.tags import PipelineTag, pipeline_tags


@strawberry.enum(description="Whether a schedule or sensor is running.")
class InstigationStatus(Enum):
    RUNNING = "RUNNING"
    STOPPED = "STOPPED"
    DECLARED_IN_CODE = "DECLARED_IN_CODE"


@strawberry.enum(description="A schedule or a sensor.")
class InstigationType(Enum):
    SCHEDULE = "SCHEDULE"
    SENSOR = "SENSOR"


@strawberry.enum(description="How a tick ended.")
class InstigationTickStatus(Enum):
    STARTED = "STARTED"
    SKIPPED = "SKIPPED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


@strawberry.type(description="One evaluation of a schedule or sensor by the daemon.")
class InstigationTick:
    tick: strawberry.Private[InstigatorTick]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.tick.tick_id))

    @strawberry.field
    def tick_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.tick.tick_id))

    @strawberry.field
    def status(self) -> InstigationTickStatus:
        return InstigationTickStatus(self.tick.status.value)

    @strawberry.field(description="The tick's time: a schedule's scheduled time, a sensor's evaluation time.")
    def timestamp(self) -> float:
        return self.tick.timestamp

    @strawberry.field
    def end_timestamp(self) -> float | None:
        return self.tick.end_timestamp

    @strawberry.field
    def run_ids(self) -> list[str]:
        return list(self.tick.run_ids)

    @strawberry.field
    def run_keys(self) -> list[str]:
        return list(self.tick.run_keys)

    @strawberry.field(description="Run keys requested again: a run with that key exists already.")
    def skipped_run_keys(self) -> list[str]:
        return list(self.tick.tick_data.skipped_run_keys)

    @strawberry.field
    def skip_reason(self) -> str | None:
        return self.tick.skip_reason

    @strawberry.field
    def cursor(self) -> str | None:
        return self.tick.cursor

    @strawberry.field(description="The evaluation's error, with the user's traceback as the stack.")
    def error(self) -> PythonError | None:
        error = self.tick.error
        if error is None:
            return None
        return PythonError.from_traceback(error.message, error.traceback, error.kind)


@strawberry.type(description="A sensor's own state: its cursor.")
class SensorData:
    last_cursor: str | None


@strawberry.type(description="A schedule's own state: when it was started.")
class ScheduleData:
    start_timestamp: float | None


@strawberry.type(description="A schedule's or sensor's stored state, and its ticks.")
class InstigationState:
    location_name: strawberry.Private[str]
    instigator_name: strawberry.Private[str]
    kind: strawberry.Private[InstigatorType]
    stored: strawberry.Private[InstigatorState | None]
    default_status: strawberry.Private[str | None]
    store: strawberry.Private[InstigatorStore]

    @strawberry.field(description="``<location>:<name>``, what stopRunningSchedule and stopSensor take.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(selector_id(self.location_name, self.instigator_name))

    @strawberry.field
    def selector_id(self) -> str:
        return selector_id(self.location_name, self.instigator_name)

    @strawberry.field
    def name(self) -> str:
        return self.instigator_name

    @strawberry.field
    def repository_location_name(self) -> str:
        return self.location_name

    @strawberry.field
    def repository_name(self) -> str:
        return REPOSITORY_NAME

    @strawberry.field
    def instigation_type(self) -> InstigationType:
        return InstigationType(self.kind.value)

    @strawberry.field(description="RUNNING or STOPPED; DECLARED_IN_CODE when no one started or stopped it.")
    def status(self) -> InstigationStatus:
        if self.stored is not None and self.stored.status is not InstigatorStatus.DECLARED_IN_CODE:
            return InstigationStatus(self.stored.status.value)
        return InstigationStatus.RUNNING if self.default_status == "RUNNING" else InstigationStatus.STOPPED

    @strawberry.field(description="True when the status comes from default_status in code.")
    def status_declared_in_code(self) -> bool:
        return self.stored is None or self.stored.status is InstigatorStatus.DECLARED_IN_CODE

    @strawberry.field
    def type_specific_data(
        self,
    ) -> Annotated[SensorData | ScheduleData, strawberry.union("InstigationTypeSpecificData")]:
        if self.kind is InstigatorType.SENSOR:
            return SensorData(last_cursor=self.stored.cursor if self.stored is not None else None)
        return ScheduleData(start_timestamp=self.stored.start_timestamp if self.stored is not None else None)

    @strawberry.field(description="Ticks, newest first.")
    def ticks(
        self,
        limit: int | None = 25,
        statuses: list[InstigationTickStatus] | None = None,
        before_timestamp: float | None = None,
        after_timestamp: float | None = None,
    ) -> list[InstigationTick]:
        found = self.store.get_ticks(
            selector_id(self.location_name, self.instigator_name),
            before=before_timestamp,
            after=after_timestamp,
            limit=min(limit or 25, 1000),
            statuses=[TickStatus(s.value) for s in statuses] if statuses else None,
        )
        return [InstigationTick(tick=t) for t in found]


def instigation_state(
    store: InstigatorStore, location: str, name: str, kind: InstigatorType, default_status: str | None
) -> InstigationState:
    stored = store.get_instigator_state(selector_id(location, name))
    return InstigationState(
        location_name=location,
        instigator_name=name,
        kind=kind,
        stored=stored,
        default_status=default_status,
        store=store,
    )


@strawberry.type(description="A schedule (its definition, from the spec).")
class Schedule:
    spec: strawberry.Private[ScheduleSpec]
    location_name: str

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(f"{self.location_name}.{REPOSITORY_NAME}.{self.spec.name}")

    @strawberry.field
    def name(self) -> str:
        return self.spec.name

    @strawberry.field
    def cron_schedule(self) -> str | None:
        cron = self.spec.cron_schedule
        return cron if isinstance(cron, str) or cron is None else " | ".join(cron)

    @strawberry.field
    def job_name(self) -> str | None:
        return self.spec.job_name

    @strawberry.field
    def execution_timezone(self) -> str | None:
        return self.spec.execution_timezone

    @strawberry.field
    def description(self) -> str | None:
        return self.spec.description

    @strawberry.field
    def default_status(self) -> str | None:
        return self.spec.default_status

    @strawberry.field
    def tags(self) -> list[PipelineTag]:
        return pipeline_tags(self.spec.tags)

    @strawberry.field(description="Running or stopped, and its ticks.")
    def schedule_state(self, info: strawberry.Info) -> InstigationState:
        store = as_context(info.context).storage.instigators
        return instigation_state(
            store, self.location_name, self.spec.name, InstigatorType.SCHEDULE, self.spec.default_status
        )

    @strawberry.field
    def cron_schedules(self) -> list[str]:
        return list(self.spec.cron_schedules)

    @strawberry.field(description="The next ticks after now (epoch seconds), in the schedule's time zone.")
    def future_ticks(self, limit: int = 5) -> list[float]:
        now = time.time()
        streams = [cron_schedule(c, self.spec.timezone).ticks_from(now) for c in self.spec.cron_schedules]
        out: list[float] = []
        for tick in heapq.merge(*streams):
            if out and out[-1] == tick:
                continue
            out.append(tick)
            if len(out) >= min(limit, 100):
                break
        return out


@strawberry.type(description="A sensor (its definition, from the spec).")
class Sensor:
    spec: strawberry.Private[SensorSpec]
    location_name: str

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(f"{self.location_name}.{REPOSITORY_NAME}.{self.spec.name}")

    @strawberry.field
    def name(self) -> str:
        return self.spec.name

    @strawberry.field
    def job_names(self) -> list[str]:
        return list(self.spec.job_names)

    @strawberry.field
    def min_interval_seconds(self) -> int | None:
        return self.spec.minimum_interval_seconds

    @strawberry.field
    def description(self) -> str | None:
        return self.spec.description

    @strawberry.field
    def default_status(self) -> str | None:
        return self.spec.default_status

    @strawberry.field
    def sensor_type(self) -> str:
        return self.spec.sensor_type

    @strawberry.field(description="Running or stopped, its cursor and its ticks.")
    def sensor_state(self, info: strawberry.Info) -> InstigationState:
        store = as_context(info.context).storage.instigators
        return instigation_state(
            store, self.location_name, self.spec.name, InstigatorType.SENSOR, self.spec.default_status
        )
