"""EventStore contract: the log, per-run reads, filters and cursors."""

from __future__ import annotations

import threading

import pytest

from headwater.core.asset_key import AssetKey
from headwater.errors import StorageError
from headwater.events.event import EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.protocols import Storage
from headwater.storage.records import EventRecordsFilter

from .conftest import Events

MAT = EventType.ASSET_MATERIALIZATION


def test_store_events_returns_increasing_ids_and_round_trips(storage: Storage, events: Events) -> None:
    store = storage.event_store
    batch = [
        events.run("r1", EventType.RUN_START),
        events.step("r1", EventType.STEP_START),
        events.mat("r1", "a", metadata={"rows": 3}),
        events.step("r1", EventType.STEP_SUCCESS),
        events.log("r1", "just a log line"),
    ]
    ids = store.store_events(batch)
    assert len(ids) == 5 and ids == sorted(ids) and len(set(ids)) == 5
    logs = store.get_logs_for_run("r1")
    assert [e.dagster_event_type for e in logs] == [
        EventType.RUN_START, EventType.STEP_START, MAT, EventType.STEP_SUCCESS, None,
    ]  # fmt: skip
    assert logs[4].user_message == "just a log line"
    mat = logs[2]
    assert mat.run_id == "r1" and mat.job_name == "job" and mat.step_key == "s"
    assert mat.timestamp == batch[2].timestamp
    assert mat.dagster_event is not None and mat.dagster_event.asset_key == AssetKey("a")
    assert mat.asset_materialization.metadata["rows"].value == 3
    assert store.get_maximum_record_id() == ids[-1]
    more = store.store_events([events.log("r2")])
    assert more[0] > ids[-1]


def test_empty_batch(storage: Storage) -> None:
    assert storage.event_store.store_events([]) == []


def test_bad_entry_writes_nothing(storage: Storage, events: Events) -> None:
    with pytest.raises(StorageError, match="EventLogEntry"):
        storage.event_store.store_events([events.log("r1"), "not an entry"])  # type: ignore[list-item]
    assert storage.event_store.get_logs_for_run("r1") == []


def test_logs_for_run_cursor_and_of_type(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events([events.step("r1", EventType.STEP_START, f"s{i}") for i in range(4)])
    store.store_events([events.step("r2", EventType.STEP_START)])
    store.store_events([events.step("r1", EventType.STEP_SUCCESS, "s0")])
    assert len(store.get_logs_for_run("r1")) == 5
    assert [e.step_key for e in store.get_logs_for_run("r1", cursor=2)] == ["s3", "s0"]
    assert len(store.get_logs_for_run("r1", of_type=EventType.STEP_SUCCESS)) == 1
    types = {EventType.STEP_SUCCESS, EventType.STEP_START}
    assert len(store.get_logs_for_run("r1", of_type=types)) == 5
    assert store.get_logs_for_run("nope") == []


def test_records_for_run_paging(storage: Storage, events: Events) -> None:
    store = storage.event_store
    ids = store.store_events([events.log("r1", str(i)) for i in range(5)])
    page = store.get_records_for_run("r1", limit=2)
    assert [r.storage_id for r in page.records] == ids[:2]
    assert page.has_more
    page = store.get_records_for_run("r1", cursor=page.cursor, limit=2)
    assert [r.storage_id for r in page.records] == ids[2:4]
    page = store.get_records_for_run("r1", cursor=page.cursor, limit=2)
    assert [r.storage_id for r in page.records] == ids[4:]
    assert not page.has_more
    desc = store.get_records_for_run("r1", ascending=False, limit=3)
    assert [r.storage_id for r in desc.records] == ids[::-1][:3]


def test_event_records_filter(storage: Storage, events: Events) -> None:
    store = storage.event_store
    ids = store.store_events(
        [
            events.mat("r1", "a", partition="p1"),
            events.mat("r1", "b"),
            events.mat("r2", "a", partition="p2"),
            events.obs("r2", "a"),
            events.mat("r3", "a", partition="p1"),
        ]
    )
    recs = store.get_event_records(EventRecordsFilter(MAT))
    assert [r.storage_id for r in recs] == [ids[4], ids[2], ids[1], ids[0]]
    recs = store.get_event_records(EventRecordsFilter(MAT, asset_key=AssetKey("a")), ascending=True)
    assert [r.storage_id for r in recs] == [ids[0], ids[2], ids[4]]
    recs = store.get_event_records(EventRecordsFilter(MAT, asset_key=AssetKey("a"), asset_partitions=["p1"]))
    assert [r.storage_id for r in recs] == [ids[4], ids[0]]
    assert [r.partition_key for r in recs] == ["p1", "p1"]
    recs = store.get_event_records(EventRecordsFilter(MAT, after_cursor=ids[0], before_cursor=ids[4]))
    assert [r.storage_id for r in recs] == [ids[2], ids[1]]
    recs = store.get_event_records(EventRecordsFilter(MAT), limit=1)
    assert [r.storage_id for r in recs] == [ids[4]]
    ts = [e.timestamp for e in store.get_logs_for_run("r1")]
    recs = store.get_event_records(EventRecordsFilter(MAT, after_timestamp=ts[0]))
    assert [r.storage_id for r in recs] == [ids[4], ids[2], ids[1]]
    recs = store.get_event_records(EventRecordsFilter(MAT, before_timestamp=ts[1]))
    assert [r.storage_id for r in recs] == [ids[0]]
    recs = store.get_event_records(EventRecordsFilter(MAT, storage_ids=[ids[1], ids[3], ids[4]]))
    assert [r.storage_id for r in recs] == [ids[4], ids[1]]
    recs = store.get_event_records(EventRecordsFilter(EventType.ASSET_OBSERVATION, asset_key=AssetKey("a")))
    assert [r.storage_id for r in recs] == [ids[3]]
    assert store.get_event_records(EventRecordsFilter(MAT, asset_key=AssetKey("zzz"))) == []


def test_delete_events(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events([events.mat("r1", "a"), events.log("r1")])
    store.store_events([events.mat("r2", "b")])
    store.delete_events("r1")
    assert store.get_logs_for_run("r1") == []
    assert len(store.get_logs_for_run("r2")) == 1
    recs = store.get_event_records(EventRecordsFilter(MAT))
    assert [r.run_id for r in recs] == ["r2"]


def test_parallel_writers_lose_nothing(storage: Storage, events: Events) -> None:
    store = storage.event_store
    batches: list[list[EventLogEntry]] = [
        [events.step(f"r{t}", EventType.STEP_START, f"s{i}") for i in range(7)]
        for t in range(8)
        for _ in range(5)
    ]
    errors: list[BaseException] = []
    all_ids: list[int] = []
    lock = threading.Lock()

    def write(chunk: list[list[EventLogEntry]]) -> None:
        try:
            for batch in chunk:
                ids = store.store_events(batch)
                with lock:
                    all_ids.extend(ids)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(batches[t::8],)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(all_ids) == len(set(all_ids)) == 8 * 5 * 7
    assert sum(len(store.get_logs_for_run(f"r{t}")) for t in range(8)) == 8 * 5 * 7
