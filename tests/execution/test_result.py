"""Every method of ExecuteInProcessResult, against what Dagster 1.13 returns for the same job."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.events.event_type import EventType as ET


@hw.op
def one() -> int:
    return 1


@hw.op
def add1(x: int) -> int:
    return x + 1


@hw.op
def boom(x: int) -> int:
    raise ValueError("kaboom")


@hw.op(out={"a": hw.Out(is_required=False)})
def opt():  # type: ignore[no-untyped-def]
    if False:
        yield hw.Output(1, "a")


@hw.op
def expect(context: hw.OpExecutionContext) -> int:
    context.log_event(hw.ExpectationResult(True, label="L"))
    return 1


@hw.op(retry_policy=hw.RetryPolicy(max_retries=2))
def flaky(context: hw.OpExecutionContext) -> int:
    if context.retry_number < 2:
        raise ValueError("again")
    return 1


@hw.graph
def inner(x: int) -> int:
    return add1(x)


@hw.graph
def g() -> int:
    return inner(one())


@pytest.fixture(scope="module")
def ok() -> hw.ExecuteInProcessResult:
    @hw.job
    def j() -> None:
        add1.alias("after")(opt())
        expect()
        flaky()
        add1.alias("top")(g())

    return j.execute_in_process()


@pytest.fixture(scope="module")
def failed() -> hw.ExecuteInProcessResult:
    @hw.job
    def jf() -> None:
        add1(boom(one()))
        add1.alias("other")(one())

    return jf.execute_in_process(raise_on_error=False)


def test_success_and_run(ok: hw.ExecuteInProcessResult, failed: hw.ExecuteInProcessResult) -> None:
    assert ok.success and not failed.success
    assert ok.run_id == ok.dagster_run.run_id
    assert ok.dagster_run.status is hw.RunStatus.SUCCESS
    assert failed.dagster_run.status is hw.RunStatus.FAILURE
    assert ok.job_def.name == "j"


def test_all_events_and_filters(ok: hw.ExecuteInProcessResult) -> None:
    assert ok.all_events[0].event_type is ET.RUN_START
    assert ok.all_events[-1].event_type is ET.RUN_SUCCESS
    assert len(ok.all_node_events) == len([e for e in ok.all_events if e.step_key is not None])
    assert len(ok.filter_events(lambda e: e.is_step_success)) == len(ok.get_step_success_events())
    assert ok.filter_events(ET.RUN_SUCCESS) == [ok.get_run_success_event()]
    with pytest.raises(hw.HeadwaterError, match=r"No event of type EventType\.RUN_FAILURE found\."):
        ok.get_run_failure_event()


def test_output_for_node_including_nested_graphs(ok: hw.ExecuteInProcessResult) -> None:
    assert ok.output_for_node("top") == 3
    assert ok.output_for_node("g") == 2
    assert ok.output_for_node("g.inner") == 2
    assert ok.output_for_node("g.inner.add1") == 2
    assert ok.output_for_node("g.one") == 1
    with pytest.raises(hw.InvariantViolationError, match=r"^j has no op named nope\.$"):
        ok.output_for_node("nope")
    with pytest.raises(hw.InvariantViolationError, match=r"^flaky has no output named zz\.$"):
        ok.output_for_node("flaky", "zz")


def test_output_value() -> None:
    result = g.execute_in_process()
    assert result.output_value() == 2

    @hw.job
    def no_outputs() -> None:
        one()

    with pytest.raises(hw.InvariantViolationError) as info:
        no_outputs.execute_in_process().output_value()
    assert (
        str(info.value) == "Attempted to retrieve top-level outputs for 'no_outputs', which has no outputs."
    )


def test_events_for_node(ok: hw.ExecuteInProcessResult) -> None:
    assert [e.event_type for e in ok.events_for_node("expect")] == [
        ET.STEP_START,
        ET.STEP_EXPECTATION_RESULT,
        ET.STEP_OUTPUT,
        ET.HANDLED_OUTPUT,
        ET.STEP_SUCCESS,
    ]
    assert {e.step_key for e in ok.events_for_node("g")} == {"g.one", "g.inner.add1"}
    assert ok.events_for_node("nope") == []


def test_node_status_predicates(ok: hw.ExecuteInProcessResult, failed: hw.ExecuteInProcessResult) -> None:
    assert ok.is_node_success("flaky") and ok.is_node_success("g")
    assert ok.is_node_skipped("after") and not ok.is_node_untouched("after")
    assert failed.is_node_failed("boom") and not failed.is_node_success("boom")
    assert failed.is_node_untouched("add1") and not failed.is_node_skipped("add1")
    assert failed.is_node_success("other")
    assert not ok.is_node_success("nope")


def test_failure_data_for_node(ok: hw.ExecuteInProcessResult, failed: hw.ExecuteInProcessResult) -> None:
    assert ok.failure_data_for_node("flaky") is None
    data = failed.failure_data_for_node("boom")
    assert data.error.cls_name == "DagsterExecutionStepExecutionError"  # stored under Dagster's name
    assert data.error.message.endswith('Error occurred while executing op "boom":\n')
    assert data.error.cause.cls_name == "ValueError"
    assert data.user_failure_data is None


def test_step_event_lists(ok: hw.ExecuteInProcessResult, failed: hw.ExecuteInProcessResult) -> None:
    assert [e.step_key for e in failed.get_step_failure_events()] == ["boom"]
    assert [e.step_key for e in failed.get_step_success_events()] == ["one", "one_2", "other"]
    assert failed.get_failed_step_keys() == {"boom"}
    assert [e.step_key for e in ok.get_step_skipped_events()] == ["after"]
    run_failure = failed.get_run_failure_event()
    assert run_failure.message == "Execution of run for \"jf\" failed. Steps failed: ['boom']."
    assert failed.get_step_failure_events()[0].message == 'Execution of step "boom" failed.'


def test_expectations_and_retry_attempts(ok: hw.ExecuteInProcessResult) -> None:
    assert [x.label for x in ok.expectation_results_for_node("expect")] == ["L"]
    assert ok.retry_attempts_for_node("flaky") == 2
    assert ok.retry_attempts_for_node("expect") == 0
