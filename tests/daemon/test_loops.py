"""The run queue and run monitoring loops, and which loops an instance runs -- driven through the
generic runner with a fake clock."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from headwater.daemon.loop import DaemonRunner, LeaderFence
from headwater.daemon.loops import LOOP_FACTORIES, DaemonContext, build_loops, build_runner
from headwater.daemon.monitor_loop import RunMonitoringLoop
from headwater.daemon.run_queue_loop import RunQueueLoop
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.runs.coordinator import QueuedRunCoordinator
from headwater.runs.run_events import emit_run_event
from headwater.runs.tags import MAX_RETRIES_TAG, WILL_RETRY_TAG
from headwater.storage.protocols import Storage
from headwater.storage.run_workers import WorkerHeartbeat
from headwater.storage.runs import Run
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

T0 = 1_700_000_000.0


class RecordingLauncher:
    """Moves a run to STARTING (so it counts as in progress) and records the order."""

    def __init__(self) -> None:
        self.launched: list[str] = []

    def launch_run(self, storage: Storage, run: Run) -> Run:
        emit_run_event(storage, run, EventType.RUN_STARTING, "launched by the test")
        self.launched.append(run.run_id)
        return run


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def instance(clock: FakeClock) -> Iterator[Instance]:
    with Instance(SqlStorage.in_memory(clock=clock)) as inst:
        yield inst


def _context(instance: Instance, daemon_id: str = "d") -> DaemonContext:
    return DaemonContext(instance, LeaderFence(instance.storage, daemon_id, instance.storage.clock))


def _queue(instance: Instance, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        run = instance.create_run(job_name="job")
        assert instance.submit_run(run.run_id).status is RunStatus.QUEUED
        ids.append(run.run_id)
    return ids


ALWAYS = ["scheduler", "sensors", "backfills", "automation", "auto_observe"]


@pytest.mark.parametrize(
    ("config", "names"),
    [
        ({}, ["run_monitoring", *ALWAYS]),
        ({"run_coordinator": {"queued": {}}}, ["run_queue", "run_monitoring", *ALWAYS]),
        ({"run_coordinator": {"queued": {}}, "run_monitoring": {"enabled": False}}, ["run_queue", *ALWAYS]),
    ],
)
def test_the_instance_says_which_loops_run(
    instance: Instance, config: dict[str, object], names: list[str]
) -> None:
    instance.configure_runs(config)
    assert instance.get_required_daemon_types() == names
    assert [loop.name for loop in build_loops(_context(instance))] == names


def test_every_required_loop_has_a_factory_and_only_filters(instance: Instance) -> None:
    instance.configure_runs({"run_coordinator": {"queued": {"dequeue_interval_seconds": 0.5}}})
    assert set(instance.get_required_daemon_types()) <= {name for name, _ in LOOP_FACTORIES}
    [loop] = build_loops(_context(instance), ["run_queue"])
    assert isinstance(loop, RunQueueLoop) and loop.interval_seconds == 0.5
    with pytest.raises(ValueError, match=r"Unknown daemon loop.*schedulr.*run_queue, run_monitoring"):
        build_loops(_context(instance), ["schedulr"])


def test_run_queue_loop_under_limits_and_only_on_the_leader(instance: Instance, clock: FakeClock) -> None:
    instance.configure_runs(coordinator=QueuedRunCoordinator(max_concurrent_runs=2))
    runs = _queue(instance, 3)
    launcher = RecordingLauncher()

    def runner(daemon_id: str) -> DaemonRunner:
        context = _context(instance, daemon_id)
        loop = RunQueueLoop(
            instance.storage, instance.runs_settings, launcher, still_leader=context.still_leader("run_queue")
        )
        return DaemonRunner([loop], instance.storage, fence=context.fence)

    leader, standby = runner("leader"), runner("standby")
    leader.run_once(clock())
    standby.run_once(clock())
    assert launcher.launched == runs[:2]  # max_concurrent_runs=2, oldest first; the standby did nothing
    clock.advance(2)
    standby.run_once(clock())
    leader.run_once(clock())
    assert launcher.launched == runs[:2]  # still two in progress
    run = instance.get_run_by_id(runs[0])
    assert run is not None
    emit_run_event(instance.storage, run, EventType.RUN_START, "start")
    emit_run_event(instance.storage, run, EventType.RUN_SUCCESS, "done")
    clock.advance(2)
    leader.run_once(clock())
    assert launcher.launched == runs


def test_a_run_queue_tick_that_lost_its_lease_dequeues_nothing(instance: Instance) -> None:
    instance.configure_runs(coordinator=QueuedRunCoordinator())
    [run_id] = _queue(instance, 1)
    launcher = RecordingLauncher()
    loop = RunQueueLoop(instance.storage, instance.runs_settings, launcher, still_leader=lambda: False)
    loop.tick(T0)
    assert launcher.launched == []
    run = instance.get_run_by_id(run_id)
    assert run is not None and run.status is RunStatus.QUEUED


def test_run_monitoring_loop_fails_a_silent_run_and_runs_retries(
    instance: Instance, clock: FakeClock
) -> None:
    instance.configure_runs(
        {"run_monitoring": {"heartbeat_timeout_seconds": 60, "poll_interval_seconds": 10}}
    )
    run = instance.create_run(job_name="job", tags={MAX_RETRIES_TAG: "0"})
    emit_run_event(instance.storage, run, EventType.RUN_STARTING, "starting")
    emit_run_event(instance.storage, run, EventType.RUN_START, "started")
    instance.storage.run_workers.heartbeat(WorkerHeartbeat(run.run_id, os.getpid(), socket.gethostname(), T0))
    runner = build_runner(_context(instance), ["run_monitoring"])
    [state] = runner.states.values()
    assert isinstance(state.loop, RunMonitoringLoop) and state.loop.interval_seconds == 10
    runner.run_once(clock())
    assert instance.get_run_by_id(run.run_id).status is RunStatus.STARTED  # type: ignore[union-attr]
    clock.advance(61)
    runner.run_once(clock())
    failed = instance.get_run_by_id(run.run_id)
    assert failed is not None and failed.status is RunStatus.FAILURE
    assert failed.tags[WILL_RETRY_TAG] == "false"  # retry_tick ran too: no retries left
    beat = instance.get_daemon_heartbeats()["run_monitoring"]
    assert beat.consecutive_failures == 0 and beat.timestamp == T0 + 61
