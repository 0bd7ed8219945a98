"""The automation loop, driven with a fake clock over real SQLite storage and in-process code
locations: the default sensor, evaluations stored with their reasons, runs launched with automation
tags (and a backfill for many partitions), user-defined automation sensors, and a crash between
recording a tick and launching its runs."""

from __future__ import annotations

import datetime
from typing import Any

from headwater.daemon.automation_tick import AutomationTick, automation_sensors
from headwater.daemon.sensor_tick import SensorTick
from headwater.daemon.tick_runs import submitter
from headwater.definitions.asset_check import asset_check
from headwater.definitions.asset_decorators import asset
from headwater.definitions.automation import AutomationConditionSensorDefinition
from headwater.definitions.definitions import Definitions
from headwater.definitions.results import AssetCheckResult
from headwater.definitions.time_window_partitions import DailyPartitionsDefinition
from headwater.execution.api import materialize
from headwater.instance import Instance
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.specs.automation_condition import AutomationCondition as AC
from headwater.storage.instigators import InstigatorState, InstigatorStatus, InstigatorType, TickStatus
from headwater.storage.runs import Run
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

from .locations import InProcessLocations

START = datetime.datetime(2024, 1, 11, 3, tzinfo=datetime.UTC).timestamp()
DEFAULT = "default_automation_condition_sensor"
daily = DailyPartitionsDefinition("2024-01-01")


@asset
def source() -> int:
    return 1


@asset(deps=[source], automation_condition=AC.eager())
def eager_child() -> int:
    return 2


@asset(partitions_def=daily, automation_condition=AC.missing())
def every_day() -> None: ...


class Harness:
    def __init__(self, defs: Definitions) -> None:
        self.clock = FakeClock(START)
        self.storage = SqlStorage.in_memory(clock=self.clock)
        self.instance = Instance(self.storage)
        self.defs = defs
        self.locations = InProcessLocations(defs, self.instance)
        self.submit = submitter(self.storage, QueuedRunCoordinator(), None)
        self.loop = AutomationTick(self.storage, self.locations, self.submit)

    def tick(self, advance: float = 0.0) -> None:
        self.clock.advance(advance)
        self.loop.tick(self.clock())

    def ticks(self, name: str = DEFAULT) -> list[Any]:
        return list(reversed(self.storage.instigators.get_ticks(f"loc:{name}")))

    def runs(self) -> list[Run]:
        """The runs automation launched (not those the test materialized itself)."""
        records = self.storage.run_store.get_run_records(ascending=True)
        return [r.dagster_run for r in records if "dagster/from_automation_condition" in r.dagster_run.tags]


def test_default_sensor_evaluates_stores_reasons_and_launches() -> None:
    h = Harness(Definitions(assets=[source, eager_child]))
    (sensor,) = automation_sensors(h.locations.spec("loc"))
    assert sensor.name == DEFAULT and sensor.default_status == "RUNNING"
    assert h.locations.spec("loc").sensors == (sensor,)  # in the location's spec, like any sensor
    h.tick()
    (first,) = h.ticks()
    assert first.status is TickStatus.SKIPPED and h.runs() == []
    (record,) = h.storage.automation.get_evaluations("eager_child")
    assert record.evaluation.num_requested == 0 and record.evaluation.result.label == "eager"
    h.tick(10)  # within the 30 s interval: not evaluated
    assert len(h.ticks()) == 1
    materialize([source], instance=h.instance)
    h.tick(30)
    last = h.ticks()[-1]
    assert last.status is TickStatus.SUCCESS
    (run,) = h.runs()
    assert run.tags["dagster/from_automation_condition"] == "true"
    assert run.tags["dagster/asset_evaluation_id"] == "2"
    assert run.tags["dagster/sensor_name"] == DEFAULT
    assert [k.to_user_string() for k in run.asset_selection or ()] == ["eager_child"]
    newest = h.storage.automation.get_evaluations("eager_child")[0]
    assert newest.evaluation.num_requested == 1 and newest.run_ids == (run.run_id,)
    # why: any_deps_updated was true through "source"
    since = newest.evaluation.result.children[1]
    updated = since.children[0].children[1]
    assert updated.label == "any_deps_updated" and updated.children[0].dep_key == "source"
    h.tick(30)  # requested last tick: handled, nothing new
    assert h.ticks()[-1].status is TickStatus.SKIPPED and len(h.runs()) == 1


def test_many_partitions_become_one_backfill() -> None:
    h = Harness(Definitions(assets=[every_day]))
    h.tick()
    (tick,) = h.ticks()
    assert tick.status is TickStatus.SUCCESS
    (backfill_id,) = tick.run_ids
    backfill = h.storage.backfills.get_backfill(backfill_id)
    assert backfill is not None and backfill.num_partitions == 10
    assert backfill.tags["dagster/from_automation_condition"] == "true"
    assert h.runs() == []  # the backfill loop launches its runs


def test_a_user_automation_sensor_takes_its_targets_from_the_default() -> None:
    sensor = AutomationConditionSensorDefinition("mine", target=[eager_child], minimum_interval_seconds=60)
    h = Harness(Definitions(assets=[source, eager_child, every_day], sensors=[sensor]))
    names = {s.name: s.asset_selection for s in automation_sensors(h.locations.spec("loc"))}
    assert {k: [a.to_user_string() for a in v or ()] for k, v in names.items()} == {
        "mine": ["eager_child"],
        DEFAULT: ["every_day"],
    }
    h.tick()
    assert len(h.ticks("mine")) == 1 and len(h.ticks(DEFAULT)) == 1
    # The sensor loop leaves automation sensors alone (they have no function to call).
    SensorTick(h.storage, h.locations, h.submit, max_workers=1).tick(h.clock())
    assert len(h.ticks("mine")) == 1


def test_a_stopped_sensor_is_not_evaluated() -> None:
    h = Harness(Definitions(assets=[every_day]))
    # Stopping goes through the instigator state, as for any sensor.
    h.storage.instigators.set_instigator_state(
        InstigatorState("loc", DEFAULT, InstigatorType.SENSOR, InstigatorStatus.STOPPED)
    )
    h.tick()
    assert h.ticks() == []


def test_a_crash_after_recording_finishes_the_tick_without_evaluating_again() -> None:
    h = Harness(Definitions(assets=[source, eager_child]))
    h.tick()
    materialize([source], instance=h.instance)

    class Crash(Exception):
        pass

    def crash(runs: Any) -> None:
        raise Crash

    h.loop.submit = crash
    h.clock.advance(30)
    try:
        h.loop.tick(h.clock())
    except Crash:
        pass
    recorded = h.ticks()[-1]
    assert recorded.status is TickStatus.STARTED and recorded.tick_data.evaluated
    assert len(h.runs()) == 1  # created, not submitted
    h.loop.submit = h.submit
    h.tick(1)  # resumes that tick: same run, no second evaluation
    resumed = h.ticks()[-1]
    assert resumed.tick_id == recorded.tick_id and resumed.status is TickStatus.SUCCESS
    assert len(h.runs()) == 1 and h.runs()[0].status.value == "QUEUED"
    assert [r.evaluation_id for r in h.storage.automation.get_evaluations("eager_child")] == [2, 1]


def test_partition_statuses_are_read_again_only_when_the_asset_changed(monkeypatch: Any) -> None:
    h = Harness(Definitions(assets=[every_day]))
    materialize([every_day], instance=h.instance, partition_key="2024-01-03")
    events = h.storage.event_store
    reads: list[str] = []
    original = events.get_status_by_partition

    def counting(key: Any, partitions: Any = None) -> Any:
        reads.append(key.to_user_string())
        return original(key, partitions)

    monkeypatch.setattr(events, "get_status_by_partition", counting)
    h.tick()
    h.tick(30)  # nothing changed: the statuses read on the first tick are reused
    assert reads == ["every_day"]
    materialize([every_day], instance=h.instance, partition_key="2024-01-04")
    h.tick(30)
    assert reads == ["every_day", "every_day"]
    # missing() is stateless (as in Dagster): each tick requests what is missing now, read afresh.
    counts = [r.evaluation.num_requested for r in h.storage.automation.get_evaluations("every_day")]
    assert counts == [8, 9, 9]


def test_multi_partitioned_assets_are_stored_and_a_steady_state_writes_nothing() -> None:
    from headwater.definitions.multi_partitions import MultiPartitionsDefinition
    from headwater.definitions.partitions_definition import StaticPartitionsDefinition

    multi = MultiPartitionsDefinition({"date": daily, "region": StaticPartitionsDefinition(["eu", "us"])})

    @asset(partitions_def=multi, automation_condition=AC.in_latest_time_window() & AC.missing().newly_true())
    def regional() -> None: ...

    @asset(automation_condition=AC.eager())
    def quiet() -> None: ...

    h = Harness(Definitions(assets=[regional, quiet]))
    h.tick()
    (first,) = h.storage.automation.get_evaluations("regional")
    assert first.evaluation.num_requested == 2  # both regions of the latest day: one backfill
    assert first.evaluation.requested.ranges == (("2024-01-10|eu", "2024-01-10|us"),)
    (tick,) = h.ticks()
    assert tick.status is TickStatus.SUCCESS, tick.tick_data.error  # the backfill of both partitions
    h.tick(30)  # both results change (no longer the initial evaluation; no longer newly missing)
    h.tick(30)  # nothing changed: no rows written
    assert [r.evaluation_id for r in h.storage.automation.get_evaluations("quiet")] == [2, 1]
    assert [r.evaluation_id for r in h.storage.automation.get_evaluations("regional")] == [2, 1]
    assert (
        h.ticks()[-1].tick_data.cursor is not None and '"evaluation_id":3' in h.ticks()[-1].tick_data.cursor
    )


@asset
def checked() -> int:
    return 1


@asset_check(asset=checked, automation_condition=AC.any_deps_updated())
def checked_again() -> AssetCheckResult:
    return AssetCheckResult(passed=True)


def test_a_check_requested_without_its_asset_runs_alone() -> None:
    h = Harness(Definitions(assets=[checked], asset_checks=[checked_again]))
    h.tick()
    assert h.ticks()[-1].status is TickStatus.SKIPPED and h.runs() == []
    materialize([checked], instance=h.instance, selection=[checked])  # the asset, not by automation
    h.tick(30)
    tick = h.ticks()[-1]
    assert tick.status is TickStatus.SUCCESS, tick
    (run,) = h.runs()
    assert tuple(run.asset_selection or ()) == ()
    assert [k.to_user_string() for k in run.asset_check_selection or ()] == ["checked:checked_again"]
    assert run.tags["dagster/from_automation_condition"] == "true"
    (newest, *_) = h.storage.automation.get_evaluations("checked:checked_again")
    assert newest.evaluation.num_requested == 1 and newest.run_ids == (run.run_id,)
