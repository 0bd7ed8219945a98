"""RunStore contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidStatusTransitionError, RunNotFoundError
from headwater.events.event import Event
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.errors import DuplicateRunError
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run, RunsFilter


def _event(event_type: EventType) -> Event:
    return Event(event_type, "job")


def test_add_and_get_run_round_trips_every_field(storage: Storage) -> None:
    run = Run(
        job_name="job",
        run_id="r1",
        run_config={"ops": {"a": {"config": {"x": [1, 2]}}}},
        asset_selection=frozenset({AssetKey(["a", "b"])}),
        asset_check_selection=frozenset(),
        op_selection=("a*",),
        step_keys_to_execute=("a", "b"),
        tags={"dagster/partition": "2024-01-01", "team": "data"},
        root_run_id="r0",
        parent_run_id="r0",
        execution_plan_snapshot_id="abc",
    )
    storage.run_store.add_run(run)
    record = storage.run_store.get_run_record("r1")
    assert record is not None
    assert record.dagster_run == run
    assert record.dagster_run.partition == "2024-01-01"
    assert record.dagster_run.asset_selection == frozenset({AssetKey(["a", "b"])})
    assert record.dagster_run.asset_check_selection == frozenset()
    assert record.create_timestamp.tzinfo is not None
    assert record.start_time is None and record.end_time is None
    assert storage.run_store.has_run("r1")
    assert storage.run_store.get_run_record("nope") is None


def test_duplicate_run_id_is_an_error(storage: Storage) -> None:
    storage.run_store.add_run(Run("job", run_id="r1"))
    with pytest.raises(DuplicateRunError, match="r1"):
        storage.run_store.add_run(Run("job", run_id="r1"))


def test_runs_newest_first_with_cursor_and_limit(storage: Storage) -> None:
    store = storage.run_store
    for i in range(5):
        store.add_run(Run("job", run_id=f"r{i}"))
    ids = [r.dagster_run.run_id for r in store.get_run_records()]
    assert ids == ["r4", "r3", "r2", "r1", "r0"]
    assert [r.dagster_run.run_id for r in store.get_run_records(limit=2, cursor="r3")] == ["r2", "r1"]
    assert [r.dagster_run.run_id for r in store.get_run_records(ascending=True, limit=2)] == ["r0", "r1"]
    assert store.get_runs_count() == 5


def test_runs_filter(storage: Storage) -> None:
    store = storage.run_store
    store.add_run(Run("a", run_id="r1", tags={"team": "x", "env": "prod"}))
    store.add_run(Run("b", run_id="r2", tags={"team": "y"}))
    store.add_run(Run("a", run_id="r3", tags={"team": "y", "dagster/backfill": "bf"}))
    store.handle_run_event("r1", _event(EventType.RUN_START), 1_700_000_000.0)

    def ids(f: RunsFilter) -> set[str]:
        return {r.dagster_run.run_id for r in store.get_run_records(f)}

    assert ids(RunsFilter(job_name="a")) == {"r1", "r3"}
    assert ids(RunsFilter(run_ids=["r2", "r3", "zzz"])) == {"r2", "r3"}
    assert ids(RunsFilter(tags={"team": "y"})) == {"r2", "r3"}
    assert ids(RunsFilter(tags={"team": ["x", "y"], "env": "prod"})) == {"r1"}
    assert ids(RunsFilter(statuses=[RunStatus.STARTED])) == {"r1"}
    assert ids(RunsFilter(statuses=[RunStatus.NOT_STARTED], job_name="a")) == {"r3"}
    assert ids(RunsFilter(exclude_subruns=True)) == {"r1", "r2"}
    assert store.get_runs_count(RunsFilter(job_name="a")) == 2
    future = datetime.now(UTC) + timedelta(days=1)
    past = datetime.now(UTC) - timedelta(days=1)
    assert ids(RunsFilter(created_before=future, created_after=past)) == {"r1", "r2", "r3"}
    assert ids(RunsFilter(created_after=future)) == set()
    with pytest.raises(ValueError, match="empty"):
        RunsFilter(run_ids=[])


def test_status_changes_follow_the_transition_table(storage: Storage) -> None:
    store = storage.run_store
    store.add_run(Run("job", run_id="r1"))
    store.handle_run_event("r1", _event(EventType.RUN_STARTING), 100.0)
    record = store.handle_run_event("r1", _event(EventType.RUN_START), 101.0)
    assert record.dagster_run.status is RunStatus.STARTED
    assert record.start_time == 101.0
    record = store.handle_run_event("r1", _event(EventType.RUN_SUCCESS), 105.0)
    assert record.end_time == 105.0
    stored = store.get_run_record("r1")
    assert stored is not None
    assert stored.dagster_run.status is RunStatus.SUCCESS
    assert stored.dagster_run.is_finished
    assert (stored.start_time, stored.end_time) == (101.0, 105.0)
    assert stored.update_timestamp == datetime.fromtimestamp(105.0, UTC)
    with pytest.raises(InvalidStatusTransitionError, match="SUCCESS"):
        store.handle_run_event("r1", _event(EventType.RUN_START), 106.0)
    after = store.get_run_record("r1")
    assert after is not None and after.dagster_run.status is RunStatus.SUCCESS


def test_status_event_for_unknown_run(storage: Storage) -> None:
    with pytest.raises(RunNotFoundError, match="nope"):
        storage.run_store.handle_run_event("nope", _event(EventType.RUN_START), 1.0)


def test_non_status_event_is_rejected(storage: Storage) -> None:
    storage.run_store.add_run(Run("job", run_id="r1"))
    with pytest.raises(ValueError, match="STEP_START"):
        storage.run_store.handle_run_event("r1", _event(EventType.STEP_START), 1.0)


def test_order_by_update_timestamp(storage: Storage) -> None:
    store = storage.run_store
    for i in range(3):
        store.add_run(Run("job", run_id=f"r{i}"))
    store.handle_run_event("r0", _event(EventType.RUN_START), 4_000_000_000.0)
    records = store.get_run_records(order_by="update_timestamp", limit=1)
    assert records[0].dagster_run.run_id == "r0"
    with pytest.raises(ValueError, match="order runs by"):
        store.get_run_records(order_by="colour")


def test_tags(storage: Storage) -> None:
    store = storage.run_store
    store.add_run(Run("job", run_id="r1", tags={"a": "1"}))
    store.add_run(Run("job", run_id="r2", tags={"a": "2", "b": "x"}))
    run = store.add_run_tags("r1", {"b": "y", "a": "3"})
    assert run.tags == {"a": "3", "b": "y"}
    stored = store.get_run_record("r1")
    assert stored is not None and stored.dagster_run.tags == {"a": "3", "b": "y"}
    assert dict(store.get_run_tags(["a", "b"])) == {"a": {"2", "3"}, "b": {"x", "y"}}
    assert dict(store.get_run_tags(["b"], value_prefix="x")) == {"b": {"x"}}
    with pytest.raises(RunNotFoundError):
        store.add_run_tags("nope", {"a": "b"})
    with pytest.raises(TypeError, match="strings"):
        store.add_run_tags("r1", {"a": 1})  # type: ignore[dict-item]


def test_delete_run(storage: Storage) -> None:
    store = storage.run_store
    store.add_run(Run("job", run_id="r1"))
    store.delete_run("r1")
    assert store.get_run_record("r1") is None
    assert store.get_runs_count() == 0
    store.delete_run("r1")


def test_snapshots_are_content_addressed(storage: Storage) -> None:
    store = storage.run_store
    body = '{"steps": ["a", "b"], "unicode": "\\u00e9"}'
    snapshot_id = store.add_snapshot(body, "execution_plan")
    assert store.add_snapshot(body, "execution_plan") == snapshot_id
    assert store.get_snapshot(snapshot_id) == body
    assert store.get_snapshot("0" * 64) is None


def test_wipe(storage: Storage) -> None:
    storage.run_store.add_run(Run("job", run_id="r1"))
    storage.run_store.wipe()
    assert storage.run_store.get_runs_count() == 0
