"""Re-executing a run: a new run of the same job, code, config and tags, with parent/root run ids.

``ALL_STEPS`` runs the parent's step selection again; ``FROM_FAILURE`` runs the steps that did not
succeed in the parent (failed, skipped, never started). Inputs from steps left out are loaded through
the IO managers from the outputs of the run that produced them (``execution.step_inputs``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum

from headwater.errors import HeadwaterError, RunNotFoundError
from headwater.events.event_type import EventType
from headwater.planning.step_outcomes import steps_not_succeeded
from headwater.runs.code_pointer import CodePointer
from headwater.runs.create import create_run_for_launch
from headwater.runs.run_events import get_run
from headwater.runs.snapshots import load_job_spec, load_plan
from headwater.runs.tags import CODE_POINTER_TAG, NOT_INHERITED_TAGS
from headwater.storage.protocols import Storage
from headwater.storage.runs import PARENT_RUN_ID_TAG, RESUME_RETRY_TAG, ROOT_RUN_ID_TAG, Run


class ReexecutionStrategy(str, Enum):
    ALL_STEPS = "ALL_STEPS"
    FROM_FAILURE = "FROM_FAILURE"


class ReexecutionError(HeadwaterError):
    """A run cannot be re-executed this way (still running, or nothing failed)."""


def steps_to_retry(storage: Storage, parent: Run) -> list[str]:
    """Step keys of ``parent``'s plan that did not succeed (a mapped step counts as one: it is retried
    when any of its instances failed)."""
    plan = load_plan(storage.run_store, parent)
    succeeded: set[str] = set()
    failed: set[str] = set()
    outcomes = {EventType.STEP_SUCCESS, EventType.STEP_FAILURE}
    for entry in storage.event_store.get_logs_for_run(parent.run_id, of_type=outcomes):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        (succeeded if event.event_type is EventType.STEP_SUCCESS else failed).add(event.step_key)
    return steps_not_succeeded(plan.step_keys, succeeded, failed)


def _inherited_tags(parent: Run) -> Mapping[str, str]:
    skip = NOT_INHERITED_TAGS | {CODE_POINTER_TAG, PARENT_RUN_ID_TAG, ROOT_RUN_ID_TAG, RESUME_RETRY_TAG}
    return {k: v for k, v in parent.tags.items() if k not in skip}


def create_reexecution_run(
    storage: Storage,
    parent_run_id: str,
    strategy: ReexecutionStrategy | None,
    extra_tags: Mapping[str, str] | None = None,
    *,
    steps: Sequence[str] | None = None,
) -> Run:
    """Create (not launch) the re-execution of ``parent_run_id`` (with ``extra_tags`` added).

    ``steps`` (instead of a strategy) re-executes exactly those step keys of the parent's plan.
    """
    parent = get_run(storage, parent_run_id)
    if parent is None:
        raise RunNotFoundError(
            f"No run {parent_run_id} in this instance; `headwater run list` shows the runs."
        )
    if not parent.is_finished:
        raise ReexecutionError(
            f"Run {parent_run_id} is {parent.status.value}; re-execute it once it has finished "
            "(or cancel it first: `headwater run cancel`)."
        )
    tags = {**_inherited_tags(parent), **(extra_tags or {})}
    if steps is not None:
        plan_keys = load_plan(storage.run_store, parent).step_keys
        unknown = [key for key in steps if key not in plan_keys]
        if unknown or not steps:
            raise ReexecutionError(
                f"Cannot re-execute steps {unknown or list(steps)} of run {parent_run_id}: its steps are "
                f"{', '.join(plan_keys)}."
            )
        step_keys: list[str] | None = [key for key in plan_keys if key in set(steps)]
    elif strategy is ReexecutionStrategy.FROM_FAILURE:
        if parent.is_success:
            raise ReexecutionError(
                f"Run {parent_run_id} succeeded: no step to retry from failure. Use --all to run it again."
            )
        step_keys = steps_to_retry(storage, parent)
        tags[RESUME_RETRY_TAG] = "true"
    else:
        step_keys = list(parent.step_keys_to_execute) if parent.step_keys_to_execute is not None else None
    return create_run_for_launch(
        storage.run_store,
        load_job_spec(storage.run_store, parent),
        CodePointer.from_run_tags(parent.run_id, parent.tags),
        run_config=parent.run_config,
        tags=tags,
        step_keys=step_keys,
        asset_selection=parent.asset_selection,
        parent_run_id=parent.run_id,
        root_run_id=parent.root_run_id or parent.run_id,
    )
