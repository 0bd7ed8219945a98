"""The backfill tick, driven directly with a fake clock: batches through the queued coordinator,
dependency order across partitionings, BackfillPolicy, pause/resume/cancel, completion, and a tick
that dies between creating a run and submitting it resumes without a duplicate."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

import headwater as hw
from headwater.cli.backfill_launch import launch_backfill
from headwater.core.asset_key import AssetKey
from headwater.daemon.backfill_tick import BackfillDaemon
from headwater.errors import InvalidInvocationError, UnknownPartitionError
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.runs.backfills import BackfillStateError, load_plan
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.runs.run_events import emit_run_event, get_run
from headwater.storage.backfills import BulkActionStatus, PartitionBackfill
from headwater.storage.runs import BACKFILL_ID_TAG, RunsFilter
from headwater.testing import FakeClock

daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-15")
weekly = hw.WeeklyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-15", day_offset=1)


@hw.asset(partitions_def=daily)
def days() -> int:
    return 1


@hw.asset(partitions_def=daily, deps=[days])
def days_clean() -> int:
    return 1


@hw.asset(partitions_def=weekly, deps=[days_clean])
def weeks() -> int:
    return 1


@hw.asset(partitions_def=daily, backfill_policy=hw.BackfillPolicy.multi_run(5))
def ranged() -> int:
    return 1


DEFS = hw.Definitions(assets=[days, days_clean, weeks, ranged])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_706_000_000.0)  # 2024-01-23


@pytest.fixture
def instance(clock: FakeClock) -> Iterator[Instance]:
    from headwater.storage.sql import SqlStorage

    inst = Instance(SqlStorage.in_memory(clock=clock))
    inst.configure_runs(coordinator=QueuedRunCoordinator(max_concurrent_runs=4))
    yield inst
    inst.dispose()


def _launch(instance: Instance, select: str = "*", **kw: Any) -> PartitionBackfill:
    return launch_backfill(select, definitions=DEFS, module_name="tests_defs", instance=instance, **kw)


def _daemon(instance: Instance, per_tick: int = 200) -> BackfillDaemon:
    return BackfillDaemon(
        instance.storage, instance.run_coordinator, instance.run_launcher, max_runs_per_tick=per_tick
    )


def _runs(instance: Instance, backfill_id: str) -> list[Any]:
    return list(instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id})))


def _finish(instance: Instance, run_ids: list[str], *, fail: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    for run_id in run_ids:
        run = get_run(instance.storage, run_id)
        assert run is not None
        for et in (EventType.RUN_STARTING, EventType.RUN_START):
            run = get_run(instance.storage, run_id)
            emit_run_event(instance.storage, run, et, et.value)  # type: ignore[arg-type]
        end = EventType.RUN_FAILURE if run_id in fail else EventType.RUN_SUCCESS
        emit_run_event(instance.storage, get_run(instance.storage, run_id), end, end.value)  # type: ignore[arg-type]


def _partition(run: Any) -> str:
    return str(run.tags.get("dagster/partition") or run.tags.get("dagster/asset_partition_range_start"))


def test_daily_then_weekly_in_dependency_order(instance: Instance, clock: FakeClock) -> None:
    backfill = _launch(instance, "days, days_clean, weeks", partitions="2024-01-01...2024-01-14")
    plan = load_plan(instance.storage, backfill)
    # days and days_clean run together (same partitions, identity); weeks is its own group
    assert [[k.to_user_string() for k in g.asset_keys] for g in plan.groups] == [
        ["days", "days_clean"],
        ["weeks"],
    ]
    assert backfill.num_runs == 14 + 2
    daemon = _daemon(instance, per_tick=10)
    daemon.tick(clock())
    first = _runs(instance, backfill.backfill_id)
    assert len(first) == 10 and all(r.status is RunStatus.QUEUED for r in first)
    assert all(r.asset_selection == {AssetKey("days"), AssetKey("days_clean")} for r in first)
    daemon.tick(clock.advance(5))
    runs = _runs(instance, backfill.backfill_id)
    assert len(runs) == 14  # the weeks wait for their days
    by_partition = {_partition(r): r.run_id for r in runs}
    _finish(instance, [by_partition[f"2024-01-{d:02d}"] for d in range(1, 8)])
    daemon.tick(clock.advance(5))
    weeks_runs = [r for r in _runs(instance, backfill.backfill_id) if AssetKey("weeks") in r.asset_selection]
    assert [_partition(r) for r in weeks_runs] == ["2024-01-01"]  # the first week's days are done
    status = {
        s.asset_key.to_user_string(): s for s in instance.get_backfill_asset_status(backfill.backfill_id)
    }
    assert (status["days"].targeted, status["days"].materialized, status["days"].in_progress) == (14, 7, 7)
    assert (status["weeks"].targeted, status["weeks"].requested) == (2, 1)
    # the second week: one of its days fails -> blocked, and the backfill completes as failed
    _finish(
        instance, [by_partition[f"2024-01-{d:02d}"] for d in range(8, 15)], fail={by_partition["2024-01-10"]}
    )
    _finish(instance, [weeks_runs[0].run_id])
    daemon.tick(clock.advance(5))
    got = instance.get_backfill(backfill.backfill_id)
    assert got is not None and got.status is BulkActionStatus.COMPLETED_FAILED
    assert got.backfill_end_timestamp == clock()
    status = {
        s.asset_key.to_user_string(): s for s in instance.get_backfill_asset_status(backfill.backfill_id)
    }
    assert (status["weeks"].materialized, status["weeks"].blocked) == (1, 1)
    assert (status["days"].failed, status["days"].materialized) == (1, 13)


def test_backfill_policy_ranges_and_success(instance: Instance, clock: FakeClock) -> None:
    backfill = _launch(instance, "ranged", all_partitions=True)
    plan = load_plan(instance.storage, backfill)
    assert [r.partition_keys[0] for r in plan.requests] == ["2024-01-01", "2024-01-06", "2024-01-11"]
    daemon = _daemon(instance)
    daemon.tick(clock())
    runs = _runs(instance, backfill.backfill_id)
    ranges = sorted(
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in runs
    )
    assert ranges == [
        ("2024-01-01", "2024-01-05"),
        ("2024-01-06", "2024-01-10"),
        ("2024-01-11", "2024-01-14"),
    ]
    _finish(instance, [r.run_id for r in runs])
    daemon.tick(clock.advance(1))
    assert instance.get_backfill(backfill.backfill_id).status is BulkActionStatus.COMPLETED_SUCCESS  # type: ignore[union-attr]


def test_pause_resume_cancel(instance: Instance, clock: FakeClock) -> None:
    backfill = _launch(instance, "days", partitions="2024-01-01...2024-01-10")
    bid = backfill.backfill_id
    daemon = _daemon(instance, per_tick=3)
    instance.pause_backfill(bid)
    daemon.tick(clock())
    assert _runs(instance, bid) == []
    instance.resume_backfill(bid)
    daemon.tick(clock.advance(1))
    assert len(_runs(instance, bid)) == 3
    instance.cancel_backfill(bid)
    with pytest.raises(BackfillStateError, match="nothing to cancel"):
        instance.cancel_backfill(bid)
    daemon.tick(clock.advance(1))
    got = instance.get_backfill(bid)
    assert got is not None and got.status is BulkActionStatus.CANCELED
    assert {r.status for r in _runs(instance, bid)} == {RunStatus.CANCELED}
    with pytest.raises(BackfillStateError, match="CANCELED"):
        instance.resume_backfill(bid)


class _DiesAfter:
    """The queued coordinator, killed (BaseException, as a SIGKILL would) on its n-th submit: the run
    is stored, not submitted, and the backfill's progress never saved."""

    def __init__(self, inner: Any, n: int) -> None:
        self.inner, self.n = inner, n

    def submit_run(self, storage: Any, launcher: Any, run: Any) -> Any:
        self.n -= 1
        if self.n == 0:
            raise KeyboardInterrupt("killed")
        return self.inner.submit_run(storage, launcher, run)


def test_a_tick_killed_mid_way_resumes_without_duplicates(instance: Instance, clock: FakeClock) -> None:
    backfill = _launch(instance, "days", partitions="2024-01-01...2024-01-14")
    bid = backfill.backfill_id
    dying = BackfillDaemon(instance.storage, _DiesAfter(instance.run_coordinator, 6), instance.run_launcher)
    with pytest.raises(KeyboardInterrupt):
        dying.tick(clock())
    runs = _runs(instance, bid)
    assert len(runs) == 6 and Counter(r.status for r in runs) == {
        RunStatus.QUEUED: 5,
        RunStatus.NOT_STARTED: 1,
    }
    fresh = _daemon(instance)  # a new process: nothing cached
    fresh.tick(clock.advance(5))
    fresh.tick(clock.advance(5))
    runs = _runs(instance, bid)
    assert len(runs) == 14 and len({_partition(r) for r in runs}) == 14
    assert {r.status for r in runs} == {RunStatus.QUEUED}
    # a second daemon racing on the same backfill cannot create a run twice either
    plan = load_plan(instance.storage, backfill)
    other = _daemon(instance)
    other._create_and_submit(backfill, plan, 0, plan.run_id_for(bid, 0))
    assert len(_runs(instance, bid)) == 14


def test_missing_and_failed(instance: Instance, clock: FakeClock) -> None:
    result = hw.materialize([days], partition_key="2024-01-02", instance=instance)
    assert result.success
    missing = _launch(instance, "days", missing=True)
    assert missing.num_runs == 13
    with pytest.raises(InvalidInvocationError, match=r"Nothing to backfill: no partition .* failed"):
        _launch(instance, "days", failed=True)


def test_bad_input_is_reported_before_anything_is_stored(instance: Instance) -> None:
    with pytest.raises(UnknownPartitionError, match=r"asset 'days'.*2024-13-01.*2024-01-01"):
        _launch(instance, "days", partitions="2024-13-01")
    with pytest.raises(InvalidInvocationError, match=r"asset 'days'.*start comes after its end.*Swap"):
        _launch(instance, "days", partitions="2024-01-05...2024-01-02")
    with pytest.raises(InvalidInvocationError, match=r"not a partition range: write START\.\.\.END"):
        _launch(instance, "days", partitions="2024-01-05...")
    with pytest.raises(InvalidInvocationError, match=r"asset 'days'.*Nonexistent partition keys.*2030-01-01"):
        _launch(instance, "days", partitions="2024-01-01...2030-01-01")
    with pytest.raises(InvalidInvocationError, match=r"one way"):
        _launch(instance, "days", partitions="2024-01-01", missing=True)
    with pytest.raises(UnknownPartitionError, match=r"asset 'weeks'.*No parent of it in the selection"):
        _launch(instance, "weeks", partitions="2024-01-03")
    assert instance.get_backfills() == []
    assert instance.get_runs() == []
