"""The auto-observe tick, driven with a fake clock through the daemon runner: which observable source
assets are due, one run per partitions definition, the request times recorded with the tick before any
run is launched, and a crash between recording and launching."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from contracts.storage.databases import database_url
from headwater.core.asset_key import AssetKey
from headwater.daemon.auto_observe_tick import AUTO_OBSERVE_NAME, AUTO_OBSERVE_TAG, AutoObserveTick
from headwater.daemon.loop import DaemonRunner
from headwater.daemon.tick_runs import submitter
from headwater.locations.client.client import RunRequestReply
from headwater.locations.client.errors import LocationError, LocationRequestError
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.storage.instigators import InstigatorType, TickStatus
from headwater.storage.runs import SENSOR_NAME_TAG, Run
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

from .locations import InProcessLocations

T0 = 1_700_000_000.0


@hw.observable_source_asset(auto_observe_interval_minutes=5)
def often() -> hw.DataVersion:
    return hw.DataVersion("1")


@hw.observable_source_asset(auto_observe_interval_minutes=60)
def hourly() -> hw.DataVersion:
    return hw.DataVersion("1")


@hw.observable_source_asset
def by_hand() -> hw.DataVersion:  # no interval: never observed by the daemon
    return hw.DataVersion("1")


@hw.observable_source_asset(
    partitions_def=hw.StaticPartitionsDefinition(["a", "b"]), auto_observe_interval_minutes=5
)
def shards() -> hw.DataVersionsByPartition:
    return hw.DataVersionsByPartition({"a": "1"})


@hw.asset
def materialized() -> int:
    return 1


DEFS = hw.Definitions(assets=[often, hourly, by_hand, shards, materialized])


class Harness:
    def __init__(self, defs: hw.Definitions = DEFS, url: str | None = None) -> None:
        self.clock = FakeClock(T0)
        if url is None:
            self.storage = SqlStorage.in_memory(clock=self.clock)
        else:
            self.storage = SqlStorage(url, clock=self.clock)
        self.locations = InProcessLocations(defs)
        self.submitted: list[str] = []
        self.fail_next_submit = False
        batch = submitter(self.storage, QueuedRunCoordinator(), None)

        def submit(runs: Sequence[Run]) -> None:
            if self.fail_next_submit:
                self.fail_next_submit = False
                raise RuntimeError("the daemon died here")
            self.submitted.extend(r.run_id for r in runs)
            batch(runs)

        self.loop = AutoObserveTick(self.storage, self.locations, submit)
        self.runner = DaemonRunner([self.loop], self.storage)

    def tick(self, advance: float = 0.0) -> None:
        self.clock.advance(advance)
        self.runner.run_once(self.clock())

    def ticks(self) -> list[Any]:
        return list(reversed(self.storage.instigators.get_ticks(f"loc:{AUTO_OBSERVE_NAME}")))

    def selections(self) -> list[list[str]]:
        records = self.storage.run_store.get_run_records(ascending=True)
        return [sorted(k.to_user_string() for k in r.dagster_run.asset_selection or ()) for r in records]


@pytest.fixture
def harness() -> Harness:
    return Harness()


def test_due_assets_are_observed_one_run_per_partitions_definition(harness: Harness) -> None:
    harness.tick()
    assert harness.selections() == [["hourly", "often"], ["shards"]]
    [tick] = harness.ticks()
    assert tick.status is TickStatus.SUCCESS and len(tick.run_ids) == 2
    assert tick.tick_data.instigator_type is InstigatorType.AUTO_OBSERVE
    run = harness.storage.run_store.get_run_records(ascending=True)[0].dagster_run
    assert run.tags[AUTO_OBSERVE_TAG] == "true" and SENSOR_NAME_TAG not in run.tags
    assert run.job_name == "__ASSET_JOB"


def test_each_asset_is_observed_again_once_its_interval_has_passed(harness: Harness) -> None:
    harness.tick()
    harness.tick(60)
    harness.tick(240)  # 300 s after the first request: not more than the interval yet
    assert len(harness.ticks()) == 1
    harness.tick(30)  # the loop's own interval (30 s) later
    assert harness.selections()[2:] == [["often"], ["shards"]]
    for _ in range(11):
        harness.tick(301)
    hourly_runs = [s for s in harness.selections() if "hourly" in s]
    assert len(hourly_runs) == 2  # at T0, and once an hour had passed
    assert len(harness.submitted) == len(set(harness.submitted)) == len(harness.selections())


def test_a_crash_after_recording_launches_the_recorded_runs_once(harness: Harness) -> None:
    harness.fail_next_submit = True
    harness.tick()  # the runner logs the loop's error and carries on
    [tick] = harness.ticks()
    assert tick.status is TickStatus.STARTED and len(tick.tick_data.planned) == 2
    assert harness.submitted == []
    planned = [p.run_id for p in tick.tick_data.planned]
    harness.tick(30)  # the next pass (after the runner's back-off) finishes that tick; nothing is due
    [tick] = harness.ticks()
    assert tick.status is TickStatus.SUCCESS and list(tick.run_ids) == planned
    assert harness.submitted == planned
    harness.tick(30)
    assert harness.submitted == planned and len(harness.ticks()) == 1


@pytest.mark.parametrize("backend", ["postgres", "mysql"])
def test_a_crash_after_recording_on_a_database_server(backend: str, tmp_path: Path) -> None:
    with database_url(backend, tmp_path) as url:
        harness = Harness(url=url)
        try:
            test_a_crash_after_recording_launches_the_recorded_runs_once(harness)
            harness.tick(300)  # often and shards are due again: one more tick, two more runs
            assert len(harness.ticks()) == 2 and len(harness.submitted) == 4
        finally:
            harness.storage.dispose()


def test_a_second_daemon_at_the_same_instant_launches_nothing_more(harness: Harness) -> None:
    other = AutoObserveTick(harness.storage, harness.locations, harness.loop.submit)
    harness.tick()
    other.tick(harness.clock())
    assert len(harness.ticks()) == 1 and len(harness.submitted) == 2


def test_a_location_without_intervals_makes_no_ticks() -> None:
    harness = Harness(hw.Definitions(assets=[by_hand, materialized]))
    harness.tick()
    harness.tick(10_000)
    assert harness.ticks() == [] and harness.selections() == []


def test_the_interval_travels_in_the_location_spec(harness: Harness) -> None:
    nodes = {n.key: n for n in harness.locations.spec("loc").assets}
    assert nodes[AssetKey("often")].auto_observe_interval_minutes == 5
    assert nodes[AssetKey("by_hand")].auto_observe_interval_minutes is None
    assert nodes[AssetKey("materialized")].auto_observe_interval_minutes is None


def test_a_due_spec_of_a_multi_observable_brings_its_siblings() -> None:
    @hw.multi_observable_source_asset(
        specs=[
            hw.AssetSpec("left", metadata={"dagster/auto_observe_interval_minutes": 5}),
            hw.AssetSpec("right"),  # no interval of its own: observed with "left" (one function)
        ]
    )
    def pair() -> Iterator[hw.ObserveResult]:
        yield hw.ObserveResult(asset_key="left", data_version=hw.DataVersion("1"))
        yield hw.ObserveResult(asset_key="right", data_version=hw.DataVersion("1"))

    harness = Harness(hw.Definitions(assets=[pair, by_hand]))
    harness.tick()
    [tick] = harness.ticks()
    assert tick.status is TickStatus.SUCCESS
    assert harness.selections() == [["left", "right"]]  # not by_hand: another function, no interval


class RefusingLocations(InProcessLocations):
    """The code refuses every run request (as a code server answers a bad one: HTTP 400)."""

    def run_requests(
        self, location: str, bodies: Sequence[dict[str, Any]]
    ) -> list[RunRequestReply | LocationError]:
        return [
            LocationRequestError("resource 'db' was not provided", status=400, kind="bad_request")
            for _ in bodies
        ]


def test_a_refused_request_fails_the_tick_with_the_codes_message(harness: Harness) -> None:
    harness.loop.locations = RefusingLocations(DEFS)
    harness.tick()
    [tick] = harness.ticks()
    assert tick.status is TickStatus.FAILURE and tick.error is not None
    assert "refused by the code: resource 'db' was not provided" in tick.error.message
    assert harness.selections() == []
    # the request times stand: the assets are retried at their interval, not at every tick
    harness.tick(60)
    assert len(harness.ticks()) == 1
