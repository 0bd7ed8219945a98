"""Records of the instigator store: the state of each schedule and sensor (running or stopped, its
cursor) and its ticks (one per evaluation: status, times, runs, skip reason, error, cursor).

An instigator is known by its selector id, ``"<location>:<name>"`` (``selector_id``). A tick of a
schedule is stamped with its scheduled time; the store refuses a second tick of one instigator at one
timestamp (``DuplicateTickError``), which is what makes "each due tick is evaluated once" hold even
when two daemons race.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import msgspec

from headwater.errors import HeadwaterError
from headwater.specs.instigation import (
    DynamicPartitionsRequest,
    EvaluationError,
    RunRequestData,
    TickEvaluation,
)


class InstigatorType(str, Enum):
    SCHEDULE = "SCHEDULE"
    SENSOR = "SENSOR"
    AUTO_OBSERVE = "AUTO_OBSERVE"  # the daemon's observation of observable source assets, per location


class InstigatorStatus(str, Enum):
    """``DECLARED_IN_CODE``: no one started or stopped it; its ``default_status`` decides."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"
    DECLARED_IN_CODE = "DECLARED_IN_CODE"


class TickStatus(str, Enum):
    STARTED = "STARTED"
    SKIPPED = "SKIPPED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


def selector_id(location: str, name: str) -> str:
    return f"{location}:{name}"


class DuplicateTickError(HeadwaterError):
    """A tick of this instigator at this timestamp is already stored."""


class InstigatorState(msgspec.Struct, frozen=True, omit_defaults=True):
    """A schedule's or sensor's stored state. ``start_timestamp``: when it was last started (a
    schedule's ticks are due from then on); ``cursor``: a sensor's cursor."""

    location: str
    name: str
    instigator_type: InstigatorType
    status: InstigatorStatus
    cursor: str | None = None
    start_timestamp: float | None = None
    last_run_key: str | None = None
    last_tick_timestamp: float | None = None
    update_timestamp: float | None = None

    @property
    def selector_id(self) -> str:
        return selector_id(self.location, self.name)

    def replace(self, **changes: Any) -> InstigatorState:
        return msgspec.structs.replace(self, **changes)


class PlannedRun(msgspec.Struct, frozen=True, omit_defaults=True):
    """A run a tick decided to launch, with the run id it gets (derived from the instigator, the tick
    and the run key, so launching it twice finds the first)."""

    run_id: str
    request: RunRequestData


class TickData(msgspec.Struct, frozen=True, omit_defaults=True):
    """The body of a tick (the ``ticks`` row holds its id, selector, type, status and timestamp)."""

    location: str
    name: str
    instigator_type: InstigatorType
    status: TickStatus
    timestamp: float
    end_timestamp: float | None = None
    evaluated: bool = False
    planned: tuple[PlannedRun, ...] = ()
    run_ids: tuple[str, ...] = ()
    run_keys: tuple[str, ...] = ()
    skipped_run_keys: tuple[str, ...] = ()
    skip_reason: str | None = None
    error: EvaluationError | None = None
    cursor: str | None = None
    dynamic_partitions_requests: tuple[DynamicPartitionsRequest, ...] = ()
    log: tuple[str, ...] = ()

    @property
    def selector_id(self) -> str:
        return selector_id(self.location, self.name)


class InstigatorTick(msgspec.Struct, frozen=True):
    """A stored tick: its ``tick_id`` and ``tick_data``; Dagster's accessors on top."""

    tick_id: int
    tick_data: TickData

    @property
    def status(self) -> TickStatus:
        return self.tick_data.status

    @property
    def timestamp(self) -> float:
        return self.tick_data.timestamp

    @property
    def run_ids(self) -> tuple[str, ...]:
        return self.tick_data.run_ids

    @property
    def run_keys(self) -> tuple[str, ...]:
        return self.tick_data.run_keys

    @property
    def skip_reason(self) -> str | None:
        return self.tick_data.skip_reason

    @property
    def error(self) -> EvaluationError | None:
        return self.tick_data.error

    @property
    def cursor(self) -> str | None:
        return self.tick_data.cursor

    @property
    def end_timestamp(self) -> float | None:
        return self.tick_data.end_timestamp

    def with_data(self, **changes: Any) -> InstigatorTick:
        return InstigatorTick(self.tick_id, msgspec.structs.replace(self.tick_data, **changes))

    def with_evaluation(self, evaluation: TickEvaluation, planned: tuple[PlannedRun, ...]) -> InstigatorTick:
        return self.with_data(
            evaluated=True,
            planned=planned,
            skip_reason=evaluation.skip_reason,
            error=evaluation.error,
            log=evaluation.log,
        )


__all__ = [
    "DuplicateTickError",
    "InstigatorState",
    "InstigatorStatus",
    "InstigatorTick",
    "InstigatorType",
    "PlannedRun",
    "TickData",
    "TickStatus",
    "selector_id",
    "set_cursor",
    "set_status",
]


def set_status(
    store: Any,
    location: str,
    name: str,
    instigator_type: InstigatorType,
    status: InstigatorStatus,
    now: float,
) -> InstigatorState:
    """Start (from ``now`` on: no catch-up of the ticks before), stop, or reset (``DECLARED_IN_CODE``)
    a schedule or sensor; its cursor is kept."""
    old = store.get_instigator_state(selector_id(location, name))
    if old is None:
        old = InstigatorState(location, name, instigator_type, status)
    started = now if status is not InstigatorStatus.STOPPED else old.start_timestamp
    new: InstigatorState = store.set_instigator_state(old.replace(status=status, start_timestamp=started))
    return new


def set_cursor(store: Any, location: str, name: str, cursor: str | None) -> InstigatorState:
    """Set (or, with None, delete) a sensor's cursor."""
    old = store.get_instigator_state(selector_id(location, name))
    if old is None:
        old = InstigatorState(location, name, InstigatorType.SENSOR, InstigatorStatus.DECLARED_IN_CODE)
    new: InstigatorState = store.set_instigator_state(old.replace(cursor=cursor))
    return new
