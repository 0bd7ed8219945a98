"""Stored entries read back equal on every backend, by every reader of the event log: format 3 rows
(written now) and the format 1 and 2 rows of a database written by the previous release."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.storage.conftest import BACKENDS
from contracts.storage.databases import database_url
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.memory import MemoryStorage
from headwater.storage.protocols import Storage
from headwater.storage.records import EventRecordsFilter
from headwater.storage.sql import SqlStorage
from headwater.storage.sql.schema import event_logs

from . import release_db
from .test_release_db import same
from .test_serde_entries import ENTRIES, fields

MAT = EventType.ASSET_MATERIALIZATION
SQL_BACKENDS = [b for b in BACKENDS if b != "memory"]


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "memory":
        store: Storage = MemoryStorage()
        yield store
        store.dispose()
        return
    with database_url(request.param, tmp_path) as url:
        sql_store = SqlStorage(url)
        try:
            yield sql_store
        finally:
            sql_store.dispose()


def _by_run(entries: list[EventLogEntry]) -> dict[str, list[EventLogEntry]]:
    out: dict[str, list[EventLogEntry]] = {}
    for entry in entries:
        out.setdefault(entry.run_id, []).append(entry)
    return out


def _last(entries: list[EventLogEntry], event_type: EventType) -> EventLogEntry:
    return [e for e in entries if e.dagster_event and e.dagster_event.event_type is event_type][-1]


def test_every_payload_reads_back_equal_by_every_reader(storage: Storage) -> None:
    store = storage.event_store
    ids = store.store_events(ENTRIES)
    for run_id, entries in _by_run(ENTRIES).items():
        assert [fields(e) for e in store.get_logs_for_run(run_id)] == [fields(e) for e in entries]
        records = store.get_records_for_run(run_id).records
        assert [fields(r.event_log_entry) for r in records] == [fields(e) for e in entries]
    by_id = dict(zip(ids, ENTRIES, strict=True))
    for event_type in {e.dagster_event.event_type for e in ENTRIES if e.dagster_event}:
        for record in store.get_event_records(EventRecordsFilter(event_type)):
            assert fields(record.event_log_entry) == fields(by_id[record.storage_id])

    materialized = _last(ENTRIES, MAT)
    data = materialized.dagster_event.event_specific_data  # type: ignore[union-attr]
    latest = store.get_latest_materialization_events([data.asset_key])[data.asset_key]
    assert latest is not None and fields(latest) == fields(materialized)
    [asset_record] = store.get_asset_records([data.asset_key])
    last = asset_record.asset_entry.last_materialization_record
    assert last is not None and fields(last.event_log_entry) == fields(materialized)

    evaluated = _last(ENTRIES, EventType.ASSET_CHECK_EVALUATION)
    check_key: AssetCheckKey = evaluated.dagster_event.event_specific_data.asset_check_key  # type: ignore[union-attr]
    execution = store.get_latest_asset_check_execution_by_key([check_key])[check_key]
    assert execution.event is not None and fields(execution.event) == fields(evaluated)


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_rows_of_the_previous_release_read_back_exactly(backend: str, tmp_path: Path) -> None:
    """The hand-built rows of ``release_db`` (formats 1 and 2, as that release wrote them) copied into
    this backend, columns and bodies as they are."""
    built = release_db.entries()
    run_ids = {e.run_id for e in built}
    with closing(sqlite3.connect(Path(__file__).parent / release_db.DB_NAME)) as old:
        rows = [
            dict(zip(("run_id", "event", "dagster_event_type", "timestamp", "step_key"), row, strict=True))
            for row in old.execute(
                "SELECT run_id, event, dagster_event_type, timestamp, step_key FROM event_logs ORDER BY id"
            )
            if row[0] in run_ids
        ]
    assert len(rows) == len(built)
    with database_url(backend, tmp_path) as url:
        storage = SqlStorage(url)
        try:
            with storage.database.engine.begin() as conn:
                for row in rows:
                    conn.execute(sa.insert(event_logs).values(**row))
            for run_id, entries in _by_run(built).items():
                back = storage.event_store.get_logs_for_run(run_id)
                assert len(back) == len(entries)
                for got, want in zip(back, entries, strict=True):
                    assert same(fields(got), fields(want))
        finally:
            storage.dispose()


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_timestamps_and_ids_come_back_exactly_from_the_columns(backend: str, tmp_path: Path) -> None:
    stamps = [1795621609.5612345, 1795621758.0126736, 1700000000.0000002, 0.1]
    entries = [
        EventLogEntry(
            "9f0c6d1e-7a41-4b8e-9d55-0e6f3c2b1a09",
            ts,
            Event(MAT, "job", "step", "m", AssetMaterialization(AssetKey(["k", str(i)])), pid=1),
            job_name="job",
            step_key="step",
        )
        for i, ts in enumerate(stamps)
    ]
    with database_url(backend, tmp_path) as url:
        storage = SqlStorage(url)
        try:
            storage.event_store.store_events(entries)
            back = storage.event_store.get_logs_for_run(entries[0].run_id)
            assert [fields(e) for e in back] == [fields(e) for e in entries]
            assert [e.timestamp for e in back] == stamps
        finally:
            storage.dispose()
