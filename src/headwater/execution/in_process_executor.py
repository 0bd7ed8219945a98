"""The in-process executor: steps run one after another in this process.

A step whose instance pool is full (``execution.pool_slots``) waits while the other ready steps run;
when every ready step waits, the executor sleeps until the next time a pool is worth asking again.
"""

from __future__ import annotations

import time
from typing import Any

from headwater.definitions.executor_definition import ExecutorDefinition
from headwater.events.event_type import EventType
from headwater.execution.pool_slots import PoolSlots
from headwater.execution.run_context import RunContext
from headwater.execution.step_runner import format_duration, run_step
from headwater.planning.active_execution import StepInstance, StepOutcome


class InProcessExecutor(ExecutorDefinition):
    """Runs each ready step in the calling thread, in plan order."""

    def __init__(self, name: str = "in_process") -> None:
        super().__init__(name, description="Execute all steps in a single process.")

    def configured(
        self,
        config_or_config_fn: Any,
        name: str | None = None,
        config_schema: Any = None,
        description: str | None = None,
    ) -> InProcessExecutor:
        """A copy (named ``name``): the in-process executor has no settings of its own to fix."""
        return InProcessExecutor(name or self.name)

    def execute(self, run: RunContext) -> None:
        started = time.perf_counter()
        try:
            self._execute(run)
        finally:
            elapsed = format_duration((time.perf_counter() - started) * 1000)
            run.emit(EventType.ENGINE_EVENT, None, f"Finished steps in process (pid: {run.pid}) in {elapsed}")

    def _execute(self, run: RunContext) -> None:
        active = run.active
        run.single_process = True  # every step of the run materializes in this process
        slots = PoolSlots(run)
        _report_decisions(run)
        waiting: list[StepInstance] = []  # ready, but their instance pool is full
        try:
            while True:
                ready = waiting + active.pop_ready() if waiting else active.pop_ready()
                if not ready:
                    break
                waiting = []
                ran = False
                for inst in ready:
                    if not slots.try_claim(inst):
                        waiting.append(inst)
                        continue
                    ran = True
                    try:
                        result = run_step(run, inst)
                    finally:
                        slots.free(inst.key)
                    if result.success:
                        active.mark_success(inst.key, result.outputs, result.dynamic)
                    else:
                        active.mark_failed(inst.key)
                        if run.raise_on_error:
                            _report_decisions(run)
                            return
                    _report_decisions(run)
                if not ran:  # every ready step waits for a pool held by other runs
                    run.flush()
                    time.sleep(slots.retry_delay())
        finally:
            slots.free_all()


def _report_decisions(run: RunContext) -> None:
    decisions = run.active.decisions
    if not decisions:
        return
    while decisions:
        inst, outcome = decisions.popleft()
        if outcome is StepOutcome.SKIPPED:
            run.emit(EventType.STEP_SKIPPED, inst.key, f'Skipped execution of step "{inst.key}".')
    run.flush()


in_process_executor = InProcessExecutor()
