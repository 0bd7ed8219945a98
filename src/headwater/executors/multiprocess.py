"""The multiprocess executor: a run's steps in a warm pool of worker processes.

``multiprocess_executor`` (Dagster's name) is a ``MultiprocessExecutor`` with default settings;
``multiprocess_executor.configured({"max_concurrent": 4})`` and ``MultiprocessExecutor(max_concurrent=4)``
set them in code, and run config can override them as Dagster accepts it::

    execution:
      config:
        max_concurrent: 4            # or, as for Dagster's default executor:
        multiprocess: {max_concurrent: 4}   # (``in_process: {}`` runs the steps in this process)

Settings: ``max_concurrent`` (default: the CPU count; 0 means the same), ``tag_concurrency_limits``
(Dagster's), ``pools`` (``{pool: limit}`` for op/asset ``pool=``, per run), ``start_method``
(``fork`` where available; see worker_pool), ``retries`` (``enabled``; RetryPolicy and RetryRequested
are handled inside each step).

The parent process keeps the run's ActiveExecution: it decides which steps are ready (expanding
dynamic outputs), sends each to a worker with what it knows of the step's upstream outputs, writes
the events workers send back to the instance and marks steps done. Events are stored in one batch
per wake-up of the parent loop (at most one per step), written after the next ready steps are
dispatched so the write overlaps their execution. Output
values come back pickled when small (``capture_limit``, 1 MiB); bigger ones are loaded through
the step's IO manager when ``output_for_node`` asks for them.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.error_info import ErrorInfo
from headwater.definitions.config_chain import ConfigChain, is_config_fn
from headwater.definitions.executor_definition import ExecutorDefinition
from headwater.errors import (
    ConfigErrorEntry,
    InvalidConfigError,
    StepWorkerError,
    UnmetExecutorRequirementsError,
)
from headwater.events.event_type import EventType
from headwater.events.payloads import EngineEventData, StepFailureData
from headwater.execution.in_process_executor import InProcessExecutor
from headwater.execution.pool_slots import PoolSlots
from headwater.execution.run_context import RunContext
from headwater.execution.run_driver import resource_keys_for
from headwater.executors.limits import ConcurrencyLimiter, TagLimit, by_priority, parse_pool_limits
from headwater.executors.output_capture import CaptureMap
from headwater.executors.run_checks import check_io_managers, fail_run
from headwater.executors.step_task import StepDone, build_task, known_versions
from headwater.executors.step_worker import WorkerSetup
from headwater.executors.worker_pool import START_METHODS, Died, WorkerPool, default_start_method
from headwater.planning.active_execution import StepInstance, StepOutcome

_KEYS = (
    "max_concurrent",
    "tag_concurrency_limits",
    "pools",
    "start_method",
    "retries",
    "step_dependency_config",
)
_PREAMBLE = "Error in multiprocess executor config"
_WAIT = 1.0  # seconds between checks when no worker reports (a bound, not a poll: wait wakes on any message)


def _config_error(message: str, *path: str) -> InvalidConfigError:
    return InvalidConfigError(
        "Error in multiprocess executor config", [ConfigErrorEntry(message, ("execution", "config", *path))]
    )


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class MultiprocessExecutor(ExecutorDefinition):
    """Runs each step in a warm pool of worker processes, at most ``max_concurrent`` at once."""

    def __init__(
        self,
        max_concurrent: int | None = None,
        *,
        tag_concurrency_limits: Sequence[Mapping[str, Any]] | None = None,
        pool_limits: Mapping[str, int] | None = None,
        start_method: str | None = None,
        shutdown_timeout: float = 30.0,
        capture_limit: int = 1 << 20,
        name: str = "multiprocess",
    ) -> None:
        super().__init__(name, description="Execute each step in a warm pool of worker processes.")
        self._config_fn: tuple[Any, ConfigChain] | None = None
        if max_concurrent is not None and (not isinstance(max_concurrent, int) or max_concurrent < 0):
            raise _config_error(
                f"max_concurrent must be a non-negative integer; got {max_concurrent!r}.", "max_concurrent"
            )
        if start_method is not None and start_method not in START_METHODS:
            raise _config_error(
                f"start_method must be one of {list(START_METHODS)}; got {start_method!r}.", "start_method"
            )
        self.max_concurrent = max_concurrent or None
        self.tag_concurrency_limits = tuple(
            TagLimit.parse(t, i) for i, t in enumerate(tag_concurrency_limits or ())
        )
        self.pool_limits = parse_pool_limits(pool_limits)
        self.start_method = start_method
        self.shutdown_timeout = shutdown_timeout
        self.capture_limit = capture_limit
        self.in_process = False

    def __repr__(self) -> str:
        return f"MultiprocessExecutor(max_concurrent={self.max_concurrent!r})"

    # --- configuration --------------------------------------------------------------------
    def configured(
        self,
        config_or_config_fn: Any,
        name: str | None = None,
        config_schema: Any = None,
        description: str | None = None,
    ) -> MultiprocessExecutor:
        """A copy with Dagster-style executor config applied (``{"max_concurrent": 4, ...}``), or with a
        function of run config (checked against ``config_schema``) that returns such config."""
        out = MultiprocessExecutor(
            self.max_concurrent,
            pool_limits=self.pool_limits,
            start_method=self.start_method,
            shutdown_timeout=self.shutdown_timeout,
            capture_limit=self.capture_limit,
            name=name or self.name,
        )
        out.tag_concurrency_limits = self.tag_concurrency_limits
        if is_config_fn(config_or_config_fn):
            out._config_fn = (config_or_config_fn, ConfigChain(config_schema))
        else:
            out._config_fn = self._config_fn
            out._apply(config_or_config_fn)
        return out

    def _apply(self, config: Mapping[str, Any]) -> None:
        if not isinstance(config, Mapping):
            raise _config_error(f"Executor config must be a dict; got {config!r}.")
        if "multiprocess" in config or "in_process" in config:
            if len(config) != 1:
                raise _config_error("Give either multiprocess or in_process, not both.")
            if "in_process" in config:
                self.in_process = True
                return
            config = config["multiprocess"] or {}
        unknown = sorted(set(config) - set(_KEYS))
        if unknown:
            raise _config_error(
                f"Unexpected entries {unknown} in the multiprocess executor config; expected {list(_KEYS)}."
            )
        if "max_concurrent" in config:
            value = config["max_concurrent"]
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise _config_error(
                    f"max_concurrent must be a non-negative integer; got {value!r}.", "max_concurrent"
                )
            self.max_concurrent = value or None
        if "tag_concurrency_limits" in config:
            self.tag_concurrency_limits = tuple(
                TagLimit.parse(t, i) for i, t in enumerate(config["tag_concurrency_limits"] or ())
            )
        if "pools" in config:
            self.pool_limits = parse_pool_limits(config["pools"])
        if "start_method" in config:
            self.start_method = _start_method(config["start_method"])
        retries = config.get("retries")
        if retries is not None and set(retries) - {"enabled"}:
            raise _config_error(
                "Only retries: {enabled: {}} is supported: RetryPolicy and RetryRequested are "
                "handled inside each step.",
                "retries",
            )

    def _for_run(self, run: RunContext) -> MultiprocessExecutor:
        execution = run.run_config.get("execution") or {}
        config = execution.get("config") if isinstance(execution, Mapping) else None
        if self._config_fn is not None:
            fn, chain = self._config_fn
            mapped = fn(chain.process(config, path=("execution", "config"), preamble=_PREAMBLE))
            return self.configured(mapped or {})
        return self.configured(config) if config else self

    # --- running --------------------------------------------------------------------------
    def execute(self, run: RunContext) -> None:
        settings = self._for_run(run)
        if settings.in_process:
            InProcessExecutor().execute(run)
            return
        check_io_managers(run, "multiprocess")
        size = settings.max_concurrent or _cpu_count()
        selected = set(run.plan.step_keys) if run.plan.is_subset else None
        keys = frozenset(k for k in resource_keys_for(run.job, selected) if k in run.resource_defs)
        method = settings.start_method or None
        forked = (method or default_start_method()) == "fork"
        try:
            setup = WorkerSetup.from_run(run, keys, settings.capture_limit, forked=forked)
        except UnmetExecutorRequirementsError as exc:
            fail_run(run, exc)
            raise
        pool = WorkerPool(setup, size, method)
        capture = CaptureMap(run)
        run.output_capture = capture
        started = time.perf_counter()
        run.emit(
            EventType.ENGINE_EVENT,
            None,
            f"Executing steps using multiprocess executor: parent process (pid: {run.pid}), up to {size} "
            f"worker processes ({pool.start_method}).",
            EngineEventData({"max_concurrent": size}),
        )
        graceful = False
        try:
            _Driver(
                run, pool, ConcurrencyLimiter(settings.pool_limits, settings.tag_concurrency_limits), capture
            ).drive()
            graceful = True
        finally:
            pool.shutdown(graceful=graceful, timeout=settings.shutdown_timeout)
            elapsed = time.perf_counter() - started
            run.emit(
                EventType.ENGINE_EVENT,
                None,
                f"Multiprocess executor: parent process exiting after {elapsed:.3g}s (pid: {run.pid}); "
                f"{len(pool.started_pids)} worker processes started.",
                EngineEventData({"worker_pids": list(pool.started_pids)}),
            )
            run.flush()


def _start_method(raw: Any) -> str:
    name = next(iter(raw), None) if isinstance(raw, Mapping) else raw
    if name not in START_METHODS:
        raise _config_error(
            f"start_method must be one of {list(START_METHODS)}; got {raw!r}.", "start_method"
        )
    return str(name)


class _Driver:
    """The parent's loop: dispatch ready steps, store what workers report, until nothing is left."""

    def __init__(
        self, run: RunContext, pool: WorkerPool, limiter: ConcurrencyLimiter, capture: CaptureMap
    ) -> None:
        self.run = run
        self.pool = pool
        self.limiter = limiter
        self.capture = capture
        self.pending: list[StepInstance] = []
        self.running: dict[str, StepInstance] = {}
        self.stopping = False
        self.slots = PoolSlots(run)  # instance-wide pools, claimed per step

    def drive(self) -> None:
        try:
            self._drive()
        finally:
            self.slots.free_all()

    def _drive(self) -> None:
        run, active, pool = self.run, self.run.active, self.pool
        while True:
            self._report_decisions()
            if not self.stopping:
                self.pending.extend(active.pop_ready())
                if self.pending and run.has_pending_materializations():
                    # The next steps record (and, skipping unchanged steps, compare) the data versions
                    # of their inputs, which they read from the store: store those first.
                    run.flush()
                self._dispatch()
            # Store what arrived only now, after the next steps are on their way: the write (a
            # transaction on SQL stores) overlaps their execution instead of delaying their start.
            run.flush()
            blocked = bool(self.slots.waiting) and not self.stopping
            if not self.running:
                if not (blocked and self.pending):
                    break
                time.sleep(self.slots.retry_delay())  # every ready step waits for a full pool
                continue
            for _worker, message in pool.wait(self.slots.retry_delay() if blocked else _WAIT):
                if isinstance(message, Died):
                    self._died(message)
                elif message[0] == "events":
                    for entry in message[1]:
                        run.add_entry(entry)
                else:
                    self._done(message[1])

    def _dispatch(self) -> None:
        if not self.pending:
            return
        pool, limiter, active = self.pool, self.limiter, self.run.active
        started: set[str] = set()
        for inst in by_priority(self.pending):
            if not pool.has_capacity:
                break
            if not limiter.can_start(inst.step.node) or not self.slots.try_claim(inst):
                continue
            limiter.start(inst.step.node)
            self.running[inst.key] = inst
            versions = known_versions(self.run, inst.step.node.outputs)
            pool.submit(build_task(active, inst, self.run.run_id, versions=versions))
            self.run.emit(
                EventType.STEP_WORKER_STARTING,
                inst.key,
                f'Launching subprocess for "{inst.key}".',
                EngineEventData(),
            )
            started.add(inst.key)
        if started:
            self.pending = [i for i in self.pending if i.key not in started]

    def _finish(self, key: str) -> StepInstance:
        inst = self.running.pop(key)
        self.limiter.finish(inst.step.node)
        self.slots.free(key)
        return inst

    def _done(self, done: StepDone) -> None:
        run = self.run
        self._finish(done.key)
        self.capture.receive({(v.step, v.output): v.data for v in done.values})
        if done.success:
            run.active.mark_success(done.key, done.outputs, done.dynamic)
            return
        run.failed_steps.append(done.key)
        if run.first_user_error is None:
            run.first_user_error = _unpickle_error(done)
        run.active.mark_failed(done.key)
        if run.raise_on_error:
            self.stopping = True

    def _died(self, died: Died) -> None:
        task = died.task
        if task is None or task.key not in self.running:
            return  # an idle worker exited: the next step gets a new one
        run = self.run
        self._finish(task.key)
        message = (
            f'Execution of step "{task.key}" failed: its worker process (pid {died.pid}) {died.describe()} '
            "before the step finished."
        )
        error = StepWorkerError(message)
        run.emit(
            EventType.STEP_FAILURE,
            task.key,
            message,
            StepFailureData(ErrorInfo.from_exception(error), None, "FRAMEWORK_ERROR"),
            level=40,
        )
        run.failed_steps.append(task.key)
        if run.first_user_error is None:
            run.first_user_error = error
        run.active.mark_failed(task.key)
        if run.raise_on_error:
            self.stopping = True

    def _report_decisions(self) -> None:
        decisions = self.run.active.decisions
        if not decisions:
            return
        while decisions:
            inst, outcome = decisions.popleft()
            if outcome is StepOutcome.SKIPPED:
                self.run.emit(EventType.STEP_SKIPPED, inst.key, f'Skipped execution of step "{inst.key}".')


def _unpickle_error(done: StepDone) -> BaseException:
    if done.error is not None:
        try:
            exc = pickle.loads(done.error)
            if isinstance(exc, BaseException):
                return exc
        except Exception:
            pass
    return StepWorkerError(
        f'Step "{done.key}" failed: {done.error_text or "an error that could not be sent back"}'
    )


multiprocess_executor = MultiprocessExecutor()
#: Dagster's default executor of jobs: multiprocess, or in process when the run config says
#: ``execution: {config: {in_process: {}}}`` (``{multiprocess: {...}}`` configures the pool).
multi_or_in_process_executor = MultiprocessExecutor(name="multi_or_in_process")
