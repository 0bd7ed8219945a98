"""Storage contract: ``prune`` deletes old finished runs and their events, but keeps every event the
asset index and the per-partition status index point at."""

from __future__ import annotations

from headwater.core.asset_key import AssetKey
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.protocols import Storage
from headwater.storage.records import EventRecordsFilter
from headwater.storage.runs import Run

from .conftest import Events

MAT = EventType.ASSET_MATERIALIZATION
A, P = AssetKey("a"), AssetKey("p")


def _history(storage: Storage, events: Events) -> float:
    """Runs: old1 and old2 finished long ago, live still running, new finished after the cutoff.
    Returns the cutoff."""
    for run_id in ("old1", "old2", "live", "new"):
        storage.run_store.add_run(Run(job_name="job", run_id=run_id))
    check = events.check_key("a", "positive")
    storage.handle_new_events([
        events.run("old1", EventType.RUN_START),
        events.mat("old1", "a"),
        events.mat("old1", "p", partition="1"),
        events.mat("old1", "p", partition="2"),
        events.obs("old1", "p", partition="3"),
        events.check_planned("old1", "a", "positive"),
        events.check("old1", "a", "positive", passed=False),
        events.log("old1", "a log line"),
        events.run("old1", EventType.RUN_SUCCESS),
    ])  # fmt: skip
    storage.handle_new_events([
        events.run("old2", EventType.RUN_START),
        events.mat("old2", "a"),
        events.mat("old2", "p", partition="1"),
        events.check("old2", "a", "positive", passed=True),
        events.run("old2", EventType.RUN_FAILURE),
    ])  # fmt: skip
    storage.handle_new_events([events.run("live", EventType.RUN_START), events.mat("live", "q")])
    cutoff = events.log("x").timestamp
    storage.handle_new_events(
        [events.run("new", EventType.RUN_START), events.run("new", EventType.RUN_SUCCESS)]
    )
    assert len(storage.event_store.get_asset_check_execution_history(check, 10)) == 2
    return cutoff


def _state(storage: Storage) -> tuple[object, ...]:
    store = storage.event_store
    latest = store.get_latest_materialization_events([A, P, AssetKey("q")])
    return (
        {k: (e.run_id, e.timestamp) if e else None for k, e in latest.items()},
        store.get_materialized_partitions(P),
        [
            (r.partition, r.last_materialization_storage_id, r.last_observation_storage_id)
            for r in store.get_asset_partition_records(P)
        ],
        dict(store.get_latest_storage_id_by_partition(P, MAT)),
        [k.to_string() for k in store.get_asset_keys()],
    )


def test_prune_keeps_latest_asset_and_partition_events(storage: Storage, events: Events) -> None:
    cutoff = _history(storage, events)
    before = _state(storage)
    total = storage.info().events

    dry = storage.prune(cutoff, dry_run=True)
    assert dry.dry_run and sorted(dry.run_ids) == ["old1", "old2"]
    # old1 keeps p/2 (latest there) and p/3's observation; old2 keeps a's and p/1's latest.
    assert (dry.events_kept, dry.events_deleted) == (4, 10)
    assert storage.info().events == total and storage.run_store.has_run("old1")

    result = storage.prune(cutoff)
    assert sorted(result.run_ids) == ["old1", "old2"] and not result.dry_run
    assert (result.events_kept, result.events_deleted) == (4, 10)
    assert storage.info().events == total - 10
    assert [storage.run_store.has_run(r) for r in ("old1", "old2", "live", "new")] == [
        False,
        False,
        True,
        True,
    ]
    assert _state(storage) == before  # asset index and partition status read the same

    store = storage.event_store
    mats = store.get_event_records(EventRecordsFilter(MAT, asset_key=A))
    assert [r.run_id for r in mats] == ["old2"]
    p_mats = store.get_event_records(EventRecordsFilter(MAT, asset_key=P), ascending=True)
    assert [(r.run_id, r.partition_key) for r in p_mats] == [("old1", "2"), ("old2", "1")]
    assert [e.dagster_event_type for e in store.get_logs_for_run("old1")] == [
        MAT, EventType.ASSET_OBSERVATION,
    ]  # fmt: skip
    assert len(store.get_logs_for_run("live")) == 2 and len(store.get_logs_for_run("new")) == 2
    history = store.get_asset_check_execution_history(events.check_key("a", "positive"), 10)
    assert [h.run_id for h in history] == ["old2"]

    again = storage.prune(cutoff)
    assert again.run_ids == [] and again.events_deleted == 0


def test_prune_of_nothing(storage: Storage) -> None:
    result = storage.prune(2_000_000_000.0)
    assert result.run_ids == [] and result.events_deleted == 0 and result.events_kept == 0


def test_prune_leaves_unfinished_runs_however_old(storage: Storage, events: Events) -> None:
    storage.run_store.add_run(Run(job_name="job", run_id="r1"))
    storage.run_store.add_run(Run(job_name="job", run_id="r2", status=RunStatus.QUEUED))
    storage.handle_new_events([events.run("r1", EventType.RUN_START)])
    assert storage.prune(2_000_000_000.0).run_ids == []
    assert storage.run_store.has_run("r1") and storage.run_store.has_run("r2")


def test_prune_deletes_the_runs_worker_heartbeat_and_step_claims(storage: Storage, events: Events) -> None:
    from headwater.executors.step_claims import claim_key
    from headwater.storage.run_workers import WorkerHeartbeat

    cutoff = _history(storage, events)
    storage.run_store.add_run(Run(job_name="job", run_id="old10", status=RunStatus.QUEUED))
    keys = [
        "old1", claim_key("old1", "a"), claim_key("old1", "p[1]"), claim_key("old2", "a"),
        claim_key("old10", "a"), claim_key("live", "a"), claim_key("new", "a"), "live",
    ]  # fmt: skip
    for key in keys:
        storage.run_workers.heartbeat(WorkerHeartbeat(key, 1, "host attempt 0", 1.0))
    assert storage.prune(cutoff, dry_run=True).run_ids == ["old1", "old2"]
    assert sorted(storage.run_workers.get_heartbeats(keys)) == sorted(keys)
    storage.prune(cutoff)
    left = storage.run_workers.get_heartbeats(keys)
    assert sorted(left) == sorted(keys[4:])  # old1's and old2's rows gone; old10 is not old1
