"""Checks every out-of-process executor makes before a run's first step, and how it fails the run."""

from __future__ import annotations

from headwater.core.error_info import ErrorInfo
from headwater.definitions.mem_io_manager import InMemoryIOManager
from headwater.errors import UnmetExecutorRequirementsError
from headwater.events.event_type import EventType
from headwater.events.payloads import RunFailureData
from headwater.execution.run_context import RunContext
from headwater.execution.run_driver import resource_keys_for


def check_io_managers(run: RunContext, executor_name: str) -> None:
    """Values cannot cross processes through an in-memory IO manager: fail before any step runs."""
    resources = run.resources
    selected = set(run.plan.step_keys) if run.plan.is_subset else None
    bad = sorted(
        k
        for k in resource_keys_for(run.job, selected)
        if resources is not None and k in resources and isinstance(resources[k], InMemoryIOManager)
    )
    if not bad:
        return
    message = (
        f"The {executor_name} executor cannot run job '{run.job_name}': resource(s) {bad} are in-memory IO "
        "managers (InMemoryIOManager / mem_io_manager), whose values do not cross processes. Use "
        f"FilesystemIOManager or another persistent IO manager with the {executor_name} executor, or run in "
        "process (in_process_executor, materialize_to_memory)."
    )
    error = UnmetExecutorRequirementsError(message)
    fail_run(run, error)
    raise error


def fail_run(run: RunContext, error: BaseException) -> None:
    """The run cannot start its steps: record RUN_FAILURE (the caller raises ``error``)."""
    run.emit(
        EventType.RUN_FAILURE,
        None,
        str(error),
        RunFailureData(ErrorInfo.from_exception(error), "JOB_INITIALIZATION_FAILURE", None),
        level=40,
    )
    run.flush()
