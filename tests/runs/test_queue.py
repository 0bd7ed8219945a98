"""The queued run coordinator: max_concurrent_runs, tag limits, priority, oldest first -- one tick at
a time with a fake clock, then end to end with real workers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.runs.queue import dequeue_tick
from headwater.runs.run_events import emit_run_event
from headwater.runs.settings import RunsConfigError, RunsSettings, TagConcurrencyLimit
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run

from .conftest import Home, wait_for


class FakeLauncher:
    """Moves a run to STARTING (so it counts as in progress) and records the order."""

    def __init__(self) -> None:
        self.launched: list[str] = []

    def launch_run(self, storage: Storage, run: Run) -> Run:
        emit_run_event(storage, run, EventType.RUN_STARTING, "fake launch")
        self.launched.append(run.run_id)
        return run


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def instance() -> Iterator[Instance]:
    with Instance.ephemeral() as inst:
        inst.configure_runs(coordinator=QueuedRunCoordinator())
        yield inst


def _queue(instance: Instance, name: str, **tags: str) -> str:
    run = instance.create_run(job_name="job", run_id=name, tags=tags)
    assert instance.submit_run(run.run_id).status is RunStatus.QUEUED
    return run.run_id


def _finish(instance: Instance, run_id: str) -> None:
    run = instance.get_run_by_id(run_id)
    assert run is not None
    emit_run_event(instance.storage, run, EventType.RUN_START, "start")
    emit_run_event(instance.storage, run, EventType.RUN_SUCCESS, "done")


def test_max_concurrent_runs_oldest_first(instance: Instance) -> None:
    clock, launcher = FakeClock(), FakeLauncher()
    settings = RunsSettings(coordinator="queued", max_concurrent_runs=2)
    for name in ("a", "b", "c", "d"):
        _queue(instance, name)
    result = dequeue_tick(instance.storage, clock(), settings=settings, launcher=launcher)
    assert result.launched == ("a", "b") and result.queued_left == 2
    assert dequeue_tick(instance.storage, clock(), settings=settings, launcher=launcher).launched == ()
    _finish(instance, "a")
    assert dequeue_tick(instance.storage, clock(), settings=settings, launcher=launcher).launched == ("c",)
    assert launcher.launched == ["a", "b", "c"]
    assert instance.get_run_by_id("d").status is RunStatus.QUEUED  # type: ignore[union-attr]


def test_priority_tag_goes_first(instance: Instance) -> None:
    clock, launcher = FakeClock(), FakeLauncher()
    settings = RunsSettings(coordinator="queued", max_concurrent_runs=2)
    _queue(instance, "low", **{"dagster/priority": "-1"})
    _queue(instance, "plain")
    _queue(instance, "high", **{"dagster/priority": "5"})
    assert dequeue_tick(instance.storage, clock(), settings=settings, launcher=launcher).launched == (
        "high",
        "plain",
    )


def test_tag_limits_value_key_and_per_unique_value(instance: Instance) -> None:
    clock, launcher = FakeClock(), FakeLauncher()
    settings = RunsSettings(
        coordinator="queued",
        tag_concurrency_limits=(
            TagConcurrencyLimit("db", 1, value="redshift"),
            TagConcurrencyLimit("heavy", 1),
            TagConcurrencyLimit("team", 1, per_unique_value=True),
        ),
    )
    _queue(instance, "rs1", db="redshift")
    _queue(instance, "rs2", db="redshift")  # held: redshift limit 1
    _queue(instance, "pg", db="postgres")  # not covered by the redshift limit
    _queue(instance, "heavy1", heavy="x")
    _queue(instance, "heavy2", heavy="y")  # held: any value of `heavy` counts
    _queue(instance, "team-a1", team="a")
    _queue(instance, "team-a2", team="a")  # held: one per team value
    _queue(instance, "team-b", team="b")
    launched = dequeue_tick(instance.storage, clock(), settings=settings, launcher=launcher).launched
    assert launched == ("rs1", "pg", "heavy1", "team-a1", "team-b")
    _finish(instance, "rs1")
    _finish(instance, "team-a1")
    assert dequeue_tick(instance.storage, clock(), settings=settings, launcher=launcher).launched == (
        "rs2",
        "team-a2",
    )


def test_the_queue_survives_a_restart(home: Home) -> None:
    home.write_config({"run_coordinator": {"queued": {"max_concurrent_runs": 1}}})
    with home.instance() as first:
        for name in ("x", "y"):
            _queue(first, name)
    with home.instance() as second:  # a new process would see the same
        assert [r.run_id for r in second.get_runs()] == ["y", "x"]
        assert {r.status for r in second.get_runs()} == {RunStatus.QUEUED}
        assert isinstance(second.run_coordinator, QueuedRunCoordinator)
        assert second.runs_settings.max_concurrent_runs == 1


def test_run_coordinator_config_is_validated(home: Home) -> None:
    with pytest.raises(RunsConfigError, match="Did you mean 'queued'"):
        RunsSettings.from_config({"run_coordinator": {"queud": {}}})
    with pytest.raises(RunsConfigError, match="limit must be a non-negative integer"):
        RunsSettings.from_config(
            {"run_coordinator": {"queued": {"tag_concurrency_limits": [{"key": "a", "limit": "x"}]}}}
        )
    dagster_style = RunsSettings.from_config(
        {
            "run_coordinator": {
                "module": "dagster.core.run_coordinator",
                "class": "QueuedRunCoordinator",
                "config": {
                    "max_concurrent_runs": 3,
                    "tag_concurrency_limits": [
                        {"key": "t", "value": {"applyLimitPerUniqueValue": True}, "limit": 2}
                    ],
                },
            }
        }
    )
    assert dagster_style.coordinator == "queued" and dagster_style.max_concurrent_runs == 3
    assert dagster_style.tag_concurrency_limits == (TagConcurrencyLimit("t", 2, None, True),)
    home.write_config({"run_monitoring": {"heartbeat_interval": 1}})
    with pytest.raises(RunsConfigError, match="heartbeat_interval_seconds"):
        Instance.get()


def test_queued_end_to_end_with_real_workers(home: Home) -> None:
    home.write_config(
        {
            "run_coordinator": {
                "queued": {
                    "max_concurrent_runs": 2,
                    "tag_concurrency_limits": [{"key": "lane", "value": "one", "limit": 1}],
                }
            }
        }
    )
    a = home.launch("quick", "--tags", '{"lane": "one"}')
    b = home.launch("quick", "--tags", '{"lane": "one"}')
    c = home.launch("quick")
    assert {home.run(r).status for r in (a, b, c)} == {RunStatus.QUEUED}
    out = home.cli("run", "dequeue", "--once").stdout
    assert "launched 2" in out and "still queued 1" in out
    for run_id in (a, c):
        assert home.wait_for_run(run_id).status is RunStatus.SUCCESS, home.log(run_id)
    assert home.run(b).status is RunStatus.QUEUED
    home.cli("run", "dequeue", "--once")
    assert home.wait_for_run(b).status is RunStatus.SUCCESS
    wait_for(lambda: len(list(home.side.glob("stamp-*"))) == 3, 10, "three stamps")


def test_the_lifecycle_takes_stores_not_an_instance() -> None:
    """What the daemon will do: a storage, a launcher, settings and a clock, no Instance."""
    from headwater.storage.sql import SqlStorage
    from headwater.testing import FakeClock as Clock

    clock = Clock(5000.0)
    storage = SqlStorage.in_memory(clock=clock)
    launcher = FakeLauncher()
    try:
        run = storage.run_store.add_run(Run("job", run_id="r"))
        assert QueuedRunCoordinator().submit_run(storage, launcher, run).status is RunStatus.QUEUED
        clock.advance(10)
        settings = RunsSettings(coordinator="queued")
        assert dequeue_tick(storage, clock(), settings=settings, launcher=launcher).launched == ("r",)
        logs = storage.event_store.get_logs_for_run("r")
        assert [(e.dagster_event_type, e.timestamp) for e in logs] == [
            (EventType.RUN_ENQUEUED, 5000.0),
            (EventType.RUN_DEQUEUED, 5010.0),
            (EventType.RUN_STARTING, 5010.0),
        ]
    finally:
        storage.dispose()
