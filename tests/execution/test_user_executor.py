"""User executors (``@executor`` returning an ``Executor``) drive a run through the plan context; each
step runs through the one step runner, so events are those of the built-in executors."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw


@hw.op
def one() -> int:
    return 1


@hw.op
def two() -> int:
    return 2


@hw.op
def add(a: int, b: int) -> int:
    return a + b


ORDER: list[str] = []


class ReversedExecutor(hw.Executor):
    """Runs the ready steps in reverse key order, one batch at a time."""

    def __init__(self, log_each: bool) -> None:
        self.log_each = log_each

    def execute(self, plan_context: Any, execution_plan: Any) -> None:
        while not plan_context.is_complete:
            for step in sorted(plan_context.get_steps_to_execute(), key=lambda s: s.key, reverse=True):
                ORDER.append(step.key)
                if self.log_each:
                    plan_context.log.info(f"running {step.key}")
                plan_context.execute_step(step)


@hw.executor(name="reversed", config_schema={"log_each": hw.Field(bool, default_value=False)})
def reversed_executor(init_context: hw.InitExecutorContext) -> hw.Executor:
    return ReversedExecutor(init_context.executor_config["log_each"])


def _job(executor: Any) -> hw.JobDefinition:
    @hw.job(executor_def=executor)
    def summed() -> None:
        add(one(), two())

    return summed


def test_a_user_executor_picks_the_order_and_steps_run_as_usual() -> None:
    ORDER.clear()
    with hw.Instance.ephemeral() as instance:
        result = hw.execute_job(
            _job(reversed_executor),
            instance=instance,
            run_config={"execution": {"config": {"log_each": True}}},
        )
        assert result.success and result.output_for_node("add") == 3
        assert ORDER == ["two", "one", "add"]
        types = [e.event_type_value for e in result.all_events if e.step_key == "add"]
        assert types[0] == "STEP_START" and types[-1] == "STEP_SUCCESS"
        assert "running two" in [e.user_message for e in instance.all_logs(result.run_id)]


def test_executor_config_is_checked() -> None:
    with hw.Instance.ephemeral() as instance, pytest.raises(hw.InvalidConfigError):
        hw.execute_job(
            _job(reversed_executor), instance=instance, run_config={"execution": {"config": {"log_each": 3}}}
        )


def test_configured_executor_fixes_its_config() -> None:
    ORDER.clear()
    quiet = reversed_executor.configured({"log_each": False}, name="quiet")
    assert quiet.name == "quiet"
    with hw.Instance.ephemeral() as instance:
        assert hw.execute_job(_job(quiet), instance=instance).success


def test_an_executor_that_stops_early_fails_the_run() -> None:
    class Lazy(hw.Executor):
        def execute(self, plan_context: Any, execution_plan: Any) -> None:
            plan_context.get_steps_to_execute()

    lazy = hw.ExecutorDefinition("lazy", executor_creation_fn=lambda _ctx: Lazy())
    with hw.Instance.ephemeral() as instance:
        with pytest.raises(hw.InvalidInvocationError, match="returned before the run's steps were done"):
            hw.execute_job(_job(lazy), instance=instance)
        [run] = instance.get_runs()
        assert run.status == hw.RunStatus.FAILURE


def test_an_executor_that_raises_fails_the_run_with_its_error() -> None:
    @hw.executor
    def broken(_ctx: hw.InitExecutorContext) -> hw.Executor:
        raise RuntimeError("no executor today")

    with hw.Instance.ephemeral() as instance:
        with pytest.raises(hw.UserCodeExecutionError, match="no executor today"):
            hw.execute_job(_job(broken), instance=instance)
        assert instance.get_runs()[0].status == hw.RunStatus.FAILURE


def test_a_step_not_handed_out_is_refused() -> None:
    class Eager(hw.Executor):
        def execute(self, plan_context: Any, execution_plan: Any) -> None:
            steps = plan_context.get_steps_to_execute()
            plan_context.execute_step(steps[0])
            plan_context.execute_step(steps[0])

    eager = hw.ExecutorDefinition("eager", executor_creation_fn=lambda _ctx: Eager())
    with (
        hw.Instance.ephemeral() as instance,
        pytest.raises(hw.InvalidInvocationError, match="has not handed out"),
    ):
        hw.execute_job(_job(eager), instance=instance)
