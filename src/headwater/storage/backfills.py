"""Backfills as stored: ``PartitionBackfill`` (Dagster's name), its ``BulkActionStatus``, the filter
of ``get_backfills``, and the plan snapshot (``selection.backfill_plan.BackfillPlan``).

A backfill row holds what changes (status, paused, error, counts, end time); what it will run -- the
plan: groups, their job specs, every request -- is stored once as a content-addressed snapshot
(``plan_snapshot_id``). Progress is the runs themselves: each request's run has an id derived from
the backfill and its partitions (``BackfillPlan.run_id_for``) and carries the backfill's id
(``dagster/backfill``), so the store knows which requests have runs and how they ended
(``BackfillStore.get_backfill_run_statuses``), and nothing else needs saving between ticks.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from headwater.core import codec
from headwater.core.asset_key import AssetKey
from headwater.errors import HeadwaterError
from headwater.selection.backfill_plan import PLAN_FORMAT_VERSION, BackfillPlan

PLAN_KIND = "backfill_plan"
BACKFILL_FORMAT_VERSION = 1


class BackfillNotFoundError(HeadwaterError):
    """No backfill with this id in storage."""


class BulkActionStatus(enum.Enum):
    """Where a backfill stands (Dagster's enum). REQUESTED: runs are being submitted or are running;
    COMPLETED_SUCCESS / COMPLETED_FAILED: every run finished (some failed, or were never started
    because what they read failed); CANCELING then CANCELED; FAILED: the backfill itself could not
    go on (its error says why)."""

    REQUESTED = "REQUESTED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"
    COMPLETED_SUCCESS = "COMPLETED_SUCCESS"
    COMPLETED_FAILED = "COMPLETED_FAILED"
    FAILING = "FAILING"


#: Statuses a backfill leaves no more.
TERMINAL_STATUSES = frozenset(
    {
        BulkActionStatus.COMPLETED,
        BulkActionStatus.FAILED,
        BulkActionStatus.CANCELED,
        BulkActionStatus.COMPLETED_SUCCESS,
        BulkActionStatus.COMPLETED_FAILED,
    }
)


class PartitionBackfill(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    """One backfill: an asset selection over a choice of partitions, run by the backfill tick."""

    backfill_id: str
    status: BulkActionStatus
    backfill_timestamp: float
    asset_selection: tuple[AssetKey, ...]
    plan_snapshot_id: str
    num_runs: int
    num_partitions: int
    partitions: str = ""
    tags: dict[str, str] = {}
    paused: bool = False
    title: str | None = None
    description: str | None = None
    error: str | None = None
    backfill_end_timestamp: float | None = None

    def with_status(self, status: BulkActionStatus, **changes: Any) -> PartitionBackfill:
        return msgspec.structs.replace(self, status=status, **changes)

    def with_paused(self, paused: bool) -> PartitionBackfill:
        return msgspec.structs.replace(self, paused=paused)

    @property
    def is_finished(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def job_name(self) -> str | None:
        return None


@dataclass(frozen=True)
class BulkActionsFilter:
    """Which backfills ``get_backfills`` returns (Dagster's filter): every field given must match."""

    statuses: Sequence[BulkActionStatus] | None = None
    created_before: datetime | None = None
    created_after: datetime | None = None
    tags: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    backfill_ids: Sequence[str] | None = None


class _BackfillDocument(msgspec.Struct):
    backfill: PartitionBackfill
    v: int


class _PlanDocument(msgspec.Struct):
    plan: BackfillPlan
    v: int


def backfill_to_json(backfill: PartitionBackfill) -> str:
    """``{"backfill": {...}, "v": 1}``."""
    return codec.encode(_BackfillDocument(backfill, BACKFILL_FORMAT_VERSION)).decode()


def backfill_from_json(text: str | bytes) -> PartitionBackfill:
    codec.check_version(codec.version_of(text, "a backfill"), "a backfill", BACKFILL_FORMAT_VERSION)
    return codec.decode(text, _BackfillDocument, "a backfill").backfill


def plan_to_json(plan: BackfillPlan) -> str:
    """``{"plan": {...}, "v": 1}``, canonical (the snapshot id is its hash)."""
    return codec.canonical(_PlanDocument(plan, PLAN_FORMAT_VERSION)).decode()


def plan_from_json(text: str | bytes, snapshot_id: str) -> BackfillPlan:
    what = f"the backfill plan {snapshot_id}"
    codec.check_version(codec.version_of(text, what), what, PLAN_FORMAT_VERSION)
    with codec.paused_gc():
        return codec.decode(text, _PlanDocument, what).plan


__all__ = [
    "PLAN_KIND",
    "TERMINAL_STATUSES",
    "BackfillNotFoundError",
    "BulkActionStatus",
    "BulkActionsFilter",
    "PartitionBackfill",
    "backfill_from_json",
    "backfill_to_json",
    "plan_from_json",
    "plan_to_json",
]
