"""The step-worker entry point of remote workers: Celery and Dask run step tasks through ``run_task``.

A worker process opens the instance once (``Instance.get()``: ``$HEADWATER_HOME/headwater.yaml``, the
same shared store the run worker writes to), imports the code once per job pointer, and keeps a
``StepWorker`` per run it serves (its context and resources, built on the first task of the run; the
oldest is closed when more than ``_KEEP_RUNS`` runs are open). Each task then runs with ``run_step``
and its events are written straight into the shared store, one transaction per step.

Before running a task the worker claims the step (``executors.step_claims``): a step whose earlier
delivery is still running elsewhere is waited for, one that finished is answered from the store, and
one whose worker was lost mid-step is retried per its RetryPolicy or failed with the reason. So a
message that the broker delivers again (acks late) is never lost and never runs twice to success.
"""

from __future__ import annotations

import os
import socket
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from headwater.errors import UnmetExecutorRequirementsError
from headwater.events.event_type import EventType
from headwater.execution.run_context import RunContext
from headwater.execution.run_driver import resource_keys_for
from headwater.executors.step_claims import StepClaim, Takeover
from headwater.executors.step_task import JobPointer, StepDone, StepTask, decode_task, encode_done
from headwater.executors.step_worker import StepWorker
from headwater.planning.plan import ExecutionPlan
from headwater.runs.snapshots import load_plan_snapshot

_KEEP_RUNS = 4
#: Seconds between a running step's heartbeats; a step is taken as lost after 3 missed ones.
HEARTBEAT_ENV = "HEADWATER_STEP_HEARTBEAT_SECONDS"


def _open_instance() -> Any:
    # A lazy import of the layer beside this one (a named exception in .importlinter): a remote worker
    # opens the instance of its process, as the run worker does.
    from headwater.instance import Instance

    return Instance.get()


class _WorkerState:
    """What one worker process keeps between tasks."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # Dask may run tasks on several threads of one worker
        self.instance_factory: Callable[[], Any] = _open_instance
        self.instance: Any = None
        self.jobs: dict[JobPointer, Any] = {}
        self.workers: OrderedDict[str, StepWorker] = OrderedDict()
        self.where = f"a step worker on {socket.gethostname()}"

    def open_instance(self) -> Any:
        if self.instance is None:
            instance = self.instance_factory()
            if instance.storage.is_in_memory:
                raise UnmetExecutorRequirementsError(
                    "A remote step worker opened an in-memory instance: steps on other processes need "
                    "the run's shared store. Give the workers the run worker's headwater.yaml "
                    "($HEADWATER_HOME), with PostgreSQL (or MySQL) storage."
                )
            self.instance = instance
        return self.instance

    def job(self, pointer: JobPointer) -> Any:
        job = self.jobs.get(pointer)
        if job is None:
            job = self.jobs[pointer] = pointer.load()
        return job

    def worker_for(self, task: StepTask) -> StepWorker:
        worker = self.workers.get(task.run_id)
        if worker is not None:
            self.workers.move_to_end(task.run_id)
            return worker
        worker = StepWorker(*_build_context(self, task), capture_limit=None, where=self.where)
        self.workers[task.run_id] = worker
        while len(self.workers) > _KEEP_RUNS:
            _, old = self.workers.popitem(last=False)
            old.close()
        return worker

    def close(self) -> None:
        while self.workers:
            _, worker = self.workers.popitem()
            worker.close()
        if self.instance is not None:
            self.instance.dispose()
            self.instance = None


_state = _WorkerState()


def configure(*, instance_factory: Callable[[], Any] | None = None, where: str | None = None) -> None:
    """Set how this process opens its instance (default ``Instance.get()``) and names itself in events."""
    if instance_factory is not None:
        _state.instance_factory = instance_factory
    if where is not None:
        _state.where = where


def shutdown() -> None:
    """Tear down the open runs' resources and close the instance (a worker process exiting)."""
    with _state.lock:
        _state.close()


def _build_context(state: _WorkerState, task: StepTask) -> tuple[RunContext, frozenset[str]]:
    from headwater.execution.api import default_resources
    from headwater.execution.run_config import process_run_config
    from headwater.execution.run_partitions import partitioned_run_config, resolve_run_partitions

    instance = state.open_instance()
    run = instance.get_run_by_id(task.run_id)
    if run is None:
        raise UnmetExecutorRequirementsError(
            f"Step {task.key!r} is of run {task.run_id}, which is not in the store this worker opened "
            f"({instance!r}, HEADWATER_HOME={os.environ.get('HEADWATER_HOME', '(unset)')}): start the "
            "workers with the run worker's headwater.yaml."
        )
    if task.code is None or task.plan_snapshot_id is None:
        raise UnmetExecutorRequirementsError(
            f"Step task {task.key!r} of run {task.run_id} names no code or plan: only a forked pool "
            "worker can run it."
        )
    job = state.job(task.code)
    plan: ExecutionPlan = load_plan_snapshot(instance.run_storage, task.plan_snapshot_id, task.run_id)
    resource_defs = default_resources(job.resource_defs, instance)
    partitions = resolve_run_partitions(job, None, run.tags, instance, check=False)
    run_config = partitioned_run_config(job, partitions, run.run_config or None)
    shape, node_configs = process_run_config(
        job,
        run_config,
        set(resource_defs),
        plan=plan,
        input_values=job.input_values,
        parent_run_outputs=run.parent_run_id is not None,
    )
    ctx = RunContext(
        job=job,
        plan=plan,
        run=run,
        instance=instance,
        node_configs=node_configs,
        run_config=shape,
        resources=None,
        partition_key=partitions.key if partitions is not None else None,
        input_values=job.input_values,
        raise_on_error=False,
        resource_defs=resource_defs,
        clock=instance.clock,
    )
    ctx.partitions = partitions
    selected = set(plan.step_keys) if plan.is_subset else None
    keys = frozenset(k for k in resource_keys_for(job, selected) if k in resource_defs)
    return ctx, keys


def _heartbeat_interval() -> float:
    try:
        return float(os.environ.get(HEARTBEAT_ENV, "5"))
    except ValueError:
        return 5.0


def run_task(task: StepTask, *, redelivered: bool = True) -> StepDone:
    """Run ``task`` in this process (claiming it first); what became of it. ``redelivered``: the
    engine may have handed this task out before (unknown: True); on a first delivery the claim is
    written without reading it first."""
    with _state.lock:
        worker = _state.worker_for(task)
        instance = _state.instance
        claim = StepClaim(instance.storage.run_workers, task, _heartbeat_interval(), instance.clock)
        takeover = claim.acquire(lambda: _recorded(instance, task)) if redelivered else None
        if isinstance(takeover, StepDone):
            return takeover
        if isinstance(takeover, Takeover):
            done = takeover.resolve(worker)
            if done is not None:
                return done
            task = _with_retry(task, takeover.retry_number)
        with claim.beating(task.retry_number):
            return worker.run_task(task)


def run_task_json(text: str | bytes, *, redelivered: bool = True) -> str:
    """``run_task`` over JSON: what Celery and Dask call."""
    return encode_done(run_task(decode_task(text), redelivered=redelivered))


def _with_retry(task: StepTask, retry_number: int) -> StepTask:
    import msgspec

    return msgspec.structs.replace(task, retry_number=retry_number)


def _recorded(instance: Any, task: StepTask) -> StepDone | None:
    """The outcome of ``task``'s step as stored (a step that finished before its message came again)."""
    types = {EventType.STEP_SUCCESS, EventType.STEP_FAILURE, EventType.STEP_OUTPUT}
    success: bool | None = None
    outputs: list[str] = []
    dynamic: dict[str, list[str]] = {}
    for entry in instance.all_logs(task.run_id, of_type=types):
        event = entry.dagster_event
        if event is None or event.step_key != task.key:
            continue
        if event.event_type is EventType.STEP_OUTPUT:
            data = event.event_specific_data
            name = getattr(data, "output_name", None)
            if name is not None:
                outputs.append(name)
                mapping_key = getattr(data, "mapping_key", None)
                if mapping_key is not None:
                    dynamic.setdefault(name, []).append(mapping_key)
        else:
            success = event.event_type is EventType.STEP_SUCCESS
    if success is None:
        return None
    return StepDone(task.key, success, sorted(set(outputs)), dynamic, retry_number=task.retry_number)
