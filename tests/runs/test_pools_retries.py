"""Runs out of process with instance pools and automatic retries, end to end through the CLI."""

from __future__ import annotations

import itertools
import os
import signal
from pathlib import Path

from headwater.events.run_status import RunStatus
from headwater.runs.processes import worker_pid
from headwater.runs.tags import AUTO_RETRY_RUN_ID_TAG, RETRY_NUMBER_TAG, WILL_RETRY_TAG

from .conftest import Home, wait_for

CODE = str(Path(__file__).with_name("pools_code.py"))


def _launch(home: Home, job: str) -> str:
    return home.cli("job", "launch", "-f", CODE, "-j", job).stdout.strip().splitlines()[0]


def _spans(home: Home) -> list[tuple[float, float]]:
    out = []
    for path in home.side.glob("span-*"):
        start, end = path.read_text().split()
        out.append((float(start), float(end)))
    return sorted(out)


def test_two_runs_sharing_a_pool_of_one_never_overlap(home: Home) -> None:
    assert (
        "Set concurrency limit for db to 1." in home.cli("instance", "concurrency", "set", "db", "1").stdout
    )
    first, second = _launch(home, "pooled"), _launch(home, "pooled")
    assert home.wait_for_run(first).status is RunStatus.SUCCESS, home.log(first)
    assert home.wait_for_run(second).status is RunStatus.SUCCESS, home.log(second)
    spans = _spans(home)
    assert len(spans) == 4  # two runs x two ops of pool "db", each run with a multiprocess executor
    for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
        assert e1 <= s2, f"pool db (limit 1) ran two steps at once: {spans}"
    info = home.cli("instance", "concurrency", "info", "db").stdout
    assert '"db": 0 / 1 slots occupied, 0 step(s) pending' in info


def test_a_sigkilled_runs_slot_is_freed_by_the_monitor_and_the_run_retried(home: Home) -> None:
    home.cli("instance", "concurrency", "set", "db", "1")
    (home.side / "hold").write_text("")
    run_id = _launch(home, "holder")
    wait_for(lambda: list(home.side.glob("holding-*")), 30, "the op to hold its slot")
    info = home.cli("instance", "concurrency", "info", "db").stdout
    assert '"db": 1 / 1 slots occupied' in info and run_id in info
    pid = worker_pid(home.run(run_id).tags)
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or _zombie(pid), 10, "the worker to die")
    (home.side / "hold").unlink()
    out = home.cli("run", "monitor", "--once").stdout
    assert "1 lost" in out and "retried 1 failed run(s)" in out, out
    failed = home.run(run_id)
    assert failed.status is RunStatus.FAILURE and failed.tags[WILL_RETRY_TAG] == "true"
    assert "0 / 1 slots occupied" in home.cli("instance", "concurrency", "info", "db").stdout
    child = home.wait_for_run(failed.tags[AUTO_RETRY_RUN_ID_TAG])
    assert child.status is RunStatus.SUCCESS, home.log(child.run_id)
    assert child.tags[RETRY_NUMBER_TAG] == "1" and child.parent_run_id == run_id


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_a_failed_run_is_retried_from_failure_and_reuses_upstream_outputs(home: Home) -> None:
    run_id = _launch(home, "retried")
    assert home.wait_for_run(run_id).status is RunStatus.FAILURE
    out = home.cli("run", "retry", "--once").stdout
    assert "retried 1 failed run(s)" in out
    child_id = home.run(run_id).tags[AUTO_RETRY_RUN_ID_TAG]
    assert child_id in out
    child = home.wait_for_run(child_id)
    assert child.status is RunStatus.SUCCESS, home.log(child_id)
    assert child.tags[RETRY_NUMBER_TAG] == "1"
    assert child.parent_run_id == run_id and child.root_run_id == run_id
    assert child.step_keys_to_execute == ("fails_once",)
    assert (home.side / "upstream.count").read_text().count("x") == 1  # loaded from the first run
    assert (home.side / "result").read_text() == "42"
    # Never twice for the same failed run; a successful retry is not retried.
    assert "retried 0 failed run(s)" in home.cli("run", "retry", "--once").stdout


def test_retries_stop_at_max_retries(home: Home) -> None:
    run_id = _launch(home, "hopeless")
    runs = [run_id]
    for _ in range(2):
        assert home.wait_for_run(runs[-1]).status is RunStatus.FAILURE
        home.cli("run", "retry", "--once")
        runs.append(home.run(runs[-1]).tags[AUTO_RETRY_RUN_ID_TAG])
    last = home.wait_for_run(runs[-1])
    assert last.status is RunStatus.FAILURE and last.tags[RETRY_NUMBER_TAG] == "2"
    out = home.cli("run", "retry", "--once").stdout
    assert "retried 0 failed run(s)" in out and "not retried" in out
    assert home.run(runs[-1]).tags[WILL_RETRY_TAG] == "false"
    assert (home.side / "always.count").read_text().count("x") == 3
    assert home.run(runs[1]).root_run_id == run_id and home.run(runs[2]).parent_run_id == runs[1]
