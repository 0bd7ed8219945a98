"""Retries: RetryPolicy (delay, backoff), RetryRequested, Failure(allow_retries=False), and the events
and errors Dagster 1.13 produces (STEP_UP_FOR_RETRY, STEP_RESTARTED, "Exceeded max_retries of N")."""

from __future__ import annotations

import random

import pytest

import headwater as hw
from headwater.events.event_type import EventType as ET


def step_types(result: hw.ExecuteInProcessResult, key: str) -> list[str]:
    return [e.event_type.name for e in result.all_events if e.step_key == key]


def test_retry_policy_until_success() -> None:
    calls: list[int] = []

    @hw.op(retry_policy=hw.RetryPolicy(max_retries=2))
    def flaky(context: hw.OpExecutionContext) -> int:
        calls.append(context.retry_number)
        if len(calls) < 3:
            raise ValueError("flaky")
        return 7

    @hw.job
    def j() -> None:
        flaky()

    result = j.execute_in_process()
    assert calls == [0, 1, 2]
    assert result.output_for_node("flaky") == 7
    assert step_types(result, "flaky") == [
        "STEP_START",
        "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED",
        "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED",
        "STEP_OUTPUT",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    messages = [
        e.message for e in result.all_events if e.event_type in (ET.STEP_UP_FOR_RETRY, ET.STEP_RESTARTED)
    ]
    assert messages == [
        'Execution of step "flaky" failed and has requested a retry.',
        'Started re-execution (attempt # 2) of step "flaky".',
        'Execution of step "flaky" failed and has requested a retry.',
        'Started re-execution (attempt # 3) of step "flaky".',
    ]
    assert result.filter_events(ET.STEP_UP_FOR_RETRY)[0].event_specific_data.seconds_to_wait == 0


def test_retry_policy_exhausted() -> None:
    @hw.op(retry_policy=hw.RetryPolicy(max_retries=1))
    def bad() -> None:
        raise KeyError("k")

    @hw.job
    def j() -> None:
        bad()

    result = j.execute_in_process(raise_on_error=False)
    assert step_types(result, "bad") == ["STEP_START", "STEP_UP_FOR_RETRY", "STEP_RESTARTED", "STEP_FAILURE"]
    error = result.failure_data_for_node("bad").error
    assert (error.cls_name, error.message, error.cause.cls_name) == (
        "RetryRequestedFromPolicy",
        "Exceeded max_retries of 1\n",
        "KeyError",
    )
    with pytest.raises(hw.MaxRetriesExceededError, match=r"^Exceeded max_retries of 1$") as info:
        j.execute_in_process()
    assert isinstance(info.value.__cause__, KeyError)


def test_delay_with_exponential_backoff() -> None:
    @hw.op(retry_policy=hw.RetryPolicy(max_retries=2, delay=0.01, backoff=hw.Backoff.EXPONENTIAL))
    def bad() -> None:
        raise KeyError("k")

    @hw.job
    def j() -> None:
        bad()

    result = j.execute_in_process(raise_on_error=False)
    waits = [e.event_specific_data.seconds_to_wait for e in result.filter_events(ET.STEP_UP_FOR_RETRY)]
    assert waits == pytest.approx([0.01, 0.03])
    assert result.filter_events(ET.STEP_UP_FOR_RETRY)[0].message == (
        'Execution of step "bad" failed and has requested a retry in 0.01 seconds.'
    )


def test_calculate_delay() -> None:
    assert hw.RetryPolicy(delay=2).calculate_delay(3) == 2
    assert hw.RetryPolicy(delay=2, backoff=hw.Backoff.LINEAR).calculate_delay(3) == 6
    assert hw.RetryPolicy(delay=2, backoff=hw.Backoff.EXPONENTIAL).calculate_delay(3) == 14
    rng = random.Random(0)
    full = hw.RetryPolicy(delay=2, jitter=hw.Jitter.FULL).calculate_delay(1, rng)
    assert 0 <= full <= 2
    assert hw.RetryPolicy().calculate_delay(1) == 0


def test_retry_policy_validation() -> None:
    with pytest.raises(hw.InvalidDefinitionError):
        hw.RetryPolicy(backoff=hw.Backoff.LINEAR)
    with pytest.raises(hw.InvalidDefinitionError):
        hw.RetryPolicy(jitter=hw.Jitter.FULL)


def test_retry_requested() -> None:
    @hw.op
    def rr(context: hw.OpExecutionContext) -> str:
        if context.retry_number < 2:
            raise hw.RetryRequested(max_retries=3, seconds_to_wait=0.01)
        return "ok"

    @hw.job
    def j() -> None:
        rr()

    result = j.execute_in_process()
    assert result.output_for_node("rr") == "ok"
    retries = result.filter_events(ET.STEP_UP_FOR_RETRY)
    assert [e.message for e in retries] == [
        'Execution of step "rr" failed and has requested a retry in 0.01 seconds.'
    ] * 2
    assert retries[0].event_specific_data.error.cls_name == "RetryRequested"


def test_retry_requested_exhausted() -> None:
    @hw.op
    def rr() -> None:
        raise hw.RetryRequested(max_retries=1) from ValueError("inner")

    @hw.job
    def j() -> None:
        rr()

    result = j.execute_in_process(raise_on_error=False)
    assert step_types(result, "rr") == ["STEP_START", "STEP_UP_FOR_RETRY", "STEP_RESTARTED", "STEP_FAILURE"]
    error = result.failure_data_for_node("rr").error
    assert (error.cls_name, error.message, error.cause.cls_name) == (
        "RetryRequested",
        "Exceeded max_retries of 1\n",
        "ValueError",
    )
    with pytest.raises(hw.MaxRetriesExceededError, match=r"^Exceeded max_retries of 1$"):
        j.execute_in_process()


def test_failure_without_retries_ignores_the_policy() -> None:
    calls: list[int] = []

    @hw.op(retry_policy=hw.RetryPolicy(max_retries=3))
    def f() -> None:
        calls.append(1)
        raise hw.Failure("no", allow_retries=False)

    @hw.job
    def j() -> None:
        f()

    result = j.execute_in_process(raise_on_error=False)
    assert calls == [1]
    assert step_types(result, "f") == ["STEP_START", "STEP_FAILURE"]


def test_failure_is_retried_by_default() -> None:
    calls: list[int] = []

    @hw.op(retry_policy=hw.RetryPolicy(max_retries=1))
    def f() -> None:
        calls.append(1)
        raise hw.Failure("no", metadata={"m": 1})

    @hw.job
    def j() -> None:
        f()

    result = j.execute_in_process(raise_on_error=False)
    assert calls == [1, 1]
    assert step_types(result, "f") == ["STEP_START", "STEP_UP_FOR_RETRY", "STEP_RESTARTED", "STEP_FAILURE"]
    assert result.failure_data_for_node("f").user_failure_data.description == "no"


def test_with_retry_policy_on_an_invocation() -> None:
    calls: list[int] = []

    @hw.op
    def f() -> None:
        calls.append(1)
        raise ValueError("x")

    @hw.job
    def j() -> None:
        f.with_retry_policy(hw.RetryPolicy(max_retries=1))()

    j.execute_in_process(raise_on_error=False)
    assert calls == [1, 1]
