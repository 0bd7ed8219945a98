"""``headwater daemon run`` as real processes: the run queue drains, SIGTERM stops cleanly and hands
the loops over at once, monitoring fails a run whose worker was killed and retries it, and -- on
PostgreSQL and MySQL -- two replicas elect one leader per loop, a killed leader's loops move to the
other within one lease period, and a stalled leader cannot act."""

from __future__ import annotations

import json
import os
import signal
import time

from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.runs.processes import worker_pid
from headwater.runs.tags import AUTO_RETRY_RUN_ID_TAG, MAX_RETRIES_TAG
from headwater.storage.daemon import Lease

from .conftest import DaemonHome, wait_for

LEASE = 2.0


def _leases(home: DaemonHome) -> dict[str, Lease]:
    with home.instance() as instance:
        return {lease.name: lease for lease in instance.storage.leases.get_leases()}


def _holder(home: DaemonHome, loop: str) -> str | None:
    lease = _leases(home).get(loop)
    return lease.holder if lease is not None and lease.expires_at > time.time() else None


def _all_succeeded(home: DaemonHome, run_ids: list[str]) -> bool:
    with home.instance() as instance:
        runs = [instance.get_run_by_id(r) for r in run_ids]
    failed = [r for r in runs if r is not None and r.is_finished and not r.is_success]
    assert not failed, [(r.run_id, r.status) for r in failed]
    return all(r is not None and r.status is RunStatus.SUCCESS for r in runs)


def _dequeue_counts(home: DaemonHome, run_ids: list[str]) -> dict[str, int]:
    with home.instance() as instance:
        return {
            r: len(instance.event_log_storage.get_logs_for_run(r, of_type=EventType.RUN_DEQUEUED))
            for r in run_ids
        }


def test_daemon_drains_the_queue_reports_status_and_stops_on_sigterm(sqlite_home: DaemonHome) -> None:
    home = sqlite_home
    assert home.cli("daemon", "status").returncode == 1  # no daemon yet: unhealthy
    daemon = home.start_daemon("solo", "--lease-seconds", str(LEASE))
    runs = home.queue_runs(3)
    wait_for(lambda: _all_succeeded(home, runs), 60, "the queued runs to succeed")
    assert set(_dequeue_counts(home, runs).values()) == {1}
    status = home.cli("daemon", "status", "--json")
    assert status.returncode == 0, status.stdout + status.stderr
    rows = {row["loop"]: row for row in json.loads(status.stdout)}
    assert set(rows) == {
        "run_queue",
        "run_monitoring",
        "scheduler",
        "sensors",
        "backfills",
        "automation",
        "auto_observe",
    }
    assert rows["run_queue"]["leader"] == "solo" and rows["run_queue"]["healthy"]
    assert home.cli("daemon", "liveness-check").returncode == 0
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(15) == 0
    assert "SIGTERM received, stopping" in home.daemon_log("solo")
    assert _holder(home, "run_queue") is None  # released: a replica takes over at once


def test_monitoring_fails_a_run_whose_worker_was_killed_and_retries_it(sqlite_home: DaemonHome) -> None:
    home = sqlite_home
    home.write_config(
        {
            "run_coordinator": {"queued": {"dequeue_interval_seconds": 0.2}},
            "run_monitoring": {"poll_interval_seconds": 0.2, "heartbeat_timeout_seconds": 30},
        }
    )
    home.start_daemon("monitor", "--lease-seconds", str(LEASE))
    [run_id] = home.queue_runs(1, "sleepy", tags={MAX_RETRIES_TAG: "1"})

    def started_pid() -> int | None:
        with home.instance() as instance:
            run = instance.get_run_by_id(run_id)
        return worker_pid(run.tags) if run is not None and run.status is RunStatus.STARTED else None

    pid = wait_for(started_pid, 60, "the run to start")
    os.killpg(pid, signal.SIGKILL)  # the worker and its step process die without a word

    def retried() -> str | None:
        with home.instance() as instance:
            run = instance.get_run_by_id(run_id)
        assert run is not None
        return run.tags.get(AUTO_RETRY_RUN_ID_TAG) if run.status is RunStatus.FAILURE else None

    child_id = wait_for(retried, 30, "the monitoring loop to fail the run and retry it")
    with home.instance() as instance:
        failure = instance.all_logs(run_id, of_type=EventType.RUN_FAILURE)[-1]
    assert f"run worker pid {pid} exited without finishing the run" in failure.user_message

    def child_launched() -> bool:
        with home.instance() as instance:
            child = instance.get_run_by_id(child_id)
        return child is not None and child.status in (RunStatus.STARTING, RunStatus.STARTED)

    wait_for(child_launched, 60, "the retry to be queued and launched by the run queue loop")
    assert _dequeue_counts(home, [child_id]) == {child_id: 1}


#: The loops whose failover the replica test watches (the others would only add threads under load).
QUEUE_LOOPS = ("--loop", "run_queue", "--loop", "run_monitoring")


def test_replicas_fail_over_without_dequeuing_twice(server_home: DaemonHome) -> None:
    home = server_home
    a = home.start_daemon("a", "--lease-seconds", str(LEASE), *QUEUE_LOOPS)
    wait_for(
        lambda: _holder(home, "run_queue") == "a" and _holder(home, "run_monitoring") == "a", 60, "a to lead"
    )
    b = home.start_daemon("b", "--lease-seconds", str(LEASE), *QUEUE_LOOPS)
    wait_for(lambda: "headwater daemon b: loops" in home.daemon_log("b"), 60, "b to start")
    first = home.queue_runs(3)
    wait_for(lambda: _all_succeeded(home, first), 60, "the first runs")
    assert _holder(home, "run_queue") == "a"  # b stood by

    # kill -9 the leader: b takes its loops over once a's lease expires
    os.kill(a.pid, signal.SIGKILL)
    killed = time.monotonic()
    second = home.queue_runs(3)
    wait_for(lambda: _holder(home, "run_queue") == "b", 30, "b to take the run queue over")
    failover = time.monotonic() - killed
    wait_for(lambda: _holder(home, "run_monitoring") == "b", 30, "b to take run monitoring over")
    wait_for(lambda: _all_succeeded(home, second), 60, "the runs queued after the failover")
    assert failover < LEASE + LEASE / 5 + 2.0, f"failover took {failover:.2f} s"
    leases = _leases(home)
    assert leases["run_queue"].token == 2 and leases["run_monitoring"].token == 2

    # a stalled leader (SIGSTOP past its lease) wakes up to find it lost the loops, and does not act
    c = home.start_daemon("c", "--lease-seconds", str(LEASE), *QUEUE_LOOPS)
    wait_for(lambda: "headwater daemon c: loops" in home.daemon_log("c"), 60, "c to start")
    os.kill(b.pid, signal.SIGSTOP)
    wait_for(lambda: _holder(home, "run_queue") == "c", 30, "c to take the run queue over")
    third = home.queue_runs(3)
    os.kill(b.pid, signal.SIGCONT)
    wait_for(lambda: _all_succeeded(home, third), 60, "the runs queued while b was stalled")
    wait_for(lambda: "lost the lease of loop 'run_queue'" in home.daemon_log("b"), 30, "b to notice")
    assert _holder(home, "run_queue") == "c"
    counts = _dequeue_counts(home, first + second + third)
    assert set(counts.values()) == {1}, counts
    status = json.loads(home.cli("daemon", "status", "--json").stdout)
    leaders = {row["loop"]: row["leader"] for row in status}
    assert (leaders["run_queue"], leaders["run_monitoring"]) == ("c", "c")
    c.send_signal(signal.SIGTERM)
    b.send_signal(signal.SIGTERM)
    assert (c.wait(15), b.wait(15)) == (0, 0)
    print(f"failover after kill -9: {failover:.2f} s (lease {LEASE} s)")
