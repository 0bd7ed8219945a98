"""The in-process executor: steps run one after another in this process."""

from __future__ import annotations

import time

from headwater.events.event_type import EventType
from headwater.execution.run_context import RunContext
from headwater.execution.step_runner import format_duration, run_step
from headwater.planning.active_execution import StepOutcome


class InProcessExecutor:
    """Runs each ready step in the calling thread, in plan order."""

    def execute(self, run: RunContext) -> None:
        started = time.perf_counter()
        try:
            self._execute(run)
        finally:
            elapsed = format_duration((time.perf_counter() - started) * 1000)
            run.emit(EventType.ENGINE_EVENT, None, f"Finished steps in process (pid: {run.pid}) in {elapsed}")

    def _execute(self, run: RunContext) -> None:
        active = run.active
        _report_decisions(run)
        while True:
            ready = active.pop_ready()
            if not ready:
                break
            for inst in ready:
                result = run_step(run, inst)
                if result.success:
                    active.mark_success(inst.key, result.outputs, result.dynamic)
                else:
                    active.mark_failed(inst.key)
                    if run.raise_on_error:
                        _report_decisions(run)
                        return
                _report_decisions(run)


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
