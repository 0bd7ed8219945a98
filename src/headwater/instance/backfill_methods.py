"""The backfill part of ``Instance``: Dagster's ``get_backfills``, ``get_backfill``,
``get_backfills_count``, ``add_backfill``, ``update_backfill``, and Headwater's pause, resume, cancel
and per-asset status -- ``runs.backfills`` called with the instance's storage."""

from __future__ import annotations

from collections.abc import Sequence

from headwater.runs import backfills as ops
from headwater.storage.backfills import BulkActionsFilter, BulkActionStatus, PartitionBackfill
from headwater.storage.protocols import Storage


class BackfillMethods:
    """Mixed into ``Instance``."""

    _storage: Storage

    def get_backfills(
        self,
        filters: BulkActionsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        status: BulkActionStatus | None = None,
    ) -> Sequence[PartitionBackfill]:
        """Backfills newest first (``cursor``: a backfill id to continue after)."""
        return self._storage.backfills.get_backfills(filters, cursor, limit, status)

    def get_backfills_count(self, filters: BulkActionsFilter | None = None) -> int:
        return self._storage.backfills.get_backfills_count(filters)

    def get_backfill(self, backfill_id: str) -> PartitionBackfill | None:
        return self._storage.backfills.get_backfill(backfill_id)

    def get_backfill_or_error(self, backfill_id: str) -> PartitionBackfill:
        """The backfill, or ``BackfillNotFoundError`` saying how to list them."""
        return ops.get_backfill(self._storage, backfill_id)

    def add_backfill(self, partition_backfill: PartitionBackfill) -> None:
        self._storage.backfills.add_backfill(partition_backfill)

    def update_backfill(self, partition_backfill: PartitionBackfill) -> None:
        self._storage.backfills.update_backfill(partition_backfill)

    def cancel_backfill(self, backfill_id: str) -> PartitionBackfill:
        """CANCELING: the backfill tick submits no more runs and cancels those not finished."""
        return ops.cancel_backfill(self._storage, backfill_id)

    def pause_backfill(self, backfill_id: str) -> PartitionBackfill:
        return ops.pause_backfill(self._storage, backfill_id)

    def resume_backfill(self, backfill_id: str) -> PartitionBackfill:
        return ops.resume_backfill(self._storage, backfill_id)

    def get_backfill_asset_status(self, backfill_id: str) -> list[ops.AssetBackfillStatus]:
        """Per asset, in partitions: targeted, requested, materialized, failed, in progress, blocked."""
        return ops.backfill_asset_status(self._storage, ops.get_backfill(self._storage, backfill_id))
