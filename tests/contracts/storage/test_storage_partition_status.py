"""EventStore contract: the status of each partition (materialized, failed, in progress, missing)."""

from __future__ import annotations

from headwater.core.asset_key import AssetKey
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.selection.partition_status import AssetPartitionStatus
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run

from .conftest import Events

A = AssetKey("a")
M, F, P = AssetPartitionStatus.MATERIALIZED, AssetPartitionStatus.FAILED, AssetPartitionStatus.IN_PROGRESS


def _run(storage: Storage, events: Events, run_id: str, *types: EventType) -> None:
    storage.run_store.add_run(Run(job_name="job", run_id=run_id))
    for t in types:
        storage.handle_new_events([events.run(run_id, t)])


def test_status_by_partition(storage: Storage, events: Events) -> None:
    store = storage.event_store
    assert store.get_status_by_partition(A) == {}
    _run(storage, events, "done", EventType.RUN_START, EventType.RUN_SUCCESS)
    _run(storage, events, "live", EventType.RUN_START)
    _run(storage, events, "dead", EventType.RUN_START, EventType.RUN_FAILURE)
    store.store_events([events.planned("done", "a", p) for p in ["p1", "p2", "p3", "p4", "p5"]])
    store.store_events([events.mat("done", "a", "p1"), events.failed("done", "a", "p2")])
    store.store_events([events.mat("done", "a", "p3"), events.mat("done", "a", "p4")])
    # p3: re-planned by a live run; p4: by a run that died before reporting; p5: never finished, its
    # run succeeded (skipped); p6: observed only
    store.store_events([events.planned("live", "a", "p3"), events.planned("dead", "a", "p4")])
    store.store_events([events.obs("done", "a", "p6")])
    assert store.get_status_by_partition(A) == {"p1": M, "p2": F, "p3": P, "p4": F}
    assert store.get_status_by_partition(A, ["p2", "p3", "p5", "nope"]) == {"p2": F, "p3": P}
    # a success after a failure; a failure after a success
    store.store_events([events.mat("done", "a", "p2"), events.failed("done", "a", "p1")])
    assert store.get_status_by_partition(A, ["p1", "p2"]) == {"p1": F, "p2": M}
    assert storage.run_store.get_run_record("live").dagster_run.status is RunStatus.STARTED  # type: ignore[union-attr]


def test_status_of_many_partitions(storage: Storage, events: Events) -> None:
    store = storage.event_store
    keys = [f"k{i:05d}" for i in range(3000)]
    store.store_events([events.mat("r", "a", k) for k in keys[:2000]])
    store.store_events([events.failed("r", "a", k) for k in keys[1500:2500]])
    found = store.get_status_by_partition(A)
    assert len(found) == 2500
    assert {k for k, s in found.items() if s is M} == set(keys[:1500])
    assert {k for k, s in found.items() if s is F} == set(keys[1500:2500])
