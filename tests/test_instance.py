"""Instance: runs, event handling with run status changes, asset reads, lifecycle."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidStatusTransitionError, RunNotFoundError
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.storage.records import AssetRecordsFilter
from headwater.storage.runs import Run, RunsFilter

A = AssetKey("a")


def entry(run: Run, event_type: EventType, data: object = None, ts: float = 1_700_000_000.0) -> EventLogEntry:
    return EventLogEntry(
        run.run_id, ts, Event(event_type, run.job_name, event_specific_data=data), job_name=run.job_name
    )


def mat(run: Run, key: AssetKey, partition: str | None = None, ts: float = 1_700_000_000.0) -> EventLogEntry:
    return entry(run, EventType.ASSET_MATERIALIZATION, AssetMaterialization(key, partition=partition), ts)


@pytest.fixture(params=["memory", "sqlite"])
def instance(request: pytest.FixtureRequest) -> Iterator[Instance]:
    with Instance.ephemeral() if request.param == "memory" else Instance.local_temp() as inst:
        yield inst


def test_create_run_defaults(instance: Instance) -> None:
    run = instance.create_run(job_name="job", tags={"dagster/partition": "p1"}, asset_selection=[A])
    assert run.status is RunStatus.NOT_STARTED
    assert run.partition == "p1"
    assert run.asset_selection == frozenset({A})
    assert instance.get_run_by_id(run.run_id) == run
    record = instance.get_run_record_by_id(run.run_id)
    assert record is not None and record.dagster_run == run
    assert instance.has_run(run.run_id)
    assert instance.get_runs() == [run]
    assert instance.get_run_ids() == [run.run_id]
    assert instance.get_runs_count(RunsFilter(job_name="other")) == 0
    queued = instance.create_run(job_name="job", status=RunStatus.QUEUED, run_id="fixed")
    assert queued.run_id == "fixed" and queued.status is RunStatus.QUEUED


def test_run_events_move_status_with_timestamps(instance: Instance) -> None:
    run = instance.create_run(job_name="job")
    instance.handle_new_events(
        [entry(run, EventType.RUN_STARTING, ts=10.0), entry(run, EventType.RUN_START, ts=11.0)]
    )
    record = instance.get_run_record_by_id(run.run_id)
    assert record is not None and record.dagster_run.status is RunStatus.STARTED and record.start_time == 11.0
    ids = instance.handle_new_events([mat(run, A), entry(run, EventType.RUN_SUCCESS, ts=20.0)])
    assert len(ids) == 2
    record = instance.get_run_record_by_id(run.run_id)
    assert record is not None and record.dagster_run.status is RunStatus.SUCCESS and record.end_time == 20.0
    assert [e.dagster_event_type for e in instance.all_logs(run.run_id)] == [
        EventType.RUN_STARTING, EventType.RUN_START, EventType.ASSET_MATERIALIZATION, EventType.RUN_SUCCESS,
    ]  # fmt: skip


def test_illegal_transition_writes_nothing(instance: Instance) -> None:
    run = instance.create_run(job_name="job")
    instance.handle_new_events([entry(run, EventType.RUN_START), entry(run, EventType.RUN_SUCCESS)])
    with pytest.raises(InvalidStatusTransitionError, match="SUCCESS"):
        instance.handle_new_events([mat(run, A), entry(run, EventType.RUN_START)])
    assert len(instance.all_logs(run.run_id)) == 2
    assert not instance.has_asset_key(A)


def test_illegal_transition_within_one_batch(instance: Instance) -> None:
    run = instance.create_run(job_name="job")
    with pytest.raises(InvalidStatusTransitionError):
        instance.handle_new_events([entry(run, EventType.RUN_SUCCESS)])
    with pytest.raises(InvalidStatusTransitionError):
        instance.handle_new_events(
            [
                entry(run, EventType.RUN_START),
                entry(run, EventType.RUN_FAILURE),
                entry(run, EventType.RUN_START),
            ]
        )
    assert instance.all_logs(run.run_id) == []
    assert instance.get_run_by_id(run.run_id) == run


def test_run_event_for_unknown_run(instance: Instance) -> None:
    ghost = Run("job", run_id="ghost")
    with pytest.raises(RunNotFoundError, match="create_run"):
        instance.handle_new_events([entry(ghost, EventType.RUN_START)])
    instance.handle_new_events([mat(ghost, A)])  # non-status events need no run


def test_report_run_failed_and_canceled(instance: Instance) -> None:
    run = instance.create_run(job_name="job")
    instance.handle_new_event(entry(run, EventType.RUN_START))
    event = instance.report_run_failed(run)
    assert event.event_type is EventType.RUN_FAILURE
    failed = instance.get_run_by_id(run.run_id)
    assert failed is not None and failed.status is RunStatus.FAILURE
    [log] = instance.all_logs(run.run_id, of_type=EventType.RUN_FAILURE)
    assert "marked as failed" in log.message
    other = instance.create_run(job_name="job")
    instance.report_run_canceled(other)
    canceled = instance.get_run_by_id(other.run_id)
    assert canceled is not None and canceled.status is RunStatus.CANCELED


def test_fetch_materializations_pages_with_cursor(instance: Instance) -> None:
    run = instance.create_run(job_name="job")
    ids = instance.handle_new_events([mat(run, A, f"p{i}", ts=100.0 + i) for i in range(5)])
    page = instance.fetch_materializations(A, limit=2)
    assert [r.storage_id for r in page.records] == [ids[4], ids[3]] and page.has_more
    page = instance.fetch_materializations(A, limit=2, cursor=page.cursor)
    assert [r.storage_id for r in page.records] == [ids[2], ids[1]]
    page = instance.fetch_materializations(A, limit=2, cursor=page.cursor)
    assert [r.storage_id for r in page.records] == [ids[0]] and not page.has_more
    asc = instance.fetch_materializations(
        AssetRecordsFilter(A, asset_partitions=["p1", "p3"]), limit=5, ascending=True
    )
    assert [r.partition_key for r in asc.records] == ["p1", "p3"]
    ranged = instance.fetch_materializations(
        AssetRecordsFilter(A, after_storage_id=ids[1], before_storage_id=ids[4]), 9
    )
    assert [r.storage_id for r in ranged.records] == [ids[3], ids[2]]
    assert instance.fetch_observations(A, limit=1).records == []
    empty = instance.fetch_materializations(AssetKey("none"), limit=1)
    assert empty.records == [] and not empty.has_more


def test_asset_reads(instance: Instance) -> None:
    run = instance.create_run(job_name="job")
    instance.handle_new_events([mat(run, A, "p1"), mat(run, AssetKey("b"))])
    latest = instance.get_latest_materialization_event(A)
    assert latest is not None and latest.run_id == run.run_id
    assert instance.get_latest_materialization_event(AssetKey("zzz")) is None
    assert set(instance.get_latest_materialization_events([A, AssetKey("b")])) == {A, AssetKey("b")}
    assert instance.get_asset_keys() == [A, AssetKey("b")]
    assert len(instance.get_asset_records()) == 2
    assert instance.get_materialized_partitions(A) == {"p1"}
    instance.wipe_assets([A])
    assert not instance.has_asset_key(A)
    assert instance.get_asset_keys() == [AssetKey("b")]


def test_delete_run_deletes_its_events(instance: Instance) -> None:
    run = instance.create_run(job_name="job")
    instance.handle_new_events([mat(run, A)])
    instance.delete_run(run.run_id)
    assert instance.get_run_by_id(run.run_id) is None
    assert instance.all_logs(run.run_id) == []
    assert not instance.has_asset_key(A)


def test_tags_and_dynamic_partitions(instance: Instance) -> None:
    run = instance.create_run(job_name="job", tags={"a": "1"})
    instance.add_run_tags(run.run_id, {"b": "2"})
    stored = instance.get_run_by_id(run.run_id)
    assert stored is not None and stored.tags == {"a": "1", "b": "2"}
    instance.add_dynamic_partitions("d", ["x", "y"])
    assert instance.get_dynamic_partitions("d") == ["x", "y"]
    assert instance.has_dynamic_partition("d", "x")
    instance.delete_dynamic_partition("d", "x")
    assert instance.get_dynamic_partitions("d") == ["y"]


def test_ephemeral_directories() -> None:
    instance = Instance.ephemeral()
    root = instance.root_directory
    assert os.path.isdir(root)
    assert instance.storage_directory() == os.path.join(root, "storage")
    assert instance.is_ephemeral
    instance.dispose()
    assert not os.path.exists(root)
    instance.dispose()


def test_ephemeral_with_given_tempdir_is_left_alone(tmp_path: os.PathLike[str]) -> None:
    with Instance.ephemeral(tempdir=tmp_path) as instance:
        assert instance.root_directory == os.fspath(tmp_path)
    assert os.path.isdir(tmp_path)


def test_import_is_cheap() -> None:
    code = "import sys, headwater.instance; print(any(m.startswith('sqlalchemy') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_latest_materialization_code_versions_and_runless_events(instance: Instance) -> None:
    import headwater as hw

    @hw.asset(code_version="v1")
    def versioned() -> int:
        return 1

    @hw.asset
    def unversioned() -> int:
        return 2

    keys = [AssetKey("versioned"), AssetKey("unversioned"), AssetKey("never")]
    assert instance.get_latest_materialization_code_versions(keys) == dict.fromkeys(keys)
    result = hw.materialize([versioned, unversioned], instance=instance)
    assert instance.get_latest_materialization_code_versions(keys) == {
        AssetKey("versioned"): "v1",
        AssetKey("unversioned"): result.run_id,  # no code version: the run's id, as in Dagster
        AssetKey("never"): None,
    }
    instance.report_runless_asset_event(AssetMaterialization("versioned", metadata={"n": 1}))
    latest = instance.get_latest_materialization_event(AssetKey("versioned"))
    assert (
        latest is not None and latest.run_id == "" and latest.asset_materialization.metadata["n"].value == 1
    )
    assert instance.get_latest_materialization_code_versions([AssetKey("versioned")]) == {
        AssetKey("versioned"): None
    }
    with pytest.raises(hw.InvariantViolationError, match="unexpected asset event type"):
        instance.report_runless_asset_event("not an event")  # type: ignore[arg-type]
