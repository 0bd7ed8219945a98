"""EventStore contract: the asset index, partition status, checks and dynamic partitions."""

from __future__ import annotations

from headwater.core.asset_key import AssetKey
from headwater.events.event_type import EventType
from headwater.storage.protocols import Storage
from headwater.storage.records import AssetCheckExecutionRecordStatus, EventRecordsFilter

from .conftest import Events

A, B = AssetKey("a"), AssetKey(["b", "c"])
MAT = EventType.ASSET_MATERIALIZATION


def test_asset_index_tracks_latest_events(storage: Storage, events: Events) -> None:
    store = storage.event_store
    assert store.get_asset_records() == []
    assert store.get_latest_materialization_events([A]) == {A: None}
    ids1 = store.store_events([events.planned("r1", "a"), events.mat("r1", "a"), events.obs("r1", "a")])
    ids2 = store.store_events([events.planned("r2", "a"), events.failed("r2", "a")])
    [record] = store.get_asset_records([A])
    entry = record.asset_entry
    assert entry.asset_key == A
    assert entry.last_materialization_storage_id == ids1[1]
    assert entry.last_materialization is not None and entry.last_materialization.run_id == "r1"
    assert entry.last_run_id == "r1"
    assert entry.last_observation_storage_id == ids1[2]
    assert entry.last_planned_materialization_storage_id == ids2[0]
    assert entry.last_planned_materialization_run_id == "r2"
    assert entry.last_failed_to_materialize_storage_id == ids2[1]
    assert entry.last_event_storage_id == ids2[1]
    latest = store.get_latest_materialization_events([A, B])
    assert latest[B] is None
    latest_a = latest[A]
    assert latest_a is not None and latest_a.run_id == "r1"
    assert store.has_asset_key(A) and not store.has_asset_key(B)


def test_asset_index_summaries_carry_timestamps_without_bodies(storage: Storage, events: Events) -> None:
    store = storage.event_store
    assert store.get_asset_index_summaries() == []
    ids1 = store.store_events([events.planned("r1", "a"), events.mat("r1", "a"), events.obs("r1", "a")])
    ids2 = store.store_events([events.planned("r2", "a"), events.failed("r2", "a"), events.mat("r3", "b")])
    by_key = {s.asset_key: s for s in store.get_asset_index_summaries()}
    assert set(by_key) == {A, AssetKey("b")}
    a = by_key[A]
    [record] = store.get_asset_records([A])
    entry = record.asset_entry
    assert entry.last_materialization is not None and entry.last_failed_to_materialize_record is not None
    assert (a.last_materialization_storage_id, a.last_run_id) == (ids1[1], "r1")
    assert a.last_materialization_timestamp == entry.last_materialization.timestamp
    assert a.last_failed_storage_id == ids2[1]
    assert a.last_failed_timestamp == entry.last_failed_to_materialize_record.event_log_entry.timestamp
    assert a.last_observation_timestamp is not None
    assert (a.last_planned_storage_id, a.last_planned_run_id) == (ids2[0], "r2")
    assert a.last_materialization_failed  # the failure is newer than the materialization
    b = by_key[AssetKey("b")]
    assert not b.last_materialization_failed and b.last_failed_timestamp is None
    assert [s.asset_key for s in store.get_asset_index_summaries([AssetKey("b"), B])] == [AssetKey("b")]


def test_latest_check_executions_of_many_assets(storage: Storage, events: Events) -> None:
    store = storage.event_store
    for i in range(30):
        store.store_events([events.check("r1", f"a{i}", "c", True), events.check("r1", f"a{i}", "d", False)])
    store.store_events([events.check("r2", "a3", "c", False)])
    keys = [events.check_key(f"a{i}", name) for i in range(30) for name in ("c", "d")]
    asked = [*keys[::3], events.check_key("a3", "c"), events.check_key("zzz", "c")]
    latest = store.get_latest_asset_check_execution_by_key(asked)
    assert set(latest) == set(asked) - {events.check_key("zzz", "c")}
    assert latest[events.check_key("a3", "c")].run_id == "r2"
    assert latest[events.check_key("a3", "c")].status is AssetCheckExecutionRecordStatus.FAILED
    assert all(r.run_id == "r1" for k, r in latest.items() if k.asset_key != AssetKey("a3"))


def test_asset_keys_sorted_with_prefix_and_cursor(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events([events.mat("r1", k) for k in ["x/y", "a", "x/z", "b"]])
    keys = store.get_asset_keys()
    assert keys == [AssetKey("a"), AssetKey("b"), AssetKey(["x", "y"]), AssetKey(["x", "z"])]
    assert store.get_asset_keys(prefix=["x"]) == [AssetKey(["x", "y"]), AssetKey(["x", "z"])]
    assert store.get_asset_keys(limit=2) == keys[:2]
    assert store.get_asset_keys(cursor=keys[1].to_string(), limit=1) == [keys[2]]
    assert len(store.get_asset_records()) == 4


def test_check_events_do_not_create_assets(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events([events.check_planned("r1", "a", "c1"), events.check("r1", "a", "c1", True)])
    assert not store.has_asset_key(A)


def test_partition_status_index(storage: Storage, events: Events) -> None:
    store = storage.event_store
    ids1 = store.store_events([events.planned("r1", "a", p) for p in ["p1", "p2", "p3"]])
    ids2 = store.store_events([events.mat("r1", "a", "p1"), events.failed("r1", "a", "p2")])
    ids3 = store.store_events([events.planned("r2", "a", "p1")])
    records = {r.partition: r for r in store.get_asset_partition_records(A)}
    assert set(records) == {"p1", "p2", "p3"}
    p1, p2, p3 = records["p1"], records["p2"], records["p3"]
    assert p1.is_materialized and not p1.is_failed and p1.is_planned
    assert p1.last_materialization_storage_id == ids2[0] and p1.last_materialization_run_id == "r1"
    assert p1.last_planned_storage_id == ids3[0] and p1.last_planned_run_id == "r2"
    assert p2.is_failed and not p2.is_materialized and p2.last_failed_storage_id == ids2[1]
    assert p3.is_planned and p3.last_planned_storage_id == ids1[2]
    assert [r.partition for r in store.get_asset_partition_records(A, ["p2", "nope"])] == ["p2"]
    store.store_events([events.mat("r3", "a", "p2")])
    assert store.get_materialized_partitions(A) == {"p1", "p2"}
    assert store.get_materialized_partitions(A, after_cursor=ids2[0]) == {"p2"}
    assert store.get_materialized_partitions(A, before_cursor=ids3[0]) == {"p1"}
    assert store.get_materialized_partitions(B) == set()
    latest = store.get_latest_storage_id_by_partition(A, EventType.ASSET_MATERIALIZATION_PLANNED)
    assert latest == {"p1": ids3[0], "p2": ids1[1], "p3": ids1[2]}
    latest = store.get_latest_storage_id_by_partition(A, MAT, partitions={"p1"})
    assert latest == {"p1": ids2[0]}
    latest = store.get_latest_storage_id_by_partition(A, MAT, after_cursor=ids2[0])
    assert set(latest) == {"p2"}


def test_unpartitioned_assets_have_no_partition_rows(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events([events.mat("r1", "a")])
    assert store.get_asset_partition_records(A) == []
    assert store.get_materialized_partitions(A) == set()


def test_wipe_assets(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events(
        [events.mat("r1", "a", "p1"), events.mat("r1", ["b", "c"]), events.check("r1", "a", "c", True)]
    )
    store.wipe_assets([A])
    assert not store.has_asset_key(A) and store.has_asset_key(B)
    assert store.get_latest_materialization_events([A]) == {A: None}
    assert store.get_materialized_partitions(A) == set()
    assert store.get_event_records(EventRecordsFilter(MAT, asset_key=A)) == []
    assert store.get_latest_asset_check_execution_by_key([events.check_key("a", "c")]) == {}
    assert len(store.get_logs_for_run("r1")) == 3
    store.store_events([events.mat("r2", "a", "p2")])
    [record] = store.get_asset_records([A])
    assert record.asset_entry.last_run_id == "r2"
    assert store.get_materialized_partitions(A) == {"p2"}


def test_delete_events_rebuilds_indexes(storage: Storage, events: Events) -> None:
    store = storage.event_store
    ids1 = store.store_events([events.mat("r1", "a", "p1"), events.mat("r1", "b/c")])
    store.store_events([events.mat("r2", "a", "p2"), events.check("r2", "a", "c", False)])
    store.delete_events("r2")
    [record] = store.get_asset_records([A])
    assert record.asset_entry.last_materialization_storage_id == ids1[0]
    assert store.get_materialized_partitions(A) == {"p1"}
    assert store.get_latest_asset_check_execution_by_key([events.check_key("a", "c")]) == {}
    store.delete_events("r1")
    assert not store.has_asset_key(A) and not store.has_asset_key(B)
    assert store.get_asset_partition_records(A) == []


def test_asset_check_executions(storage: Storage, events: Events) -> None:
    store = storage.event_store
    key = events.check_key("a", "not_null")
    store.store_events([events.check_planned("r1", "a", "not_null")])
    [planned] = store.get_latest_asset_check_execution_by_key([key]).values()
    assert planned.status is AssetCheckExecutionRecordStatus.PLANNED and planned.run_id == "r1"
    ids = store.store_events([events.check("r1", "a", "not_null", True)])
    [done] = store.get_latest_asset_check_execution_by_key([key]).values()
    assert done.status is AssetCheckExecutionRecordStatus.SUCCEEDED
    assert done.id == planned.id and done.evaluation_storage_id == ids[0]
    assert done.event is not None and done.event.dagster_event_type is EventType.ASSET_CHECK_EVALUATION
    store.store_events(
        [events.check_planned("r2", "a", "not_null"), events.check("r2", "a", "not_null", False)]
    )
    store.store_events([events.check("r3", "a", "not_null", True)])
    history = store.get_asset_check_execution_history(key, limit=10)
    assert [(h.run_id, h.status.value) for h in history] == [
        ("r3", "SUCCEEDED"), ("r2", "FAILED"), ("r1", "SUCCEEDED"),
    ]  # fmt: skip
    assert [
        h.run_id for h in store.get_asset_check_execution_history(key, limit=1, cursor=history[0].id)
    ] == ["r2"]
    failed = store.get_asset_check_execution_history(
        key, limit=10, status={AssetCheckExecutionRecordStatus.FAILED}
    )
    assert [h.run_id for h in failed] == ["r2"]
    assert store.get_latest_asset_check_execution_by_key([events.check_key("a", "other")]) == {}


def test_dynamic_partitions(storage: Storage) -> None:
    store = storage.event_store
    assert store.get_dynamic_partitions("fruits") == []
    store.add_dynamic_partitions("fruits", ["apple", "banana"])
    store.add_dynamic_partitions("fruits", ["banana", "cherry"])
    store.add_dynamic_partitions("other", ["x"])
    assert store.get_dynamic_partitions("fruits") == ["apple", "banana", "cherry"]
    assert store.has_dynamic_partition("fruits", "apple")
    assert not store.has_dynamic_partition("other", "apple")
    store.delete_dynamic_partition("fruits", "banana")
    assert store.get_dynamic_partitions("fruits") == ["apple", "cherry"]
    store.delete_dynamic_partition("fruits", "nope")
    store.add_dynamic_partitions("fruits", [])


def test_wipe(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events([events.mat("r1", "a", "p")])
    store.add_dynamic_partitions("d", ["x"])
    store.wipe()
    assert store.get_logs_for_run("r1") == []
    assert store.get_asset_keys() == []
    assert store.get_dynamic_partitions("d") == []
