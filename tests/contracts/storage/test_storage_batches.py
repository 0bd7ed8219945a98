"""Storage contract: ``handle_new_events`` (events + indexes + run status, atomically), ``info``."""

from __future__ import annotations

import pytest

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidStatusTransitionError, RunNotFoundError
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run

from .conftest import Events


def test_events_indexes_and_status_move_together(storage: Storage, events: Events) -> None:
    storage.run_store.add_run(Run(job_name="job", run_id="r1"))
    ids = storage.handle_new_events(
        [events.run("r1", EventType.RUN_START), events.mat("r1", "a", partition="p1")]
    )
    assert len(ids) == 2 and ids == sorted(ids)
    record = storage.run_store.get_run_record("r1")
    assert record is not None and record.dagster_run.status is RunStatus.STARTED
    assert record.start_time is not None and record.end_time is None
    assert storage.event_store.get_materialized_partitions(AssetKey("a")) == {"p1"}
    storage.handle_new_events([events.run("r1", EventType.RUN_SUCCESS)])
    record = storage.run_store.get_run_record("r1")
    assert record is not None and record.dagster_run.status is RunStatus.SUCCESS
    assert record.end_time is not None
    assert [e.dagster_event_type for e in storage.event_store.get_logs_for_run("r1")] == [
        EventType.RUN_START, EventType.ASSET_MATERIALIZATION, EventType.RUN_SUCCESS,
    ]  # fmt: skip


def test_illegal_status_change_writes_nothing(storage: Storage, events: Events) -> None:
    storage.run_store.add_run(Run(job_name="job", run_id="r1"))
    batch = [events.mat("r1", "a", partition="p1"), events.run("r1", EventType.RUN_SUCCESS)]
    with pytest.raises(InvalidStatusTransitionError, match="NOT_STARTED to SUCCESS"):
        storage.handle_new_events(batch)
    assert storage.event_store.get_logs_for_run("r1") == []
    assert not storage.event_store.has_asset_key(AssetKey("a"))
    assert storage.event_store.get_materialized_partitions(AssetKey("a")) == set()
    record = storage.run_store.get_run_record("r1")
    assert record is not None and record.dagster_run.status is RunStatus.NOT_STARTED


def test_second_status_change_in_a_batch_is_checked_against_the_first(
    storage: Storage, events: Events
) -> None:
    storage.run_store.add_run(Run(job_name="job", run_id="r1"))
    ok = [events.run("r1", EventType.RUN_START), events.run("r1", EventType.RUN_FAILURE)]
    storage.handle_new_events(ok)
    with pytest.raises(InvalidStatusTransitionError):
        storage.handle_new_events([events.log("r1"), events.run("r1", EventType.RUN_START)])
    assert len(storage.event_store.get_logs_for_run("r1")) == 2


def test_status_change_of_an_unknown_run_writes_nothing(storage: Storage, events: Events) -> None:
    with pytest.raises(RunNotFoundError, match="nope"):
        storage.handle_new_events([events.mat("nope", "a"), events.run("nope", EventType.RUN_START)])
    assert storage.event_store.get_logs_for_run("nope") == []
    assert storage.event_store.get_maximum_record_id() is None


def test_info_counts_runs_and_events(storage: Storage, events: Events) -> None:
    storage.run_store.add_run(Run(job_name="job", run_id="r1"))
    storage.handle_new_events([events.log("r1"), events.log("r1"), events.log("r2")])
    info = storage.info()
    assert (info.runs, info.events) == (1, 3)
    assert info.backend in ("sqlite", "postgresql", "mysql")
    from headwater.storage.sql import HEAD_REVISION

    assert info.schema_revision == HEAD_REVISION
    assert "password" not in info.location
    assert info.in_memory is storage.is_in_memory is (info.location == ":memory:")


def test_a_key_too_long_to_store_is_refused_and_nothing_is_written(storage: Storage, events: Events) -> None:
    from headwater.errors import StorageError
    from headwater.storage.sql.schema import MAX_ASSET_KEY_LENGTH, MAX_NAME_LENGTH

    long_key = "k" * MAX_ASSET_KEY_LENGTH
    with pytest.raises(StorageError, match=r"its asset key is \d+ characters long, over the limit of 400"):
        storage.handle_new_events([events.log("r1"), events.mat("r1", long_key)])
    with pytest.raises(StorageError, match="its partition key is 256 characters long, over the limit of 255"):
        storage.handle_new_events([events.mat("r1", "a", partition="p" * (MAX_NAME_LENGTH + 1))])
    assert storage.event_store.get_logs_for_run("r1") == []
    storage.handle_new_events([events.mat("r1", "a", partition="p" * MAX_NAME_LENGTH)])  # at the limit: fine
    assert storage.event_store.get_materialized_partitions(AssetKey("a")) == {"p" * MAX_NAME_LENGTH}
