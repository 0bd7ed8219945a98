"""The step worker: the one path by which a step task (``executors.step_task``) runs out of the
run worker's process -- in the multiprocess executor's warm pool, on a Celery worker, on a Dask worker.

``StepWorker`` holds one run's context and resources in a worker process and runs that run's tasks,
one at a time, with ``run_step``. Where the context comes from differs: a pool worker builds it from
the ``WorkerSetup`` its parent hands it (inherited under fork), and sends events back over its pipe
(one message per flush: one per step, plus one per retry) for the parent to store; a remote worker
(``executors.remote_worker``) builds it from the shared store and the code, and writes events there
itself. After each step the worker answers with a ``StepDone``: outcome, outputs, dynamic mapping
keys, and for the pool output values small enough to ship (pickled; larger or unpicklable ones are
loaded through the IO manager when asked for) and the step's error.

Pool messages, worker -> parent: ``("events", [EventLogEntry, ...])`` and ``("done", StepDone)``.
Parent -> worker: a ``StepTask``, or ``None`` to stop.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo
from headwater.definitions.reconstructable import ReconstructableJob
from headwater.errors import UnmetExecutorRequirementsError
from headwater.events.event import EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.payloads import EngineEventData, StepFailureData
from headwater.execution.resource_builder import initialize_resources
from headwater.execution.run_context import RunContext
from headwater.execution.step_runner import run_step
from headwater.executors.shipping import dumps_limited, ship_error
from headwater.executors.step_task import OutputValue, StepDone, StepTask, upstream_sources
from headwater.planning.active_execution import ActiveExecution, StepInstance
from headwater.planning.plan import ExecutionPlan
from headwater.specs.job import OutputRef

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """What a worker needs to build its RunContext. Inherited as is under fork; pickled otherwise."""

    job: (
        JobDefinition | ReconstructableJob
    )  # a ReconstructableJob when the setup is pickled (spawn/forkserver)
    plan: ExecutionPlan
    run: Any
    instance: Any  # None when the instance cannot cross processes (spawn/forkserver)
    node_configs: Mapping[str, Any]
    run_config: Mapping[str, Any]
    partition_key: str | None
    input_values: Mapping[str, Any]
    resource_defs: Mapping[str, Any]
    resource_keys: frozenset[str]
    capture_limit: int

    @staticmethod
    def from_run(
        run: RunContext, resource_keys: frozenset[str], capture_limit: int, *, forked: bool
    ) -> WorkerSetup:
        job: JobDefinition | ReconstructableJob = run.job
        if not forked:
            ref = ReconstructableJob.find(run.job)
            if ref is None:
                raise UnmetExecutorRequirementsError(
                    "The multiprocess executor cannot start spawn/forkserver workers for job "
                    f"'{run.job_name}': it is not a module-level attribute (nor in a module-level "
                    "Definitions) that a new interpreter can import. Define it at the top level of a "
                    "module, or use the fork start method (the default where the platform has it)."
                )
            job = ref
        return WorkerSetup(
            job=job,
            plan=run.plan,
            run=run.run,
            instance=run.instance if forked else None,
            node_configs=run.node_configs,
            run_config=run.run_config,
            partition_key=run.partition_key,
            input_values=run.input_values,
            resource_defs=run.resource_defs,
            resource_keys=resource_keys,
            capture_limit=capture_limit,
        )


class WorkerActive(ActiveExecution):
    """A worker's ActiveExecution: only the upstream state the sender ships with each task."""

    def __init__(self, plan: ExecutionPlan) -> None:
        super().__init__(plan)
        self._sources: Mapping[OutputRef, list[str]] = {}

    def receive(self, task: StepTask) -> None:
        self._sources = upstream_sources(task)
        for key, outputs in task.produced.items():
            self.produced[key] = set(outputs)
        for d in task.dynamic:
            self.dynamic_keys[(d.step, d.output)] = d.keys

    def source_keys(self, inst: StepInstance, ref: OutputRef) -> list[str]:
        keys = self._sources.get(ref)
        return list(keys) if keys is not None else super().source_keys(inst, ref)


class WorkerInstance:
    """The run's instance as a pool worker sees it: reads go to the instance (SQL stores reconnect after
    a fork); writes of events go to the parent, which stores them."""

    def __init__(self, instance: Any, conn: Connection) -> None:
        self._instance = instance
        self._conn = conn

    def handle_new_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        self._conn.send(("events", list(entries)))
        return []

    def dispose(self) -> None:  # the parent owns the instance
        return None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or self.__dict__.get("_instance") is None:
            raise AttributeError(
                f"The run's instance is not available in this step worker ({name!r}); with the spawn or "
                "forkserver start method the instance stays in the parent process."
            )
        return getattr(self._instance, name)


class StepWorker:
    """The one step-worker path: runs the step tasks of one run in this process.

    Built once per worker process and run (the warm pool: once per pool worker; Celery and Dask: once
    per run a worker process sees, kept while tasks of that run arrive). It holds the run's context
    and its resources (built on first use of the run, torn down by ``close``); ``run_task`` runs one
    task and says what became of it. Events go wherever the context's instance writes them: the
    shared store (one transaction per step), or the warm pool's parent.
    """

    def __init__(
        self,
        run: RunContext,
        resource_keys: frozenset[str],
        *,
        capture_limit: int | None,
        where: str = "subprocess",
    ) -> None:
        run.pid = os.getpid()
        self.run = run
        self.active = WorkerActive(run.plan)
        run.active = self.active
        self.steps = {s.key: s for s in run.plan.steps}
        self.capture_limit = capture_limit  # None: ship no values (they are read through IO managers)
        self.where = where
        self._stack = contextlib.ExitStack()
        self.init_error: BaseException | None = None
        try:
            run.resources = self._stack.enter_context(
                initialize_resources(
                    run.resource_defs,
                    run.run_config.get("resources") or {},
                    keys=resource_keys,
                    instance=run.instance,
                    run_id=run.run_id,
                )
            )
        except Exception as exc:
            self.init_error = exc

    def run_task(self, task: StepTask) -> StepDone:
        run = self.run
        inst = StepInstance(task.key, self.steps[task.step_key], task.mapping_key)
        if self.init_error is not None:
            return self._failed_init(inst, self.init_error)
        self.active.receive(task)
        for known in task.versions:  # upstream assets the run stored (the sender knows their versions)
            key = AssetKey.from_db_string(known.key)
            if key is not None:
                run.known_versions[(key, known.partition)] = (known.version, known.storage_id)
        run.output_capture.clear()
        run.first_user_error = None
        run.emit(
            EventType.STEP_WORKER_STARTED,
            inst.key,
            f'Executing step "{inst.key}" in {self.where}.',
            EngineEventData({"pid": run.pid}),
        )
        result = run_step(run, inst, retry_number=task.retry_number)
        run.events.clear()  # the sender keeps the run's events; a worker only writes or forwards them
        run.failed_steps.clear()
        limit = self.capture_limit
        values = (
            [OutputValue(s, o, dumps_limited(v, limit)) for (s, o), v in run.output_capture.items()]
            if limit is not None
            else []
        )
        run.output_capture.clear()
        error, text = ship_error(run.first_user_error) if not result.success else (None, None)
        if limit is None:
            error = None  # remote: the error is in the stored STEP_FAILURE event
        return StepDone(
            task.key,
            result.success,
            sorted(result.outputs),
            dict(result.dynamic),
            values,
            error,
            text,
            task.retry_number,
        )

    def _failed_init(self, inst: StepInstance, error: BaseException) -> StepDone:
        run = self.run
        run.emit(EventType.STEP_START, inst.key, f'Started execution of step "{inst.key}".')
        run.emit(
            EventType.STEP_FAILURE,
            inst.key,
            f'Execution of step "{inst.key}" failed: the step worker (pid {os.getpid()}) could not '
            "initialize its resources.",
            StepFailureData(ErrorInfo.from_exception(error), None, "USER_CODE_ERROR"),
            level=40,
        )
        run.flush()
        run.events.clear()
        data, text = ship_error(getattr(error, "user_exception", None) or error)
        if self.capture_limit is None:
            data = None
        return StepDone(inst.key, False, error=data, error_text=text)

    def close(self) -> None:
        """Tear down the run's resources; errors are reported on stderr (the steps have finished)."""
        try:
            self._stack.close()
        except Exception:
            traceback.print_exc(file=sys.stderr)


def worker_main(conn: Connection, setup: WorkerSetup) -> None:
    """A warm-pool process: build the step worker once, then run tasks until told to stop."""
    # Ctrl-C reaches the whole process group: the parent decides (it stops the pool), not each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    run = RunContext(
        job=setup.job.get_definition() if isinstance(setup.job, ReconstructableJob) else setup.job,
        plan=setup.plan,
        run=setup.run,
        instance=WorkerInstance(setup.instance, conn),
        node_configs=setup.node_configs,
        run_config=setup.run_config,
        resources=None,
        partition_key=setup.partition_key,
        input_values=setup.input_values,
        raise_on_error=False,
        resource_defs=setup.resource_defs,
    )
    worker = StepWorker(run, setup.resource_keys, capture_limit=setup.capture_limit)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            break
        if task is None:
            break
        done = worker.run_task(task)
        try:
            conn.send(("done", done))
        except (BrokenPipeError, OSError):
            break
    worker.close()
    conn.close()
