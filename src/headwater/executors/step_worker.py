"""The step worker: one process of the multiprocess executor's warm pool.

A worker builds a RunContext of its own once (same job, plan, node configs and run record as the
parent's; its own resources, torn down when the pool shuts it down), then runs the step instances it
is sent with ``run_step``, one at a time. Events go back to the parent as they are flushed (one
message per flush: one per step, plus one per retry); the parent writes them to the instance. After
each step the worker sends a ``StepDone``: outcome, outputs, dynamic mapping keys, output values
small enough to ship (pickled; larger or unpicklable ones are loaded through the IO manager when
asked for) and the step's error.

Messages, worker -> parent: ``("events", [EventLogEntry, ...])`` and ``("done", StepDone)``.
Parent -> worker: a ``StepTask``, or ``None`` to stop.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from headwater.core.error_info import ErrorInfo
from headwater.definitions.reconstructable import ReconstructableJob
from headwater.errors import UnmetExecutorRequirementsError
from headwater.events.event import EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.payloads import EngineEventData, StepFailureData
from headwater.execution.resource_builder import initialize_resources
from headwater.execution.run_context import RunContext
from headwater.execution.step_runner import run_step
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


@dataclass(frozen=True, slots=True)
class StepTask:
    """One step instance to run, with what the parent knows about the outputs feeding it."""

    key: str
    step_key: str
    mapping_key: str | None
    sources: Mapping[OutputRef, list[str]]  # ref -> the instance keys whose output feeds this step
    produced: Mapping[str, set[str]]  # for those instance keys: the outputs they produced
    dynamic_keys: Mapping[tuple[str, str], list[str]]  # (step, dynamic output) -> mapping keys


@dataclass(frozen=True, slots=True)
class StepDone:
    key: str
    success: bool
    outputs: set[str]
    dynamic: dict[str, list[str]]
    # (step key, output name) -> pickled value, or None: not shipped, load it through the IO manager
    values: dict[tuple[str, str], bytes | None] = field(default_factory=dict)
    error: bytes | None = None  # the step's first user error, pickled
    error_text: str | None = None  # its text, when it cannot be pickled or unpickled


def build_task(active: ActiveExecution, inst: StepInstance) -> StepTask:
    """The parent's view of ``inst``'s inputs, for a worker whose ActiveExecution never saw them."""
    sources: dict[OutputRef, list[str]] = {}
    produced: dict[str, set[str]] = {}
    dynamic: dict[tuple[str, str], list[str]] = {}
    for inp in inst.step.inputs:
        for ref in inp.sources:
            keys = active.source_keys(inst, ref)
            sources[ref] = keys
            for k in keys:
                produced[k] = active.produced.get(k, set())
            mapping_keys = active.dynamic_keys.get((ref.node, ref.output))
            if mapping_keys is not None:
                dynamic[(ref.node, ref.output)] = mapping_keys
    return StepTask(inst.key, inst.step.key, inst.mapping_key, sources, produced, dynamic)


class WorkerActive(ActiveExecution):
    """A worker's ActiveExecution: only the upstream state the parent ships with each task."""

    def __init__(self, plan: ExecutionPlan) -> None:
        super().__init__(plan)
        self._sources: Mapping[OutputRef, list[str]] = {}

    def receive(self, task: StepTask) -> None:
        self._sources = task.sources
        self.produced.update(task.produced)
        self.dynamic_keys.update(task.dynamic_keys)

    def source_keys(self, inst: StepInstance, ref: OutputRef) -> list[str]:
        keys = self._sources.get(ref)
        return list(keys) if keys is not None else super().source_keys(inst, ref)


class WorkerInstance:
    """The run's instance as a worker sees it: reads go to the instance (SQL stores reconnect after a
    fork); writes of events go to the parent, which stores them."""

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


class _TooBig(Exception):
    pass


class _LimitedBuffer(io.RawIOBase):
    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        n = len(data)
        self.size += n
        if self.size > self.limit:
            raise _TooBig
        self.parts.append(bytes(data))
        return n


def dumps_limited(value: Any, limit: int) -> bytes | None:
    """``pickle.dumps(value)``, or None when it is bigger than ``limit`` bytes (stops early) or fails."""
    buf = _LimitedBuffer(limit)
    try:
        pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:
        return None
    return b"".join(buf.parts)


def rebuild_exception(
    cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
) -> BaseException:
    """An exception of class ``cls`` without calling its ``__init__`` (which may take other arguments)."""
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class _ByParts:
    """Pickles an exception as (class, args, attributes), for classes whose ``__init__`` does not take
    ``*args`` (plain pickling fails for them when loading)."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __reduce__(self) -> tuple[Any, ...]:
        exc = self.exc
        return rebuild_exception, (type(exc), exc.args, dict(getattr(exc, "__dict__", {})))


def _ship_error(exc: BaseException | None) -> tuple[bytes | None, str | None]:
    if exc is None:
        return None, None
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    for candidate in (exc, _ByParts(exc)):
        try:
            data = pickle.dumps(candidate, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(data)  # an exception whose __init__ takes other arguments fails here, not in dumps
        except Exception:
            continue
        return data, text
    return None, text


def _failed_init(run: RunContext, inst: StepInstance, error: BaseException) -> StepDone:
    run.emit(EventType.STEP_START, inst.key, f'Started execution of step "{inst.key}".')
    run.emit(
        EventType.STEP_FAILURE,
        inst.key,
        f'Execution of step "{inst.key}" failed: the step worker (pid {os.getpid()}) could not initialize '
        "its resources.",
        StepFailureData(ErrorInfo.from_exception(error), None, "USER_CODE_ERROR"),
        level=40,
    )
    run.flush()
    data, text = _ship_error(getattr(error, "user_exception", None) or error)
    return StepDone(inst.key, False, set(), {}, {}, data, text)


def _run_task(
    run: RunContext,
    active: WorkerActive,
    steps: Mapping[str, Any],
    task: StepTask,
    init_error: BaseException | None,
    limit: int,
) -> StepDone:
    inst = StepInstance(task.key, steps[task.step_key], task.mapping_key)
    if init_error is not None:
        return _failed_init(run, inst, init_error)
    active.receive(task)
    run.output_capture.clear()
    run.first_user_error = None
    run.emit(
        EventType.STEP_WORKER_STARTED,
        inst.key,
        f'Executing step "{inst.key}" in subprocess.',
        EngineEventData({"pid": run.pid}),
    )
    result = run_step(run, inst)
    run.events.clear()  # the parent keeps the run's events; a worker only forwards them
    run.failed_steps.clear()
    values = {k: dumps_limited(v, limit) for k, v in run.output_capture.items()}
    run.output_capture.clear()
    error, text = _ship_error(run.first_user_error) if not result.success else (None, None)
    return StepDone(task.key, result.success, set(result.outputs), dict(result.dynamic), values, error, text)


def worker_main(conn: Connection, setup: WorkerSetup) -> None:
    """The worker process: build the run context and resources once, then run tasks until told to stop."""
    # Ctrl-C reaches the whole process group: the parent decides (it stops the pool), not each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    instance = WorkerInstance(setup.instance, conn)
    run = RunContext(
        job=setup.job.get_definition() if isinstance(setup.job, ReconstructableJob) else setup.job,
        plan=setup.plan,
        run=setup.run,
        instance=instance,
        node_configs=setup.node_configs,
        run_config=setup.run_config,
        resources=None,
        partition_key=setup.partition_key,
        input_values=setup.input_values,
        raise_on_error=False,
        resource_defs=setup.resource_defs,
    )
    run.pid = os.getpid()
    active = WorkerActive(setup.plan)
    run.active = active
    steps = {s.key: s for s in setup.plan.steps}
    with contextlib.ExitStack() as stack:
        init_error: BaseException | None = None
        try:
            run.resources = stack.enter_context(
                initialize_resources(
                    setup.resource_defs,
                    setup.run_config.get("resources") or {},
                    keys=setup.resource_keys,
                    instance=instance,
                    run_id=run.run_id,
                )
            )
        except Exception as exc:
            init_error = exc
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):  # the parent is gone
                break
            if task is None:
                break
            done = _run_task(run, active, steps, task, init_error, setup.capture_limit)
            try:
                conn.send(("done", done))
            except (BrokenPipeError, OSError):
                break
        try:
            stack.close()
        except Exception:  # teardown errors cannot fail a finished step; report them on stderr
            traceback.print_exc(file=sys.stderr)
    conn.close()
