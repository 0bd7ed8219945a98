"""Schedules and sensors: their definitions come from the location's spec; their state (running or
stopped) and ticks come from the daemon's stores, which are not in this build yet, so those fields
answer ``NotAvailableError`` (typed, no made-up data). The tick and state types are here so the daemon
work plugs in behind the same fields."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from headwater.specs.location import ScheduleSpec, SensorSpec
from headwater.webserver.context import REPOSITORY_NAME
from headwater.webserver.graphql.errors import NotAvailableError, PythonError, not_available
from headwater.webserver.graphql.tags import PipelineTag, pipeline_tags


@strawberry.enum(description="Whether a schedule or sensor is running.")
class InstigationStatus(Enum):
    RUNNING = "RUNNING"
    STOPPED = "STOPPED"
    DECLARED_IN_CODE = "DECLARED_IN_CODE"


@strawberry.enum(description="How a tick ended.")
class InstigationTickStatus(Enum):
    STARTED = "STARTED"
    SKIPPED = "SKIPPED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


@strawberry.type(description="One evaluation of a schedule or sensor by the daemon.")
class InstigationTick:
    id: strawberry.ID
    status: InstigationTickStatus
    timestamp: float
    run_ids: list[str]
    skip_reason: str | None
    cursor: str | None
    error: PythonError | None


@strawberry.type(description="A schedule's or sensor's stored state.")
class InstigationState:
    id: strawberry.ID
    name: str
    status: InstigationStatus
    ticks: list[InstigationTick]


InstigationStateOrError = Annotated[
    InstigationState | NotAvailableError | PythonError, strawberry.union("InstigationStateOrError")
]


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

    @strawberry.field(description="Running or stopped, and its ticks: needs the daemon (not in this build).")
    def schedule_state(self) -> InstigationStateOrError:
        return not_available("Schedule state and ticks")


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

    @strawberry.field(description="Running or stopped, and its ticks: needs the daemon (not in this build).")
    def sensor_state(self) -> InstigationStateOrError:
        return not_available("Sensor state and ticks")
