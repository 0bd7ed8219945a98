"""A corrupt or truncated event row (bad JSON, an unknown format version or type) is skipped by every
reader with a warning naming its storage id; the rows around it are read as usual."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.storage.databases import database_url
from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.records import EventRecordsFilter
from headwater.storage.serde import entry_to_json
from headwater.storage.sql import SqlStorage
from headwater.storage.sql.schema import asset_keys, event_logs

MAT = EventType.ASSET_MATERIALIZATION


def _mat(run_id: str, key: str, ts: float) -> EventLogEntry:
    data = AssetMaterialization(AssetKey(key))
    return EventLogEntry(run_id, ts, Event(MAT, "job", "s", event_specific_data=data), job_name="job")


def _garbage() -> list[str]:
    good = json.loads(entry_to_json(_mat("r1", "a", 1.0)))
    newer = {**good, "v": 99}
    unknown_type = {**good, "event_type": "NO_SUCH_EVENT"}
    foreign = {**good, "data": {"__t": "os:system", "__f": {}}}
    unknown_payload = {**good, "data": {"type": "NoSuchData"}}
    old_foreign = {"v": 2, "job_name": "job", "data": {"__t": "os:system", "__f": {}}}
    return [
        "not json at all",
        entry_to_json(_mat("r1", "a", 1.0))[:40],  # truncated
        json.dumps(newer),
        json.dumps(unknown_type),
        json.dumps(foreign),
        json.dumps(unknown_payload),
        json.dumps(old_foreign),
        "[1, 2, 3]",
    ]


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mysql"])
def test_corrupt_event_rows_are_skipped_with_a_warning(
    backend: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with database_url(backend, tmp_path) as url:
        storage = SqlStorage(url)
        try:
            store = storage.event_store
            first = store.store_events([_mat("r1", "a", 1.0)])[0]
            bad_ids = []
            with storage.database.engine.begin() as conn:
                for text in _garbage():
                    row = {"run_id": "r1", "event": text, "dagster_event_type": MAT.value, "timestamp": 2.0,
                           "asset_key": AssetKey("a").to_string()}  # fmt: skip
                    bad_ids.append(conn.execute(sa.insert(event_logs).values(**row)).inserted_primary_key[0])
                # The asset index points at the last corrupt row (as if it were the latest materialization).
                conn.execute(sa.update(asset_keys).values(last_materialization_id=bad_ids[-1]))
            last = store.store_events([_mat("r1", "b", 3.0)])[0]

            caplog.set_level(logging.WARNING, logger="headwater.storage")
            logs = store.get_logs_for_run("r1")
            assert [e.timestamp for e in logs] == [1.0, 3.0]
            for bad_id in bad_ids:
                assert f"Skipping event log row {bad_id}:" in caplog.text
            assert "unknown format version 99" in caplog.text and "NO_SUCH_EVENT" in caplog.text

            connection = store.get_records_for_run("r1", limit=4)
            assert [r.storage_id for r in connection.records] == [first]
            assert connection.cursor == str(bad_ids[2]) and connection.has_more
            rest = store.get_records_for_run("r1", cursor=connection.cursor)
            assert [r.storage_id for r in rest.records] == [last]
            records = store.get_event_records(EventRecordsFilter(MAT, asset_key=AssetKey("a")))
            assert [r.storage_id for r in records] == [first]
            assert store.get_latest_materialization_events([AssetKey("a")]) == {AssetKey("a"): None}
            [asset_record] = store.get_asset_records([AssetKey("a")])
            assert asset_record.asset_entry.last_materialization_record is None
            assert store.get_latest_materialization_events([AssetKey("b")])[AssetKey("b")] is not None
        finally:
            storage.dispose()
