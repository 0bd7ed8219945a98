"""success_hook / failure_hook on jobs and on ops (.with_hooks): HOOK_COMPLETED, HOOK_SKIPPED, HOOK_ERRORED
with Dagster 1.13's messages; hook contexts; build_hook_context."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

import headwater as hw
from headwater.events.event_type import EventType as ET

log: list[tuple[Any, ...]] = []


@hw.success_hook
def on_ok(context: hw.HookContext) -> None:
    log.append(("ok", context.op.name, context.step_key, context.op_output_values))


@hw.failure_hook
def on_fail(context: hw.HookContext) -> None:
    log.append(("fail", context.op.name, type(context.op_exception).__name__))


@hw.success_hook(required_resource_keys={"thing"})
def with_res(context: hw.HookContext) -> None:
    log.append(("res", context.resources.thing))


@hw.failure_hook
def broken(context: hw.HookContext) -> None:
    raise RuntimeError("hook broke")


@hw.op
def one() -> int:
    return 1


@hw.op
def boom(x: int) -> int:
    raise ValueError("b")


@pytest.fixture(autouse=True)
def _clear() -> None:
    log.clear()


def hook_events(result: hw.ExecuteInProcessResult) -> Counter[tuple[str, str, str]]:
    return Counter(
        (e.event_type.name, e.step_key, e.message)
        for e in result.all_events
        if e.event_type in (ET.HOOK_COMPLETED, ET.HOOK_SKIPPED)
    )


def test_job_hooks_fire_by_outcome() -> None:
    @hw.job(hooks={on_ok, on_fail})
    def j() -> None:
        boom(one())

    result = j.execute_in_process(raise_on_error=False)
    assert log == [("ok", "one", "one", {"result": 1}), ("fail", "boom", "ValueError")]
    assert hook_events(result) == Counter(
        {
            ("HOOK_COMPLETED", "one", 'Finished the execution of hook "on_ok" triggered for "one".'): 1,
            (
                "HOOK_SKIPPED",
                "one",
                'Skipped the execution of hook "on_fail". It did not meet its triggering '
                'condition during the execution of "one".',
            ): 1,
            ("HOOK_COMPLETED", "boom", 'Finished the execution of hook "on_fail" triggered for "boom".'): 1,
            (
                "HOOK_SKIPPED",
                "boom",
                'Skipped the execution of hook "on_ok". It did not meet its triggering '
                'condition during the execution of "boom".',
            ): 1,
        }
    )
    # hook events come right after the step's last event
    types = [e.event_type.name for e in result.all_events if e.step_key == "one"]
    assert types[-3] == "STEP_SUCCESS"
    assert sorted(types[-2:]) == ["HOOK_COMPLETED", "HOOK_SKIPPED"]


def test_op_hooks_with_hooks() -> None:
    @hw.job
    def j() -> None:
        one.with_hooks({on_ok})()
        one()

    result = j.execute_in_process()
    assert log == [("ok", "one", "one", {"result": 1})]
    assert [(e.event_type.name, e.step_key) for e in result.filter_events(ET.HOOK_COMPLETED)] == [
        ("HOOK_COMPLETED", "one")
    ]
    assert not result.filter_events(ET.HOOK_SKIPPED)


def test_hook_with_resources() -> None:
    @hw.job(hooks={with_res}, resource_defs={"thing": hw.ResourceDefinition.hardcoded_resource("T")})
    def j() -> None:
        one()

    j.execute_in_process()
    assert log == [("res", "T")]


def test_hook_that_raises_is_reported_not_fatal() -> None:
    @hw.job(hooks={broken})
    def j() -> None:
        boom(one())

    result = j.execute_in_process(raise_on_error=False)
    errored = result.filter_events(ET.HOOK_ERRORED)
    assert [e.step_key for e in errored] == ["boom"]
    assert errored[0].event_specific_data.error.cls_name == "RuntimeError"
    assert [e.step_key for e in result.filter_events(ET.HOOK_SKIPPED)] == ["one"]


def test_failure_hook_runs_before_raise_on_error_reraises() -> None:
    # Dagster 1.13 re-raises before running hooks; Headwater runs the failure hook first (deliberate).
    @hw.job(hooks={on_fail})
    def j() -> None:
        boom(one())

    with pytest.raises(ValueError, match=r"^b$"):
        j.execute_in_process()
    assert log == [("fail", "boom", "ValueError")]


def test_build_hook_context_and_calling_the_hook() -> None:
    on_fail(hw.build_hook_context(op=one, op_exception=ValueError("x")))
    assert log == [("fail", "one", "ValueError")]
    assert isinstance(on_ok, hw.HookDefinition)
