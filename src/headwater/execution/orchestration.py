"""``PlanOrchestrationContext``: what a user ``Executor`` (from an ``@executor``) drives a run through.

The executor asks for the ready steps (``get_steps_to_execute``) and runs each with ``execute_step``,
in the order it chooses -- the same step runner (``step_runner.run_step``) the built-in executors use,
so events, retries, hooks and IO managers behave the same. Steps run one at a time (calls from several
threads wait for each other); a step whose instance pool is full waits for a slot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.core.error_info import ErrorInfo
from headwater.errors import InvalidInvocationError, UserCodeExecutionError
from headwater.events.event_type import EventType
from headwater.events.payloads import RunFailureData
from headwater.execution.boundary import user_code_error_boundary
from headwater.execution.log_manager import RunLogger
from headwater.execution.pool_slots import PoolSlots
from headwater.execution.step_runner import run_step
from headwater.planning.active_execution import StepInstance, StepOutcome

if TYPE_CHECKING:
    from headwater.definitions.executor_definition import ExecutorDefinition
    from headwater.execution.run_context import RunContext


class ExecutorError(UserCodeExecutionError):
    """A user executor (or its @executor function) raised."""


class PlanOrchestrationContext:
    """One run, as a user executor sees it."""

    def __init__(self, run: RunContext, executor_config: Mapping[str, Any]) -> None:
        self._run = run
        self._slots = PoolSlots(run)
        self._lock = threading.Lock()
        self._started: set[str] = set()
        self.executor_config = executor_config
        self.log = RunLogger(run, None)

    @property
    def run_id(self) -> str:
        return self._run.run_id

    @property
    def job_name(self) -> str:
        return self._run.job_name

    @property
    def instance(self) -> Any:
        return self._run.instance

    @property
    def run_config(self) -> Mapping[str, Any]:
        return self._run.run_config

    @property
    def is_complete(self) -> bool:
        """No step is left to run (every step succeeded, failed or was skipped)."""
        return self._run.active.is_complete

    def get_steps_to_execute(self) -> list[StepInstance]:
        """The steps ready to run now (each is handed out once); empty when none is ready."""
        with self._lock:
            ready = self._run.active.pop_ready()
            self._started.update(s.key for s in ready)
            return ready

    def execute_step(self, step: StepInstance) -> bool:
        """Run one step handed out by ``get_steps_to_execute`` here; True if it succeeded."""
        run = self._run
        with self._lock:
            if step.key not in self._started:
                raise InvalidInvocationError(
                    f"execute_step got step {step.key!r}, which get_steps_to_execute has not handed out "
                    "(or which already ran)."
                )
            self._started.discard(step.key)
            while not self._slots.try_claim(step):
                run.flush()
                time.sleep(self._slots.retry_delay())
            try:
                result = run_step(run, step)
            finally:
                self._slots.free(step.key)
            if result.success:
                run.active.mark_success(step.key, result.outputs, result.dynamic)
            else:
                run.active.mark_failed(step.key)
            self._report_decisions()
            return result.success

    def execute_steps(self, steps: Iterable[StepInstance]) -> list[bool]:
        return [self.execute_step(s) for s in steps]

    def _report_decisions(self) -> None:
        run = self._run
        decisions = run.active.decisions
        while decisions:
            inst, outcome = decisions.popleft()
            if outcome is StepOutcome.SKIPPED:
                run.emit(EventType.STEP_SKIPPED, inst.key, f'Skipped execution of step "{inst.key}".')
        run.flush()

    def close(self) -> None:
        self._slots.free_all()


def execute_with_definition(run: RunContext, definition: ExecutorDefinition) -> None:
    """Build the user's executor from run config and let it drive ``run``; a run it leaves unfinished,
    or an error it raises, fails the run (RUN_FAILURE) and is raised."""
    from headwater.definitions.executor_definition import InitExecutorContext

    execution = run.run_config.get("execution") or {}
    raw = execution.get("config") if isinstance(execution, Mapping) else None
    config = definition.config_chain.process(
        raw, path=("execution", "config"), preamble=f"Error in config for executor '{definition.name}'"
    )
    init = InitExecutorContext(run.job, definition, config, run.instance)
    plan_context = PlanOrchestrationContext(run, init.executor_config)
    name = definition.name
    try:
        with user_code_error_boundary(
            ExecutorError, lambda exc: f"Error in executor '{name}': {type(exc).__name__}: {exc}"
        ):
            creation_fn = definition.executor_creation_fn
            assert creation_fn is not None
            executor = creation_fn(init)
            if not callable(getattr(executor, "execute", None)):
                raise InvalidInvocationError(
                    f"The function of executor '{name}' must return an Executor (with an "
                    f"execute(plan_context, execution_plan) method); got {executor!r}."
                )
            out = executor.execute(plan_context, run.plan)
            if out is not None:
                for _event in out:
                    pass
        if not run.active.is_complete:
            left = [s.key for s in run.plan.steps if run.active.outcome(s.key) is None]
            raise InvalidInvocationError(
                f"Executor '{name}' returned before the run's steps were done; not run: {left}. Its "
                "execute() must call plan_context.execute_step for every step get_steps_to_execute "
                "hands out, until plan_context.is_complete."
            )
    except Exception as exc:
        run.emit(
            EventType.RUN_FAILURE,
            None,
            f'Execution of run for "{run.job_name}" failed. {exc}',
            RunFailureData(ErrorInfo.from_exception(exc), "JOB_INITIALIZATION_FAILURE", None),
            level=40,
        )
        run.flush()
        raise
    finally:
        plan_context.close()
