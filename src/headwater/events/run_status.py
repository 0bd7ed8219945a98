"""Run status and the one table of allowed transitions."""

from __future__ import annotations

from enum import Enum

from headwater.errors import InvalidStatusTransitionError


class RunStatus(str, Enum):
    """A run's lifecycle state; values match Dagster's ``DagsterRunStatus``."""

    QUEUED = "QUEUED"
    NOT_STARTED = "NOT_STARTED"
    MANAGED = "MANAGED"
    STARTING = "STARTING"
    STARTED = "STARTED"
    SUSPENDED = "SUSPENDED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"

    @property
    def is_finished(self) -> bool:
        return self in FINISHED_STATUSES


FINISHED_STATUSES = frozenset({RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED})
IN_PROGRESS_STATUSES = frozenset({RunStatus.STARTING, RunStatus.STARTED, RunStatus.CANCELING})
NON_IN_PROGRESS_STATUSES = frozenset(RunStatus) - IN_PROGRESS_STATUSES

_S = RunStatus
TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    _S.NOT_STARTED: frozenset({_S.QUEUED, _S.STARTING, _S.STARTED, _S.FAILURE, _S.CANCELING, _S.CANCELED}),
    _S.MANAGED: frozenset({_S.STARTED, _S.SUCCESS, _S.FAILURE, _S.CANCELED}),
    _S.QUEUED: frozenset({_S.NOT_STARTED, _S.STARTING, _S.STARTED, _S.FAILURE, _S.CANCELING, _S.CANCELED}),
    _S.STARTING: frozenset({_S.STARTED, _S.FAILURE, _S.CANCELING, _S.CANCELED}),
    _S.STARTED: frozenset({_S.SUCCESS, _S.FAILURE, _S.CANCELING, _S.CANCELED, _S.SUSPENDED}),
    _S.SUSPENDED: frozenset({_S.STARTED, _S.FAILURE, _S.CANCELING, _S.CANCELED}),
    _S.CANCELING: frozenset({_S.CANCELED, _S.FAILURE, _S.SUCCESS}),
    _S.SUCCESS: frozenset(),
    _S.FAILURE: frozenset(),
    _S.CANCELED: frozenset(),
}


def can_transition(current: RunStatus, new: RunStatus) -> bool:
    return new == current or new in TRANSITIONS[current]


def check_transition(run_id: str, current: RunStatus, new: RunStatus) -> None:
    """Raise InvalidStatusTransitionError unless ``current -> new`` is in the table."""
    if not can_transition(current, new):
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none: it is final"
        raise InvalidStatusTransitionError(
            f"Run {run_id} cannot go from {current.value} to {new.value}; "
            f"allowed from {current.value}: {allowed}."
        )
