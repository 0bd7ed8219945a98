"""The freshness checks sensor, driven through the daemon's sensor tick with a fake clock: it asks for
a checks-only run when a check may have changed state; the run worker (its code loaded from the run's
code pointer) evaluates the check against the same instance."""

from __future__ import annotations

from typing import Any

from headwater.cli.run_worker import _work
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.daemon.sensor_tick import SensorTick
from headwater.daemon.tick_runs import submitter
from headwater.execution.api import materialize
from headwater.instance import Instance
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.storage.instigators import TickStatus
from headwater.storage.runs import Run, RunsFilter
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

from . import freshness_defs
from .locations import InProcessLocations

START = 1_800_000_000.0
CHECK = AssetCheckKey(AssetKey("table"), "freshness_check")
SENSOR = "freshness_checks_sensor"


class Harness:
    def __init__(self) -> None:
        self.clock = FakeClock(START)
        self.storage = SqlStorage.in_memory(clock=self.clock)
        self.instance = Instance(self.storage)
        self.locations = InProcessLocations(
            freshness_defs.defs, self.instance, module="tests.daemon.freshness_defs"
        )
        submit = submitter(self.storage, QueuedRunCoordinator(), None)
        self.sensors = SensorTick(self.storage, self.locations, submit, max_workers=1)
        self.seen: set[str] = set()

    def tick(self, advance: float) -> list[Run]:
        """Advance the clock, tick the sensors, and run (as the run worker does) the runs it launched."""
        self.clock.advance(advance)
        self.sensors.tick(self.clock())
        records = self.storage.run_store.get_run_records(RunsFilter(tags={"dagster/sensor_name": SENSOR}))
        runs = [r.dagster_run for r in records if r.dagster_run.run_id not in self.seen]
        self.seen.update(r.run_id for r in runs)
        for run in runs:
            assert _work(self.instance, run) == 0
        return runs

    def last_tick(self) -> Any:
        return self.storage.instigators.get_ticks(f"loc:{SENSOR}")[0]

    def evaluation(self) -> Any:
        record = self.instance.get_latest_asset_check_evaluation_record(CHECK)
        assert record is not None and record.event is not None and record.event.dagster_event is not None
        return record.event.dagster_event.event_specific_data


def test_the_sensor_launches_the_check_only_when_its_state_may_have_changed() -> None:
    h = Harness()
    # Never executed: the sensor asks for a run of the check alone.
    (first,) = h.tick(0)
    assert first.asset_check_selection == frozenset({CHECK}) and first.asset_selection == frozenset()
    assert first.tags["dagster/sensor_name"] == SENSOR
    assert h.instance.get_run_by_id(first.run_id).is_success  # type: ignore[union-attr]
    assert not h.evaluation().passed  # the asset was never materialized
    # Failed, and the asset not updated since: nothing to do.
    assert h.tick(60) == []
    assert h.last_tick().status is TickStatus.SKIPPED
    assert "No freshness checks need to be evaluated" in (h.last_tick().tick_data.skip_reason or "")
    # Materialized: the failed check is due again, and passes.
    materialize([freshness_defs.table], instance=h.instance)
    materialized_at = h.clock()
    assert len(h.tick(60)) == 1
    passed = h.evaluation()
    assert passed.passed
    assert passed.metadata["dagster/fresh_until_timestamp"].value == materialized_at + 3600
    # Passing and not yet past fresh_until: nothing to do.
    assert h.tick(60) == []
    assert h.tick(3600 - 180) == []  # fresh until materialized_at + 3600; now materialized_at + 3540
    # Past fresh_until: evaluated again, and now overdue.
    (again,) = h.tick(120)
    assert again.asset_check_selection == frozenset({CHECK})
    overdue = h.evaluation()
    assert not overdue.passed and overdue.description.startswith("Asset is overdue for an update.")
    assert h.tick(60) == []
