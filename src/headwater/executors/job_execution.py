"""Running a job from Python as Dagster scripts do: ``execute_job(reconstructable(job), instance)``.

The job runs with its own executor -- by default Dagster's ``multi_or_in_process_executor``: worker
processes, or this process when the run config says ``execution: {config: {in_process: {}}}`` -- and
its outputs go through its IO managers (the filesystem one under the instance's storage directory
unless the job says otherwise). The result is a context manager, as in Dagster.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from headwater.definitions.job import JobDefinition
from headwater.definitions.reconstructable import ReconstructableJob
from headwater.errors import InvalidInvocationError, RunNotFoundError
from headwater.events.event_type import EventType
from headwater.execution.result import ExecuteInProcessResult
from headwater.executors.multiprocess import multi_or_in_process_executor
from headwater.planning.plan import build_plan
from headwater.planning.step_outcomes import steps_not_succeeded
from headwater.storage.runs import PARENT_RUN_ID_TAG, RESUME_RETRY_TAG, ROOT_RUN_ID_TAG


class JobExecutionResult(ExecuteInProcessResult):
    """The result of ``execute_job``: events, success and output values; use it in a ``with`` block."""

    def __enter__(self) -> JobExecutionResult:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


@dataclass(frozen=True)
class ReexecutionOptions:
    """Which run to re-execute and which of its steps (all of them when ``step_selection`` is empty)."""

    parent_run_id: str
    step_selection: Sequence[str] = ()

    @staticmethod
    def from_failure(run_id: str, instance: Any) -> ReexecutionOptions:
        """Re-execute the steps of ``run_id`` that did not succeed (failed, skipped, never started)."""
        parent = instance.get_run_by_id(run_id)
        if parent is None:
            raise RunNotFoundError(f"No run {run_id} in this instance to re-execute.")
        if parent.is_success:
            raise InvalidInvocationError(
                f"Run {run_id} succeeded: there is no failure to re-execute from. Re-execute it with "
                "ReexecutionOptions(parent_run_id=...) to run it all again."
            )
        succeeded: set[str] = set()
        failed: set[str] = set()
        for entry in instance.all_logs(run_id, of_type={EventType.STEP_SUCCESS, EventType.STEP_FAILURE}):
            event = entry.dagster_event
            if event is not None and event.step_key is not None:
                (succeeded if event.event_type is EventType.STEP_SUCCESS else failed).add(event.step_key)
        plan_keys = parent.step_keys_to_execute
        if plan_keys is None:
            plan_keys = sorted(
                {
                    e.dagster_event.step_key
                    for e in instance.all_logs(run_id)
                    if e.dagster_event and e.dagster_event.step_key
                }
            )
        return ReexecutionOptions(run_id, tuple(steps_not_succeeded(list(plan_keys), succeeded, failed)))


def _job_of(job: ReconstructableJob | JobDefinition) -> JobDefinition:
    definition = job.get_definition() if isinstance(job, ReconstructableJob) else job
    if not isinstance(definition, JobDefinition):
        raise InvalidInvocationError(
            f"execute_job needs a job (reconstructable(my_job)); got {type(definition).__name__}."
        )
    return definition


def execute_job(
    job: ReconstructableJob | JobDefinition,
    instance: Any,
    run_config: Any = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
    op_selection: Sequence[str] | None = None,
    reexecution_options: ReexecutionOptions | None = None,
    asset_selection: Sequence[Any] | None = None,
) -> JobExecutionResult:
    """Run ``job`` (``reconstructable(my_job)``) with its executor and record it in ``instance``."""
    from headwater.execution.api import execute_job as run_job

    if instance is None:
        raise InvalidInvocationError(
            "execute_job needs an instance: pass instance=DagsterInstance.get(), or one from "
            "instance_for_test()."
        )
    definition = _job_of(job)
    if definition.executor_def is None:
        definition = definition._copy()
        definition.executor_def = multi_or_in_process_executor
    all_tags = dict(tags or {})
    parent = None
    steps: list[str] | None = None
    if reexecution_options is not None:
        parent = instance.get_run_by_id(reexecution_options.parent_run_id)
        if parent is None:
            raise RunNotFoundError(
                f"No run {reexecution_options.parent_run_id} in this instance to re-execute."
            )
        if run_config is None:
            run_config = parent.run_config
        steps = list(reexecution_options.step_selection) or None
        plan_keys = build_plan(definition.spec).step_keys
        unknown = [k for k in steps or () if k not in plan_keys]
        if unknown:
            raise InvalidInvocationError(
                f"Steps {unknown} are not steps of job {definition.name!r}: {plan_keys}."
            )
        all_tags = {**{k: v for k, v in parent.tags.items() if not k.startswith("dagster/")}, **all_tags}
        all_tags[PARENT_RUN_ID_TAG] = parent.run_id
        all_tags[ROOT_RUN_ID_TAG] = parent.root_run_id or parent.run_id
        if steps is not None:
            all_tags[RESUME_RETRY_TAG] = "true"
    result = run_job(
        definition,
        run_config=run_config,
        instance=instance,
        raise_on_error=raise_on_error,
        op_selection=op_selection,
        asset_selection=asset_selection,
        tags=all_tags,
        step_keys=steps,
        parent_run_id=parent.run_id if parent is not None else None,
        root_run_id=(parent.root_run_id or parent.run_id) if parent is not None else None,
    )
    return JobExecutionResult(result._run)
