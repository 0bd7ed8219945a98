"""Storage contract: every store stamps its rows with the storage's clock (never the wall clock)."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater.core.asset_key import AssetKey
from headwater.storage.runs import Run
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

from .conftest import Events
from .databases import BACKENDS, database_url


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_store_stamps_rows_with_the_storage_clock(backend: str, tmp_path: Path, events: Events) -> None:
    clock = FakeClock(1_000.0)
    with database_url(backend, tmp_path) as url:
        storage = SqlStorage(url, clock=clock)
        try:
            storage.run_store.add_run(Run("job", run_id="r"))
            clock.advance(1)
            storage.run_store.add_run_tags("r", {"k": "v"})
            record = storage.run_store.get_run_record("r")
            assert record is not None
            assert (record.create_timestamp.timestamp(), record.update_timestamp.timestamp()) == (
                1000.0,
                1001.0,
            )

            clock.advance(1)
            storage.concurrency.set_limit("db", 1)
            assert storage.concurrency.claim_slot("db", "r", "a")
            assert not storage.concurrency.claim_slot("db", "r", "b")
            info = storage.concurrency.get_pool_info("db")
            assert [s.timestamp for s in info.claimed] == [p.timestamp for p in info.pending] == [1002.0]

            clock.advance(1)
            storage.event_store.store_events([events.mat("r", "a")])
            storage.event_store.wipe_assets([AssetKey("a")])
            storage.event_store.store_events([events.mat("r", "a")])
            [asset] = storage.event_store.get_asset_records([AssetKey("a")])
            details = asset.asset_entry.asset_details
            assert details is not None and details.last_wipe_timestamp == 1003.0
        finally:
            storage.dispose()
