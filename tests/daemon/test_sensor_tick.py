"""The sensor tick, driven with a fake clock: intervals, cursors, run-key de-duplication, a sensor that
raises, one that hangs past its timeout while the others are still evaluated, dynamic partitions,
asset and run status sensors."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from headwater.daemon.sensor_tick import SensorTick
from headwater.daemon.tick_runs import submitter
from headwater.definitions.asset_sensor import asset_sensor
from headwater.definitions.definitions import Definitions
from headwater.definitions.job import job
from headwater.definitions.op import op
from headwater.definitions.partitions_definition import DynamicPartitionsDefinition
from headwater.definitions.run_request import DefaultSensorStatus, RunRequest, SensorResult, SkipReason
from headwater.definitions.run_status_sensor import run_failure_sensor
from headwater.definitions.sensor_definition import sensor
from headwater.instance import Instance
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.storage.instigators import InstigatorStatus, TickStatus
from headwater.storage.runs import Run
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

from .locations import InProcessLocations

RUNNING = DefaultSensorStatus.RUNNING
START = 1_800_000_000.0


@op
def work() -> None:
    pass


@job
def the_job() -> None:
    work()


class Harness:
    def __init__(self, defs: Definitions, **kwargs: Any) -> None:
        self.clock = FakeClock(START)
        self.storage = SqlStorage.in_memory(clock=self.clock)
        self.instance = Instance(self.storage)
        self.locations = InProcessLocations(defs, self.instance)
        coordinator = QueuedRunCoordinator()

        submit = submitter(self.storage, coordinator, None)

        kwargs.setdefault("max_workers", 1)
        self.sensors = SensorTick(self.storage, self.locations, submit, **kwargs)

    def tick(self, advance: float = 0.0) -> None:
        self.clock.advance(advance)
        self.sensors.tick(self.clock())

    def ticks(self, name: str) -> list[Any]:
        return list(reversed(self.storage.instigators.get_ticks(f"loc:{name}")))

    def runs(self) -> list[Run]:
        return [r.dagster_run for r in self.storage.run_store.get_run_records(ascending=True)]

    def state(self, name: str) -> Any:
        return self.storage.instigators.get_instigator_state(f"loc:{name}")


@pytest.fixture
def files() -> Iterator[list[str]]:
    yield []


def test_cursor_interval_and_run_key_dedup(files: list[str]) -> None:
    @sensor(job=the_job, minimum_interval_seconds=60, default_status=RUNNING)
    def new_files(context: Any) -> Any:
        seen = int(context.cursor or 0)
        for name in files[seen:]:
            yield RunRequest(run_key=name, tags={"file": name})
        context.update_cursor(str(len(files)))

    h = Harness(Definitions(sensors=[new_files]))
    files.extend(["a.csv", "b.csv"])
    h.tick()
    assert [r.tags["file"] for r in h.runs()] == ["a.csv", "b.csv"]
    assert h.state("new_files").cursor == "2"
    h.tick(30)  # within the interval: not evaluated
    assert len(h.ticks("new_files")) == 1
    h.tick(31)
    assert h.ticks("new_files")[-1].status is TickStatus.SKIPPED
    # A reset cursor asks again for a.csv (already launched under its key) and c.csv (new).
    files.append("c.csv")
    h.storage.instigators.set_instigator_state(h.state("new_files").replace(cursor=None))
    h.tick(61)
    last = h.ticks("new_files")[-1]
    assert last.status is TickStatus.SUCCESS
    assert last.tick_data.skipped_run_keys == ("a.csv", "b.csv")
    assert [r.tags["file"] for r in h.runs()] == ["a.csv", "b.csv", "c.csv"]
    assert h.runs()[2].tags["dagster/run_key"] == "c.csv"
    assert h.runs()[2].tags["dagster/sensor_name"] == "new_files"


def test_sensor_result_with_cursor_and_dynamic_partitions() -> None:
    regions = DynamicPartitionsDefinition(name="regions")

    @sensor(job=the_job, default_status=RUNNING)
    def discover(context: Any) -> SensorResult:
        return SensorResult(
            run_requests=[RunRequest(run_key="eu")],
            cursor="after-eu",
            dynamic_partitions_requests=[regions.build_add_request(["eu", "us"])],
        )

    h = Harness(Definitions(sensors=[discover]))
    h.tick()
    assert h.state("discover").cursor == "after-eu"
    assert list(h.storage.event_store.get_dynamic_partitions("regions")) == ["eu", "us"]
    assert len(h.runs()) == 1


def test_a_sensor_that_raises_keeps_its_cursor_and_others_run() -> None:
    @sensor(job=the_job, default_status=RUNNING)
    def broken(context: Any) -> Any:
        context.update_cursor("moved")
        raise RuntimeError("the bucket is gone")

    @sensor(job=the_job, default_status=RUNNING)
    def fine(context: Any) -> Any:
        return RunRequest()

    h = Harness(Definitions(sensors=[broken, fine]))
    h.storage.instigators.set_instigator_state(h.state("broken") or _declared("broken", cursor="kept"))
    h.tick()
    (tick,) = h.ticks("broken")
    assert tick.status is TickStatus.FAILURE and tick.error is not None
    assert "the bucket is gone" in tick.error.message and "RuntimeError" in (tick.error.traceback or "")
    assert h.state("broken").cursor == "kept"
    assert h.ticks("fine")[0].status is TickStatus.SUCCESS


def _declared(name: str, cursor: str | None = None) -> Any:
    from headwater.storage.instigators import InstigatorState, InstigatorType

    return InstigatorState(
        "loc", name, InstigatorType.SENSOR, InstigatorStatus.DECLARED_IN_CODE, cursor=cursor
    )


def test_a_hanging_sensor_times_out_and_does_not_block_the_others() -> None:
    release = threading.Event()

    @sensor(job=the_job, default_status=RUNNING)
    def hangs(context: Any) -> Any:
        release.wait(30)
        return RunRequest()

    @sensor(job=the_job, default_status=RUNNING)
    def quick(context: Any) -> Any:
        return RunRequest()

    h = Harness(Definitions(sensors=[hangs, quick]), evaluation_timeout=0.5, max_workers=4)
    started = time.monotonic()
    try:
        h.tick()
    finally:
        release.set()
    assert time.monotonic() - started < 10
    (tick,) = h.ticks("hangs")
    assert tick.status is TickStatus.FAILURE and tick.error is not None and tick.error.kind == "timeout"
    assert "did not finish within 0.5 s" in tick.error.message
    assert h.ticks("quick")[0].status is TickStatus.SUCCESS
    assert len(h.runs()) == 1


def test_skip_reason_is_recorded_and_stopped_sensors_do_not_run() -> None:
    @sensor(job=the_job, default_status=RUNNING)
    def idle(context: Any) -> Any:
        return SkipReason("nothing new")

    @sensor(job=the_job)
    def off(context: Any) -> Any:
        return RunRequest()

    h = Harness(Definitions(sensors=[idle, off]))
    h.tick()
    assert [(t.status, t.skip_reason) for t in h.ticks("idle")] == [(TickStatus.SKIPPED, "nothing new")]
    assert h.ticks("off") == []
    h.instance.start_sensor("loc", "off")
    h.tick(31)
    assert h.ticks("off")[0].status is TickStatus.SUCCESS
    assert len(h.ticks("idle")) == 2
    h.instance.stop_sensor("loc", "idle")
    h.tick(31)
    assert len(h.ticks("idle")) == 2


def test_crash_between_recording_and_launching_launches_once(monkeypatch: Any) -> None:
    import headwater.daemon.sensor_tick as sensor_tick

    @sensor(job=the_job, default_status=RUNNING)
    def once(context: Any) -> Any:
        context.update_cursor("1")
        return RunRequest(run_key="only")

    h = Harness(Definitions(sensors=[once]))
    real = sensor_tick.launch_all
    monkeypatch.setattr(sensor_tick, "launch_all", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        h.tick()
    assert h.ticks("once")[0].status is TickStatus.STARTED and h.runs() == []
    monkeypatch.setattr(sensor_tick, "launch_all", real)
    h.tick(1)
    (tick,) = h.ticks("once")
    assert tick.status is TickStatus.SUCCESS and len(h.runs()) == 1
    assert h.state("once").cursor == "1"
    assert len(h.locations.evaluations) == 1


def test_asset_sensor_fires_on_new_materializations() -> None:
    from headwater.core.asset_events import AssetMaterialization

    @asset_sensor(asset_key="orders", job=the_job, default_status=RUNNING)
    def orders_changed(context: Any, asset_event: Any) -> Any:
        return RunRequest(run_key=str(asset_event.storage_id) if hasattr(asset_event, "storage_id") else None)

    h = Harness(Definitions(sensors=[orders_changed]))
    h.tick()
    assert h.ticks("orders_changed")[0].status is TickStatus.SKIPPED
    h.instance.report_runless_asset_event(AssetMaterialization("orders"))
    h.tick(31)
    assert h.ticks("orders_changed")[-1].status is TickStatus.SUCCESS
    h.tick(31)
    assert h.ticks("orders_changed")[-1].status is TickStatus.SKIPPED
    assert len(h.runs()) == 1


def test_run_failure_sensor_sees_failed_runs() -> None:
    from headwater.events.event_type import EventType
    from headwater.runs.run_events import emit_run_event

    seen: list[str] = []

    @run_failure_sensor(default_status=RUNNING)
    def on_failure(context: Any) -> None:
        seen.append(context.dagster_run.run_id)

    h = Harness(Definitions(jobs=[the_job], sensors=[on_failure]))
    h.tick()  # a new sensor starts from now
    run = h.instance.create_run(job_name="the_job")
    emit_run_event(h.storage, run, EventType.RUN_FAILURE, "boom")
    h.tick(31)
    assert seen == [run.run_id]
    h.tick(31)
    assert seen == [run.run_id]
