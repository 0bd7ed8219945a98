"""Backfills over the storage: create one from its plan, pause, resume and cancel it, and read where
each of its assets stands. Functions that take the ``Storage``; ``Instance``, the CLI and the
webserver call them, and the backfill tick (``daemon.backfill_tick``) turns backfills into runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from headwater.core.asset_key import AssetKey
from headwater.core.ids import make_new_run_id
from headwater.errors import HeadwaterError
from headwater.events.run_status import RunStatus
from headwater.selection.backfill_plan import BackfillPlan
from headwater.storage.backfills import (
    PLAN_KIND,
    BackfillNotFoundError,
    BulkActionStatus,
    PartitionBackfill,
    plan_from_json,
    plan_to_json,
)
from headwater.storage.protocols import Storage

_FAILED = (RunStatus.FAILURE, RunStatus.CANCELED)
#: The AssetBackfillStatus count (after targeted, requested) a request's state adds to.
_COLUMN = {"done": 2, "failed": 3, "running": 4, "blocked": 5}


class BackfillStateError(HeadwaterError):
    """A backfill cannot make this change from where it stands (e.g. resume a finished one)."""


def make_backfill_id() -> str:
    """A short id, as Dagster's (8 lowercase letters and digits)."""
    return make_new_run_id().replace("-", "")[:8]


def create_backfill(
    storage: Storage,
    plan: BackfillPlan,
    *,
    partitions: str,
    tags: Mapping[str, str] | None = None,
    title: str | None = None,
    description: str | None = None,
    backfill_id: str | None = None,
) -> PartitionBackfill:
    """Store ``plan`` (a snapshot) and a REQUESTED backfill of it; the backfill tick does the rest."""
    snapshot_id = storage.run_store.add_snapshot(plan_to_json(plan), PLAN_KIND)
    keys = tuple(k for g in plan.groups for k in g.asset_keys)
    backfill = PartitionBackfill(
        backfill_id=backfill_id or make_backfill_id(),
        status=BulkActionStatus.REQUESTED,
        backfill_timestamp=storage.clock(),
        asset_selection=keys,
        plan_snapshot_id=snapshot_id,
        num_runs=len(plan.requests),
        num_partitions=sum(plan.partitions_by_asset().values()),
        partitions=partitions,
        tags=dict(tags or {}),
        title=title,
        description=description,
    )
    storage.backfills.add_backfill(backfill)
    return backfill


def get_backfill(storage: Storage, backfill_id: str) -> PartitionBackfill:
    backfill = storage.backfills.get_backfill(backfill_id)
    if backfill is None:
        raise BackfillNotFoundError(
            f"No backfill {backfill_id!r} in this instance; `headwater backfill list` shows the backfills."
        )
    return backfill


def load_plan(storage: Storage, backfill: PartitionBackfill) -> BackfillPlan:
    text = storage.run_store.get_snapshot(backfill.plan_snapshot_id)
    if text is None:
        raise BackfillNotFoundError(
            f"The plan {backfill.plan_snapshot_id} of backfill {backfill.backfill_id} is not in storage."
        )
    return plan_from_json(text, backfill.plan_snapshot_id)


def pause_backfill(storage: Storage, backfill_id: str) -> PartitionBackfill:
    """Submit no more runs (those already submitted go on) until ``resume_backfill``."""
    backfill = get_backfill(storage, backfill_id)
    if backfill.status is not BulkActionStatus.REQUESTED:
        raise BackfillStateError(
            f"Backfill {backfill_id} is {backfill.status.value}: only a REQUESTED backfill can be paused."
        )
    updated = backfill.with_paused(True)
    storage.backfills.update_backfill(updated)
    return updated


def resume_backfill(storage: Storage, backfill_id: str) -> PartitionBackfill:
    """Go on with a paused backfill, or with one that FAILED (the tick could not go on): it picks up
    where its runs stand; no run is submitted twice."""
    backfill = get_backfill(storage, backfill_id)
    if backfill.status is BulkActionStatus.FAILED:
        updated = backfill.with_status(
            BulkActionStatus.REQUESTED, paused=False, error=None, backfill_end_timestamp=None
        )
    elif backfill.status is BulkActionStatus.REQUESTED:
        updated = backfill.with_paused(False)
    else:
        raise BackfillStateError(
            f"Backfill {backfill_id} is {backfill.status.value}: only a paused or FAILED backfill can be "
            "resumed (launch a new backfill, e.g. with --failed, to run failed partitions again)."
        )
    storage.backfills.update_backfill(updated)
    return updated


def cancel_backfill(storage: Storage, backfill_id: str) -> PartitionBackfill:
    """CANCELING: the tick submits no more runs, cancels those not finished, then marks it CANCELED."""
    backfill = get_backfill(storage, backfill_id)
    if backfill.is_finished or backfill.status is BulkActionStatus.CANCELING:
        raise BackfillStateError(
            f"Backfill {backfill_id} is {backfill.status.value}: there is nothing to cancel."
        )
    updated = backfill.with_status(BulkActionStatus.CANCELING)
    storage.backfills.update_backfill(updated)
    return updated


@dataclass(frozen=True)
class AssetBackfillStatus:
    """Where one asset of a backfill stands, in partitions (1 for an unpartitioned asset):
    ``requested`` have a run; of those ``materialized``, ``failed`` and ``in_progress`` by how their
    run stands; ``blocked`` were not requested because a partition they read failed."""

    asset_key: AssetKey
    targeted: int
    requested: int
    materialized: int
    failed: int
    in_progress: int
    blocked: int


def request_states(
    plan: BackfillPlan, run_ids: Sequence[str], statuses: Mapping[str, RunStatus]
) -> list[str]:
    """Per request: "done", "failed", "running" (a run not finished), "blocked" (something it reads
    failed), "ready" (everything it reads is done) or "waiting"."""
    states: list[str] = []
    for i, request in enumerate(plan.requests):
        status = statuses.get(run_ids[i])
        if status is not None:
            if status is RunStatus.SUCCESS:
                states.append("done")
            elif status in _FAILED:
                states.append("failed")
            else:
                states.append("running")
            continue
        deps = [states[d] for d in request.depends_on]
        if any(s in ("failed", "blocked") for s in deps):
            states.append("blocked")
        elif all(s == "done" for s in deps):
            states.append("ready")
        else:
            states.append("waiting")
    return states


@dataclass(frozen=True)
class RequestProgress:
    """One run of a backfill: its assets and partitions, its run (once submitted) and its state
    (``request_states``)."""

    asset_keys: tuple[AssetKey, ...]
    partition_keys: tuple[str, ...]
    run_id: str | None
    state: str


def backfill_progress(storage: Storage, backfill: PartitionBackfill) -> list[RequestProgress]:
    """Every run of the backfill, in plan order, and where it stands."""
    plan = load_plan(storage, backfill)
    run_ids = plan.run_ids(backfill.backfill_id)
    statuses = storage.backfills.get_backfill_run_statuses(backfill.backfill_id)
    states = request_states(plan, run_ids, statuses)
    return [
        RequestProgress(
            plan.groups[request.group].asset_keys,
            request.partition_keys,
            run_id if run_id in statuses else None,
            state,
        )
        for request, run_id, state in zip(plan.requests, run_ids, states, strict=True)
    ]


def backfill_asset_status(storage: Storage, backfill: PartitionBackfill) -> list[AssetBackfillStatus]:
    """Each asset of the backfill: partitions targeted, requested, materialized, failed, in progress."""
    counts: dict[AssetKey, list[int]] = {}
    for progress in backfill_progress(storage, backfill):
        n = len(progress.partition_keys) or 1
        state = progress.state
        for key in progress.asset_keys:
            c = counts.setdefault(key, [0] * 6)
            c[0] += n
            if state in ("done", "failed", "running"):
                c[1] += n
            column = _COLUMN.get(state)
            if column is not None:
                c[column] += n
    return [AssetBackfillStatus(k, *c) for k, c in counts.items()]


__all__ = [
    "AssetBackfillStatus",
    "BackfillStateError",
    "RequestProgress",
    "backfill_asset_status",
    "backfill_progress",
    "cancel_backfill",
    "create_backfill",
    "get_backfill",
    "load_plan",
    "make_backfill_id",
    "pause_backfill",
    "request_states",
    "resume_backfill",
]
