"""The scheduler tick, driven with a fake clock: due ticks once, catch-up limit, DST, recording before
acting, a crash between recording and launching."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from headwater.daemon.scheduler_tick import SchedulerTick
from headwater.daemon.tick_runs import submitter
from headwater.definitions.definitions import Definitions
from headwater.definitions.job import job
from headwater.definitions.op import op
from headwater.definitions.run_request import DefaultScheduleStatus, RunRequest, SkipReason
from headwater.definitions.schedule_definition import ScheduleDefinition, schedule
from headwater.events.run_status import RunStatus
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.storage.instigators import TickStatus
from headwater.storage.runs import Run
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

from .locations import InProcessLocations

NY = ZoneInfo("America/New_York")


@op
def work() -> None:
    pass


@job
def the_job() -> None:
    work()


def ts(*args: int, tz: Any = NY) -> float:
    return datetime(*args, tzinfo=tz).timestamp()  # type: ignore[misc]


class Harness:
    def __init__(self, defs: Definitions, start: float, **kwargs: Any) -> None:
        self.clock = FakeClock(start)
        self.storage = SqlStorage.in_memory(clock=self.clock)
        self.locations = InProcessLocations(defs)
        self.submitted: list[str] = []
        coordinator = QueuedRunCoordinator()

        batch = submitter(self.storage, coordinator, None)

        def submit(runs: Sequence[Run]) -> None:
            self.submitted.extend(r.run_id for r in runs)
            batch(runs)

        self.scheduler = SchedulerTick(self.storage, self.locations, submit, max_workers=1, **kwargs)

    def tick(self, at: float | None = None) -> None:
        if at is not None:
            self.clock.set(at)
        self.scheduler.tick(self.clock())

    def ticks(self, name: str) -> list[Any]:
        return list(reversed(self.storage.instigators.get_ticks(f"loc:{name}")))

    def runs(self) -> list[Run]:
        return [r.dagster_run for r in self.storage.run_store.get_run_records(ascending=True)]


@pytest.fixture
def hourly() -> Iterator[Harness]:
    daily = ScheduleDefinition(
        name="hourly", cron_schedule="0 * * * *", job=the_job, default_status=DefaultScheduleStatus.RUNNING
    )
    h = Harness(Definitions(jobs=[the_job], schedules=[daily]), ts(2026, 3, 1, 10, 30))
    yield h
    h.storage.dispose()


def test_each_due_tick_is_evaluated_once(hourly: Harness) -> None:
    hourly.tick()  # first sight: due from now on
    assert hourly.ticks("hourly") == []
    hourly.tick(ts(2026, 3, 1, 11, 0, 5))
    hourly.tick(ts(2026, 3, 1, 11, 0, 20))  # the same tick again: nothing new
    ticks = hourly.ticks("hourly")
    assert [t.timestamp for t in ticks] == [ts(2026, 3, 1, 11)]
    assert ticks[0].status is TickStatus.SUCCESS and len(ticks[0].run_ids) == 1
    run = hourly.runs()[0]
    assert run.run_id == ticks[0].run_ids[0]
    assert run.tags["dagster/schedule_name"] == "hourly"
    assert run.status is RunStatus.QUEUED
    assert len(hourly.locations.evaluations) == 1


def test_missed_ticks_are_caught_up_to_the_limit() -> None:
    hourly = ScheduleDefinition(
        name="hourly", cron_schedule="0 * * * *", job=the_job, default_status=DefaultScheduleStatus.RUNNING
    )
    h = Harness(Definitions(schedules=[hourly]), ts(2026, 3, 1, 10, 30), max_catchup_ticks=3)
    h.tick()
    h.tick(ts(2026, 3, 1, 18, 30))  # down for 8 hours: 8 ticks missed, the latest 3 evaluated
    assert [t.timestamp for t in h.ticks("hourly")] == [ts(2026, 3, 1, hour) for hour in (16, 17, 18)]
    assert len(h.runs()) == 3
    h.tick(ts(2026, 3, 1, 19, 0))
    assert len(h.ticks("hourly")) == 4


@pytest.mark.parametrize(
    ("cron", "day", "expected"),
    [
        # spring forward (2:00 -> 3:00): 2:30 does not exist; it fires at 3:00
        ("30 2 * * *", (2026, 3, 8), [(2026, 3, 7, 2, 30), (2026, 3, 8, 3, 0), (2026, 3, 9, 2, 30)]),
        # fall back (2:00 -> 1:00): 1:30 happens twice; it fires once, at the later one
        ("30 1 * * *", (2026, 11, 1), [(2026, 10, 31, 1, 30), None, (2026, 11, 2, 1, 30)]),
    ],
)
def test_dst_days_in_new_york(cron: str, day: tuple[int, int, int], expected: list[Any]) -> None:
    sched = ScheduleDefinition(
        name="nightly",
        cron_schedule=cron,
        job=the_job,
        execution_timezone="America/New_York",
        default_status=DefaultScheduleStatus.RUNNING,
    )
    y, m, d = day
    start = ts(y, m, d, 0, 0) - 86400
    h = Harness(Definitions(schedules=[sched]), start)
    h.tick()
    for hours in range(0, 72):  # tick every hour for three days
        h.tick(start + hours * 3600 + 60)
    got = [t.timestamp for t in h.ticks("nightly")]
    assert len(got) == 3
    assert got[0] == ts(*expected[0])
    if expected[1] is not None:
        assert got[1] == ts(*expected[1])
    else:  # the later 1:30 (EST, UTC-5)
        assert got[1] == datetime(2026, 11, 1, 6, 30, tzinfo=ZoneInfo("UTC")).timestamp()
    assert got[2] == ts(*expected[2])


def test_hourly_schedule_on_fall_back_day_fires_twice_at_the_repeated_hour() -> None:
    sched = ScheduleDefinition(
        name="hourly",
        cron_schedule="0 * * * *",
        job=the_job,
        execution_timezone="America/New_York",
        default_status=DefaultScheduleStatus.RUNNING,
    )
    h = Harness(Definitions(schedules=[sched]), ts(2026, 11, 1, 0, 30))
    h.tick()
    for minutes in range(0, 5 * 60, 10):
        h.tick(ts(2026, 11, 1, 0, 30) + minutes * 60)
    local = [datetime.fromtimestamp(t.timestamp, NY).strftime("%H:%M%z") for t in h.ticks("hourly")]
    assert local == ["01:00-0400", "01:00-0500", "02:00-0500", "03:00-0500", "04:00-0500"]


def test_skip_reason_and_scheduled_time_reach_the_function() -> None:
    seen: list[datetime] = []

    @schedule(
        "0 0 * * *",
        job=the_job,
        execution_timezone="America/New_York",
        default_status=DefaultScheduleStatus.RUNNING,
    )
    def nightly(context: Any) -> Any:
        seen.append(context.scheduled_execution_time)
        if context.scheduled_execution_time.weekday() >= 5:
            return SkipReason("weekend")
        return RunRequest(run_key=None, tags={"day": context.scheduled_execution_time.strftime("%a")})

    h = Harness(Definitions(schedules=[nightly]), ts(2026, 3, 5, 12))  # a Thursday
    h.tick()
    h.tick(ts(2026, 3, 6, 0, 1))  # Friday: a run
    h.tick(ts(2026, 3, 7, 0, 1))  # Saturday: skipped
    statuses = [(t.status, t.skip_reason) for t in h.ticks("nightly")]
    assert statuses == [(TickStatus.SUCCESS, None), (TickStatus.SKIPPED, "weekend")]
    assert seen[0] == datetime(2026, 3, 6, tzinfo=NY) and seen[0].tzinfo == NY
    assert h.runs()[0].tags["day"] == "Fri"


def test_a_schedule_that_raises_fails_its_tick_with_the_traceback() -> None:
    @schedule("0 * * * *", job=the_job, default_status=DefaultScheduleStatus.RUNNING)
    def broken(context: Any) -> Any:
        raise ValueError("no data for this hour")

    h = Harness(Definitions(schedules=[broken]), ts(2026, 3, 5, 12, 30))
    h.tick()
    h.tick(ts(2026, 3, 5, 13, 1))
    (tick,) = h.ticks("broken")
    assert tick.status is TickStatus.FAILURE
    assert tick.error is not None and "no data for this hour" in tick.error.message
    assert tick.error.traceback is not None and "def broken" not in tick.error.message
    assert "ValueError" in tick.error.traceback
    assert h.runs() == []


def test_a_stopped_schedule_does_not_tick_and_restarts_from_now(hourly: Harness) -> None:
    from headwater.storage.instigators import InstigatorStatus, InstigatorType, set_status

    store = hourly.storage.instigators
    hourly.tick()
    set_status(store, "loc", "hourly", InstigatorType.SCHEDULE, InstigatorStatus.STOPPED, hourly.clock())
    hourly.tick(ts(2026, 3, 1, 15, 30))
    assert hourly.ticks("hourly") == []
    set_status(store, "loc", "hourly", InstigatorType.SCHEDULE, InstigatorStatus.RUNNING, hourly.clock())
    hourly.tick(ts(2026, 3, 1, 16, 0, 1))  # no catch-up of the hours it was stopped
    assert [t.timestamp for t in hourly.ticks("hourly")] == [ts(2026, 3, 1, 16)]


def test_default_stopped_schedule_needs_a_start() -> None:
    sched = ScheduleDefinition(name="off", cron_schedule="0 * * * *", job=the_job)
    h = Harness(Definitions(schedules=[sched]), ts(2026, 3, 1, 10, 30))
    h.tick(ts(2026, 3, 1, 12, 30))
    assert h.ticks("off") == []


def test_crash_between_recording_and_launching_launches_once(hourly: Harness, monkeypatch: Any) -> None:
    import headwater.daemon.scheduler_tick as scheduler_tick

    hourly.tick()
    real = scheduler_tick.launch_all

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt("the daemon died")

    monkeypatch.setattr(scheduler_tick, "launch_all", crash)
    with pytest.raises(KeyboardInterrupt):
        hourly.tick(ts(2026, 3, 1, 11, 0, 5))
    (tick,) = hourly.ticks("hourly")
    assert tick.status is TickStatus.STARTED and tick.tick_data.evaluated and len(tick.tick_data.planned) == 1
    assert hourly.runs() == []
    monkeypatch.setattr(scheduler_tick, "launch_all", real)
    hourly.tick(ts(2026, 3, 1, 11, 0, 40))  # the restarted daemon finishes the tick
    (tick,) = hourly.ticks("hourly")
    assert tick.status is TickStatus.SUCCESS
    assert len(hourly.runs()) == 1 and hourly.runs()[0].run_id == tick.tick_data.planned[0].run_id
    assert len(hourly.locations.evaluations) == 1  # not evaluated again


def test_crash_after_creating_the_run_submits_it_once(hourly: Harness, monkeypatch: Any) -> None:
    hourly.tick()
    submit = hourly.scheduler.submit

    def crash(runs: Sequence[Run]) -> None:
        raise KeyboardInterrupt("died after creating the run")

    hourly.scheduler.submit = crash
    with pytest.raises(KeyboardInterrupt):
        hourly.tick(ts(2026, 3, 1, 11, 0, 5))
    assert [r.status for r in hourly.runs()] == [RunStatus.NOT_STARTED]
    hourly.scheduler.submit = submit
    hourly.tick(ts(2026, 3, 1, 11, 0, 40))
    hourly.tick(ts(2026, 3, 1, 11, 0, 50))
    assert [r.status for r in hourly.runs()] == [RunStatus.QUEUED]
    assert len(hourly.submitted) == 1


def test_cron_lists_and_asset_targets() -> None:
    from headwater.definitions.asset_decorators import asset

    @asset
    def table() -> int:
        return 1

    sched = ScheduleDefinition(
        name="twice",
        cron_schedule=["0 9 * * *", "0 17 * * *"],
        target=[table],
        default_status=DefaultScheduleStatus.RUNNING,
    )
    h = Harness(Definitions(assets=[table], schedules=[sched]), ts(2026, 3, 2, 0, 0, tz=ZoneInfo("UTC")))
    h.tick()
    h.tick(ts(2026, 3, 2, 23, 0, tz=ZoneInfo("UTC")))
    assert len(h.ticks("twice")) == 2
    runs = h.runs()
    assert [sorted(k.to_user_string() for k in r.asset_selection or ()) for r in runs] == [
        ["table"],
        ["table"],
    ]
