"""Creating a run that a worker in another process can execute."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.core import codec
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.ids import make_new_run_id
from headwater.planning.plan import ExecutionPlan, build_plan
from headwater.runs.code_pointer import CodePointer
from headwater.runs.snapshots import store_job_spec, store_plan
from headwater.runs.tags import CODE_POINTER_TAG
from headwater.specs.job import JobSpec
from headwater.storage.protocols import RunStore
from headwater.storage.runs import PARENT_RUN_ID_TAG, PARTITION_NAME_TAG, ROOT_RUN_ID_TAG, Run


@dataclass(frozen=True)
class LaunchSnapshots:
    """A job's plan and the ids of its stored job spec and plan snapshots: computed once
    (``prepare_launch``) for many runs of the same job (a backfill's), instead of once per run."""

    plan: ExecutionPlan
    job_snapshot_id: str
    plan_snapshot_id: str


def prepare_launch(
    runs: RunStore, job_spec: JobSpec, step_keys: Sequence[str] | None = None
) -> LaunchSnapshots:
    """Plan ``job_spec`` and store its snapshots (once each, by content hash)."""
    plan = build_plan(job_spec, step_keys)
    return LaunchSnapshots(plan, store_job_spec(runs, job_spec), store_plan(runs, plan))


def create_run_for_launch(
    runs: RunStore,
    job_spec: JobSpec,
    code_pointer: CodePointer,
    *,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    step_keys: Sequence[str] | None = None,
    asset_selection: Iterable[AssetKey] | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
    run_id: str | None = None,
    prepared: LaunchSnapshots | None = None,
) -> Run:
    """Store a NOT_STARTED run with everything a worker needs: the code pointer (a tag), the job spec
    and the execution plan (snapshots, by content hash), run config, tags and step selection.

    The plan is computed here, from specs only (no user code), or given as ``prepared`` (by
    ``prepare_launch`` for the same job spec and step keys); the worker runs exactly this plan.
    """
    run = build_run_for_launch(
        runs,
        job_spec,
        code_pointer,
        run_config=run_config,
        tags=tags,
        step_keys=step_keys,
        asset_selection=asset_selection,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
        run_id=run_id,
        prepared=prepared,
    )
    return runs.add_run(run)


def build_run_for_launch(
    runs: RunStore,
    job_spec: JobSpec,
    code_pointer: CodePointer,
    *,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    step_keys: Sequence[str] | None = None,
    asset_selection: Iterable[AssetKey] | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
    run_id: str | None = None,
    snapshot_cache: dict[Any, Any] | None = None,
    prepared: LaunchSnapshots | None = None,
    asset_check_selection: Iterable[AssetCheckKey] | None = None,
) -> Run:
    """The run ``create_run_for_launch`` stores, with its snapshots stored but not the run itself (the
    caller stores many at once with ``RunStore.add_runs``). ``snapshot_cache`` (a dict the caller keeps)
    remembers the plan and snapshot ids per job spec and step selection, so that many runs of one job (a
    scheduler tick) compute and store them once; ``prepared`` gives them (``prepare_launch``)."""
    if prepared is None:
        cache_key: Any = None
        if snapshot_cache is not None:
            cache_key = (codec.canonical(job_spec), None if step_keys is None else tuple(step_keys))
            prepared = snapshot_cache.get(cache_key)
        if prepared is None:
            prepared = prepare_launch(runs, job_spec, step_keys)
            if snapshot_cache is not None:
                snapshot_cache[cache_key] = prepared
    plan = prepared.plan
    all_tags = {**job_spec.tags, **(tags or {}), CODE_POINTER_TAG: code_pointer.to_tag()}
    if parent_run_id is not None:
        all_tags[PARENT_RUN_ID_TAG] = parent_run_id
        all_tags[ROOT_RUN_ID_TAG] = root_run_id or parent_run_id
    run = Run(
        job_name=job_spec.name,
        run_id=run_id or make_new_run_id(),
        run_config=dict(run_config or {}),
        tags=all_tags,
        asset_selection=frozenset(asset_selection) if asset_selection is not None else None,
        asset_check_selection=frozenset(asset_check_selection) if asset_check_selection is not None else None,
        step_keys_to_execute=tuple(sorted(plan.step_keys)) if step_keys is not None else None,
        parent_run_id=parent_run_id,
        root_run_id=(root_run_id or parent_run_id) if parent_run_id is not None else None,
        job_snapshot_id=prepared.job_snapshot_id,
        execution_plan_snapshot_id=prepared.plan_snapshot_id,
    )
    return run


def create_asset_run_for_launch(
    runs: RunStore,
    job_spec: JobSpec,
    code_pointer: CodePointer,
    asset_selection: Iterable[AssetKey],
    *,
    partition_key: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> Run:
    """A launchable run of an ad-hoc asset job (``headwater asset materialize --launch``).

    ``job_spec`` is the spec of the job built for the selection, named as the run worker expects for
    such jobs; the run stores the selected keys, from which the worker rebuilds the job (and checks it
    against the stored plan). ``partition_key`` goes into the run's partition tag.
    """
    all_tags = dict(tags or {})
    if partition_key is not None:
        all_tags[PARTITION_NAME_TAG] = partition_key
    return create_run_for_launch(
        runs, job_spec, code_pointer, tags=all_tags, asset_selection=frozenset(asset_selection)
    )
