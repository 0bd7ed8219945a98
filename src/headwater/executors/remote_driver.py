"""The run worker's side of a distributed executor: steps out as step tasks, outcomes back.

Celery and Dask differ only in how a task travels (a ``Transport``); this driver does the rest, the
same for both: it keeps the run's ActiveExecution, sends each ready step (highest priority first,
within the executor's and the instance's concurrency limits) as a ``StepTask`` naming the plan stored
with the run and the job's code, and marks steps done from the ``StepDone`` answers. Workers write the
steps' events to the shared store themselves; at the end the driver reads them back into the run's
event list (what ``ExecuteInProcessResult`` shows). A task that fails in the transport (the worker
could not load the code, the task was lost by the engine) fails its step with that reason.
Interrupted (the run canceled: SIGTERM in the run worker), it revokes every task still queued or
running before it unwinds.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, Protocol

from headwater.core.error_info import ErrorInfo
from headwater.errors import StepWorkerError, UnmetExecutorRequirementsError
from headwater.events.event_type import EventType
from headwater.events.payloads import EngineEventData, StepFailureData
from headwater.execution.pool_slots import PoolSlots
from headwater.execution.run_context import RunContext
from headwater.executors.limits import ConcurrencyLimiter, by_priority
from headwater.executors.output_capture import CaptureMap
from headwater.executors.step_task import JobPointer, StepDone, StepTask, build_task
from headwater.planning.active_execution import StepInstance, StepOutcome
from headwater.runs.snapshots import store_plan

_WAIT = 1.0


class Transport(Protocol):
    """How step tasks reach workers and their answers come back (Celery, Dask)."""

    def submit(self, task: StepTask, inst: StepInstance) -> Any:
        """Send ``task``; a handle to wait on."""
        ...

    def wait(self, handles: dict[str, Any], timeout: float) -> list[tuple[str, StepDone | BaseException]]:
        """The step keys among ``handles`` whose tasks finished (at least one unless ``timeout``
        passes): each with its answer, or the error that ended the task outside the step."""
        ...

    def cancel(self, handles: Iterable[Any]) -> None:
        """Revoke these tasks: drop the queued ones, stop the running ones."""
        ...


def check_shared_store(run: RunContext, executor_name: str) -> None:
    storage = getattr(run.instance, "storage", None)
    if storage is None or storage.is_in_memory:
        raise UnmetExecutorRequirementsError(
            f"The {executor_name} executor cannot run job '{run.job_name}' on an ephemeral instance: its "
            "workers write the steps' events to the run's store from other processes. Use a persistent "
            "instance (PostgreSQL or MySQL storage in headwater.yaml for workers on other machines; a "
            "SQLite file for workers on this one), e.g. execute_job(reconstructable(job), "
            "instance=DagsterInstance.get())."
        )


class RemoteDriver:
    """Drives one run's steps through a ``Transport`` (see the module docstring)."""

    def __init__(
        self, run: RunContext, transport: Transport, limiter: ConcurrencyLimiter, executor_name: str
    ) -> None:
        self.run = run
        self.transport = transport
        self.limiter = limiter
        self.name = executor_name
        self.pending: list[StepInstance] = []
        self.running: dict[str, Any] = {}  # step key -> handle
        self.instances: dict[str, StepInstance] = {}
        self.stopping = False
        self.slots = PoolSlots(run)
        self.capture = CaptureMap(run)
        run.output_capture = self.capture
        stored = getattr(run.run, "execution_plan_snapshot_id", None)
        self.plan_snapshot_id = stored or store_plan(run.instance.run_storage, run.plan)
        self.code = JobPointer.of(run.job, executor_name)

    def drive(self) -> None:
        graceful = False
        try:
            self._drive()
            graceful = True
        finally:
            if not graceful and self.running:
                self.transport.cancel(list(self.running.values()))
                self.run.emit(
                    EventType.ENGINE_EVENT,
                    None,
                    f"{self.name} executor: revoked {len(self.running)} step task(s) still queued or "
                    f"running: {sorted(self.running)}.",
                )
            self.slots.free_all()
            self.run.flush()
            self._read_back()

    def _drive(self) -> None:
        run, active = self.run, self.run.active
        while True:
            self._report_decisions()
            if not self.stopping:
                self.pending.extend(active.pop_ready())
                self._dispatch()
            run.flush()
            blocked = bool(self.slots.waiting) and not self.stopping
            if not self.running:
                if not (blocked and self.pending):
                    break
                time.sleep(self.slots.retry_delay())
                continue
            timeout = self.slots.retry_delay() if blocked else _WAIT
            for key, answer in self.transport.wait(self.running, timeout):
                if isinstance(answer, StepDone):
                    self._done(answer)
                else:
                    self._lost(key, answer)

    def _dispatch(self) -> None:
        if not self.pending:
            return
        active = self.run.active
        started: set[str] = set()
        for inst in by_priority(self.pending):
            if not self.limiter.can_start(inst.step.node) or not self.slots.try_claim(inst):
                continue
            self.limiter.start(inst.step.node)
            task = build_task(
                active, inst, self.run.run_id, plan_snapshot_id=self.plan_snapshot_id, code=self.code
            )
            self.instances[inst.key] = inst
            self.running[inst.key] = self.transport.submit(task, inst)
            started.add(inst.key)
        if started:
            self.pending = [i for i in self.pending if i.key not in started]

    def _finish(self, key: str) -> None:
        self.running.pop(key, None)
        inst = self.instances.pop(key)
        self.limiter.finish(inst.step.node)
        self.slots.free(key)

    def _done(self, done: StepDone) -> None:
        run = self.run
        self._finish(done.key)
        received: dict[tuple[str, str], bytes | None] = {}
        for name in done.outputs:
            mapping_keys: list[str | None] = [*done.dynamic.get(name, ())] or [None]
            for mapping_key in mapping_keys:
                received[(done.key, name if mapping_key is None else f"{name}[{mapping_key}]")] = None
        self.capture.receive(received)
        if done.success:
            run.active.mark_success(done.key, done.outputs, done.dynamic)
            return
        run.failed_steps.append(done.key)
        if run.first_user_error is None:
            run.first_user_error = StepWorkerError(
                f'Step "{done.key}" failed: {done.error_text or "see the step failure event"}'
            )
        run.active.mark_failed(done.key)
        if run.raise_on_error:
            self.stopping = True

    def _lost(self, key: str, error: BaseException) -> None:
        run = self.run
        self._finish(key)
        message = (
            f'Execution of step "{key}" failed: its {self.name} task ended without running the step: '
            f"{type(error).__name__}: {error}"
        )
        failure = StepWorkerError(message)
        run.emit(
            EventType.STEP_FAILURE,
            key,
            message,
            StepFailureData(ErrorInfo.from_exception(failure), None, "FRAMEWORK_ERROR"),
            level=40,
        )
        run.failed_steps.append(key)
        if run.first_user_error is None:
            run.first_user_error = failure
        run.active.mark_failed(key)
        if run.raise_on_error:
            self.stopping = True

    def _report_decisions(self) -> None:
        decisions = self.run.active.decisions
        while decisions:
            inst, outcome = decisions.popleft()
            if outcome is StepOutcome.SKIPPED:
                self.run.emit(EventType.STEP_SKIPPED, inst.key, f'Skipped execution of step "{inst.key}".')

    def _read_back(self) -> None:
        """The run's events as stored (the workers wrote the steps' own) into the run's event list."""
        run = self.run
        try:
            stored = list(run.instance.all_logs(run.run_id))
        except Exception:
            return
        if stored:
            run.events[:] = stored


def started_event(run: RunContext, name: str, detail: str, data: dict[str, Any]) -> None:
    run.emit(
        EventType.ENGINE_EVENT,
        None,
        f"Executing steps using the {name} executor: {detail} (run worker pid: {run.pid}).",
        EngineEventData(data),
    )
