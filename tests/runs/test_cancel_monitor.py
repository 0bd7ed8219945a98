"""Cancel (SIGTERM, then SIGKILL) and run monitoring (a worker that stopped heartbeating)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.runs.monitor import monitor_tick
from headwater.runs.processes import pid_alive, worker_pid
from headwater.runs.run_events import emit_run_event
from headwater.storage.run_workers import WorkerHeartbeat

from .conftest import Home, wait_for


def _sleeping_pids(home: Home) -> list[int]:
    return [int(p.name.split("-", 1)[1]) for p in home.side.glob("sleeping-*")]


@pytest.mark.parametrize("job", ["sleepy", "sleepy_mp"])
def test_cancel_stops_the_worker_and_its_step_workers(home: Home, job: str) -> None:
    run_id = home.launch(job)
    wait_for(lambda: _sleeping_pids(home), 20, "the op to start sleeping")
    [step_pid] = _sleeping_pids(home)
    pid = worker_pid(home.run(run_id).tags)
    assert pid is not None
    started = time.monotonic()
    out = home.cli("run", "cancel", run_id, "--grace-period", "10").stdout
    assert time.monotonic() - started < 10  # the worker stopped on SIGTERM, no SIGKILL needed
    assert "CANCELED" in out
    run = home.run(run_id)
    assert run.status is RunStatus.CANCELED
    wait_for(lambda: not pid_alive(pid) and not pid_alive(step_pid), 10, "worker and step worker to exit")
    with home.instance() as instance:
        canceled = instance.all_logs(run_id, of_type=EventType.RUN_CANCELED)
    assert "SIGTERM" in canceled[-1].user_message


def test_cancel_kills_a_worker_that_ignores_sigterm(home: Home, tmp_path: Path) -> None:
    run_id = home.launch("sleepy")
    wait_for(lambda: _sleeping_pids(home), 20, "the op to start sleeping")
    pid = worker_pid(home.run(run_id).tags)
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # a stopped process cannot act on SIGTERM: only SIGKILL ends it
    try:
        out = home.cli("run", "cancel", run_id, "--grace-period", "0.5").stdout
    finally:
        if pid_alive(pid):
            os.kill(pid, signal.SIGCONT)
    assert "CANCELED" in out
    assert not pid_alive(pid)
    with home.instance() as instance:
        canceled = instance.all_logs(run_id, of_type=EventType.RUN_CANCELED)
    assert "was killed" in canceled[-1].user_message


def test_a_queued_run_is_canceled_without_a_worker(home: Home) -> None:
    home.write_config({"run_coordinator": {"queued": {}}})
    run_id = home.launch("quick")
    home.cli("run", "cancel", run_id)
    assert home.run(run_id).status is RunStatus.CANCELED
    assert home.cli("run", "dequeue", "--once").stdout.startswith("launched 0")


def test_sigkilled_worker_is_failed_by_the_monitor(home: Home) -> None:
    home.write_config({"run_monitoring": {"heartbeat_interval_seconds": 0.2}})
    run_id = home.launch("sleepy")
    wait_for(lambda: _sleeping_pids(home), 20, "the op to start sleeping")
    pid = worker_pid(home.run(run_id).tags)
    assert pid is not None
    with home.instance() as instance:
        store = instance.storage.run_workers
        wait_for(lambda: run_id in store.get_heartbeats([run_id]), 10, "a heartbeat")
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not pid_alive(pid), 10, "the worker to die")
    time.sleep(0.6)
    out = home.cli("run", "monitor", "--once", "--timeout", "0.5").stdout
    assert "1 lost" in out
    run = home.run(run_id)
    assert run.status is RunStatus.FAILURE
    with home.instance() as instance:
        failure = instance.all_logs(run_id, of_type=EventType.RUN_FAILURE)[-1]
    assert f"run worker pid {pid} stopped heartbeating at" in failure.user_message


def test_monitor_tick_with_a_fake_clock() -> None:
    with Instance.ephemeral() as instance:
        store = instance.storage.run_workers
        fresh = instance.create_run(job_name="job", run_id="fresh")
        stale = instance.create_run(job_name="job", run_id="stale")
        for run in (fresh, stale):
            emit_run_event(instance.storage, run, EventType.RUN_STARTING, "starting")
            emit_run_event(instance.storage, run, EventType.RUN_START, "started")
        store.heartbeat(WorkerHeartbeat("fresh", 1, "elsewhere", 1000.0))
        store.heartbeat(WorkerHeartbeat("stale", 2, "elsewhere", 900.0))
        result = monitor_tick(instance.storage, now=1010.0, timeout=60)
        assert [run_id for run_id, _ in result.failed] == ["stale"]
        assert "run worker pid 2 stopped heartbeating at" in result.failed[0][1]
        assert instance.get_run_by_id("stale").status is RunStatus.FAILURE  # type: ignore[union-attr]
        assert instance.get_run_by_id("fresh").status is RunStatus.STARTED  # type: ignore[union-attr]
        assert monitor_tick(instance.storage, now=1050.0, timeout=60).failed == ()
        assert [r for r, _ in monitor_tick(instance.storage, now=1061.0, timeout=60).failed] == ["fresh"]
