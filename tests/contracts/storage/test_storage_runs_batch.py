"""Many runs stored at once (a scheduler tick's), and many enqueued at once, on every backend."""

from __future__ import annotations

from headwater.events.run_status import RunStatus
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run, RunsFilter


def test_add_runs_skips_taken_ids_and_keeps_tags(storage: Storage) -> None:
    store = storage.run_store
    store.add_run(Run("job", run_id="r2"))
    stored = store.add_runs(
        [Run("job", run_id="r1", tags={"a": "1"}), Run("job", run_id="r2"), Run("job", run_id="r3")]
    )
    assert [r.run_id for r in stored] == ["r1", "r3"]
    assert store.get_runs_count() == 3
    assert [r.dagster_run.run_id for r in store.get_run_records(RunsFilter(tags={"a": "1"}))] == ["r1"]
    assert store.add_runs([]) == []


def test_queued_coordinator_queues_many_in_one_go(storage: Storage) -> None:
    runs = storage.run_store.add_runs([Run("job", run_id=f"r{i}") for i in range(5)])
    QueuedRunCoordinator().submit_runs(storage, None, runs)  # type: ignore[arg-type]
    statuses = {r.dagster_run.status for r in storage.run_store.get_run_records()}
    assert statuses == {RunStatus.QUEUED}
