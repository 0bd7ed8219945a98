from __future__ import annotations

import itertools

import pytest

from headwater.errors import InvalidStatusTransitionError
from headwater.events.run_status import (
    FINISHED_STATUSES,
    TRANSITIONS,
    RunStatus,
    can_transition,
    check_transition,
)


def test_values_match_dagsters_run_status() -> None:
    assert [s.value for s in RunStatus] == [
        "QUEUED", "NOT_STARTED", "MANAGED", "STARTING", "STARTED", "SUSPENDED",
        "SUCCESS", "FAILURE", "CANCELING", "CANCELED",
    ]  # fmt: skip


def test_every_status_has_a_row_and_finished_ones_are_final() -> None:
    assert set(TRANSITIONS) == set(RunStatus)
    for status in FINISHED_STATUSES:
        assert TRANSITIONS[status] == frozenset()
        assert status.is_finished


def test_the_normal_lifecycle_is_allowed() -> None:
    path = [RunStatus.NOT_STARTED, RunStatus.QUEUED, RunStatus.STARTING, RunStatus.STARTED, RunStatus.SUCCESS]
    for current, new in itertools.pairwise(path):
        check_transition("r1", current, new)
    assert can_transition(RunStatus.STARTED, RunStatus.STARTED)


def test_an_illegal_transition_names_the_run_and_what_is_allowed() -> None:
    with pytest.raises(
        InvalidStatusTransitionError, match=r"Run r1 cannot go from SUCCESS to STARTED; .*final"
    ):
        check_transition("r1", RunStatus.SUCCESS, RunStatus.STARTED)
    with pytest.raises(InvalidStatusTransitionError, match="allowed from STARTING: CANCELED, CANCELING"):
        check_transition("r1", RunStatus.STARTING, RunStatus.QUEUED)
