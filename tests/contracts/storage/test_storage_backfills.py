"""BackfillStore contract: add, read, filter, page and update backfills; the status of their runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from headwater.core.asset_key import AssetKey
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.backfills import (
    BackfillNotFoundError,
    BulkActionsFilter,
    BulkActionStatus,
    PartitionBackfill,
)
from headwater.storage.protocols import Storage
from headwater.storage.runs import BACKFILL_ID_TAG, Run
from headwater.storage.sql.backfill_store import DuplicateBackfillError

from .conftest import Events


def _backfill(backfill_id: str, ts: float, **kw: object) -> PartitionBackfill:
    return PartitionBackfill(
        backfill_id=backfill_id,
        status=BulkActionStatus.REQUESTED,
        backfill_timestamp=ts,
        asset_selection=(AssetKey("a"), AssetKey(["b", "c"])),
        plan_snapshot_id="0" * 64,
        num_runs=3,
        num_partitions=6,
        partitions="2024-01-01...2024-01-03",
        **kw,  # type: ignore[arg-type]
    )


def test_add_get_update(storage: Storage) -> None:
    store = storage.backfills
    assert store.get_backfill("nope") is None
    b = _backfill("b1", 1_700_000_000.0, tags={"team": "x"})
    store.add_backfill(b)
    assert store.get_backfill("b1") == b
    with pytest.raises(DuplicateBackfillError, match="b1"):
        store.add_backfill(b)
    done = b.with_status(BulkActionStatus.COMPLETED_SUCCESS, backfill_end_timestamp=1_700_000_100.0)
    store.update_backfill(done)
    assert store.get_backfill("b1") == done
    with pytest.raises(BackfillNotFoundError, match="b2"):
        store.update_backfill(_backfill("b2", 1.0))


def test_list_filter_and_page(storage: Storage) -> None:
    store = storage.backfills
    for i in range(5):
        store.add_backfill(_backfill(f"b{i}", 1_700_000_000.0 + i, tags={"n": str(i % 2)}))
    store.update_backfill(store.get_backfill("b3").with_status(BulkActionStatus.CANCELED))  # type: ignore[union-attr]
    assert [b.backfill_id for b in store.get_backfills()] == ["b4", "b3", "b2", "b1", "b0"]
    assert [b.backfill_id for b in store.get_backfills(limit=2, cursor="b3")] == ["b2", "b1"]
    assert [b.backfill_id for b in store.get_backfills(status=BulkActionStatus.CANCELED)] == ["b3"]
    requested = BulkActionsFilter(statuses=[BulkActionStatus.REQUESTED])
    assert store.get_backfills_count(requested) == 4
    assert [b.backfill_id for b in store.get_backfills(BulkActionsFilter(tags={"n": "1"}))] == ["b3", "b1"]
    assert store.get_backfills_count(BulkActionsFilter(tags={"n": ["0", "1"]})) == 5
    after = BulkActionsFilter(created_after=datetime.fromtimestamp(1_700_000_002.5, UTC))
    assert [b.backfill_id for b in store.get_backfills(after)] == ["b4", "b3"]


def test_run_statuses_of_a_backfill(storage: Storage, events: Events) -> None:
    for run_id, backfill in (("r1", "b1"), ("r2", "b1"), ("r3", "b2"), ("r4", None)):
        tags = {BACKFILL_ID_TAG: backfill} if backfill else {}
        storage.run_store.add_run(Run(job_name="job", run_id=run_id, tags=tags))
    storage.handle_new_events([events.run("r2", EventType.RUN_ENQUEUED)])
    assert storage.backfills.get_backfill_run_statuses("b1") == {
        "r1": RunStatus.NOT_STARTED,
        "r2": RunStatus.QUEUED,
    }
    assert storage.backfills.get_backfill_run_statuses("nope") == {}
