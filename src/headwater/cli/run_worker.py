"""``headwater run-worker RUN_ID``: execute one launched run in this process (started by the run
launcher, not by hand).

Loads the run's code (its code pointer), checks that the plan stored with the run still matches the
code, runs that plan with the job's executor, writes the run's events and a heartbeat to storage, and
exits: 0 when the run succeeded or was canceled, 1 when it failed, 2 when there is no such run.
SIGTERM (``headwater run cancel``) stops it: no new steps, step workers terminated, RUN_CANCELED.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from headwater.core.error_info import ErrorInfo
from headwater.errors import HeadwaterError
from headwater.events.payloads import EngineEventData, RunFailureData
from headwater.events.run_status import RunStatus
from headwater.execution import compute_logs
from headwater.runs.code_pointer import CodePointer
from headwater.runs.snapshots import load_plan, plan_differences
from headwater.runs.worker_support import Heartbeat, InterruptOnSigterm, RunInterrupted
from headwater.storage.runs import PARTITION_NAME_TAG, Run


class PlanMismatchError(HeadwaterError):
    """The job's code changed since the run was created: the stored plan no longer fits it."""


@click.command("run-worker", hidden=True)
@click.argument("run_id")
def run_worker_command(run_id: str) -> None:
    """Execute a launched run in this process (the run launcher starts this)."""
    sys.exit(run_worker(run_id))


def run_worker(run_id: str) -> int:
    from headwater.instance import Instance

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    instance = Instance.get()
    try:
        run = instance.get_run_by_id(run_id)
        if run is None:
            print(f"headwater run-worker: no run {run_id} in {instance.root_directory}", file=sys.stderr)
            return 2
        if run.is_finished:
            return 0
        if run.status is RunStatus.CANCELING:
            instance.report_run_canceled(run, "Run canceled before its worker started.")
            return 0
        settings = instance.runs_settings
        store = instance.storage.run_workers
        beat = Heartbeat(store, run_id, settings.heartbeat_interval_seconds, instance.storage.clock)
        with InterruptOnSigterm(), beat:
            try:
                return _work(instance, run)
            except RunInterrupted:
                _mark_canceled(instance, run_id)
                return 0
    finally:
        instance.dispose()


def _work(instance: Any, run: Run) -> int:
    instance.report_engine_event(
        f"Started run worker process for run {run.run_id} (pid: {os.getpid()}).",
        run,
        EngineEventData({"pid": os.getpid()}),
    )
    try:
        job, plan = _prepare(instance, run)
    except (Exception, SystemExit) as exc:
        _fail_before_start(instance, run, exc)
        return 1
    # Each step's stdout and stderr go to its compute log files (here and in the step workers started),
    # for this run only: a caller that runs the worker in its own process gets its environment back.
    previous = os.environ.get(compute_logs.DIR_ENV)
    os.environ[compute_logs.DIR_ENV] = compute_logs.compute_log_root(instance.storage_directory())
    try:
        result = _execute(instance, run, job, plan)
    except Exception as exc:  # config, resources or executor setup: the run must not stay STARTED
        _fail_unfinished(instance, run.run_id, exc)
        return 1
    finally:
        if previous is None:
            os.environ.pop(compute_logs.DIR_ENV, None)
        else:
            os.environ[compute_logs.DIR_ENV] = previous
    return 0 if result.success else 1


def _prepare(instance: Any, run: Run) -> tuple[Any, Any]:
    """The job rebuilt from code and the plan stored with the run, checked against each other."""
    from headwater.locations.server.loader import load_definitions
    from headwater.planning.plan import build_plan

    pointer = CodePointer.from_run_tags(run.run_id, run.tags)
    defs = load_definitions(
        module_name=pointer.module_name,
        python_file=pointer.python_file,
        attribute=pointer.attribute,
        working_directory=pointer.working_directory,
    )
    from headwater.definitions.asset_job import IMPLICIT_ASSET_JOB_NAME, run_selection, selection_job

    if run.job_name == IMPLICIT_ASSET_JOB_NAME:
        keys = sorted(run.asset_selection or (), key=lambda k: k.to_string())
        checks = run.asset_check_selection
        selection = run_selection(keys, sorted(checks, key=lambda k: k.to_user_string()) if checks else None)
        job = selection_job(IMPLICIT_ASSET_JOB_NAME, defs.collection, selection, defs.resources)
    else:
        job = defs.resolve_job_def(run.job_name)
    stored = load_plan(instance.run_storage, run)
    problems = plan_differences(stored, build_plan(job.spec, run.step_keys_to_execute))
    if problems:
        raise PlanMismatchError(
            f"The code of job '{run.job_name}' ({pointer.describe()}) changed since run {run.run_id} was "
            f"created, and the plan stored with the run no longer fits it: {'; '.join(problems)}. "
            "Launch a new run of the job instead."
        )
    return job, stored


def _execute(instance: Any, run: Run, job: Any, plan: Any) -> Any:
    from headwater.execution.api import default_resources
    from headwater.execution.in_process_executor import in_process_executor
    from headwater.execution.run_driver import execute_run

    resource_defs = default_resources(job.resource_defs, instance)
    if job.asset_layer is not None:
        job.asset_layer.validate_load_io_managers(job.spec, resource_defs)
    executor = job.executor_def if hasattr(job.executor_def, "execute") else in_process_executor
    return execute_run(
        job,
        executor=executor,
        instance=instance,
        run_config=run.run_config or None,
        resource_defs=resource_defs,
        step_keys=run.step_keys_to_execute,
        raise_on_error=False,
        partition_key=run.tags.get(PARTITION_NAME_TAG),
        run_id=run.run_id,
        tags=None,
        input_values=None,
        asset_selection=run.asset_selection,
        existing_run=run,
        plan=plan,
    )


def _fail_before_start(instance: Any, run: Run, exc: BaseException) -> None:
    """The code did not load (or no longer fits the plan): ENGINE_EVENT + RUN_FAILURE with the error."""
    error = ErrorInfo.from_exception(exc)
    user_traceback = getattr(exc, "user_traceback", None)
    detail = user_traceback or error.to_string()
    headline = f"Run worker could not start run {run.run_id}: {type(exc).__name__}: {exc}".split("\n\n")[0]
    instance.report_engine_event(headline, run, EngineEventData(error=error))
    instance.report_run_failed(
        run, f"{headline}\n\n{detail}", RunFailureData(error, "JOB_INITIALIZATION_FAILURE", None)
    )


def _fail_unfinished(instance: Any, run_id: str, exc: BaseException) -> None:
    current = instance.get_run_by_id(run_id)
    if current is None or current.is_finished:
        return
    error = ErrorInfo.from_exception(exc)
    instance.report_run_failed(
        current,
        f"Execution of run {run_id} failed: {type(exc).__name__}: {exc}",
        RunFailureData(error, "JOB_INITIALIZATION_FAILURE", None),
    )


def _mark_canceled(instance: Any, run_id: str) -> None:
    current = instance.get_run_by_id(run_id)
    if current is not None and not current.is_finished:
        instance.report_run_canceled(current, "Run canceled: the run worker stopped on SIGTERM.")
