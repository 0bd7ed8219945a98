"""``headwater step-worker``: the step-worker entry point as a command (a container per step). The same
task given twice runs once: the second time it is answered from the store; a malformed task is
refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from tests.contracts.executors import _jobs
from tests.contracts.executors.distributed import ROOT, shared_home  # noqa: F401

from headwater.definitions.reconstructable import ReconstructableJob
from headwater.events.event_type import EventType
from headwater.executors.job_execution import execute_job
from headwater.executors.step_task import JobPointer, StepTask, encode_task
from headwater.instance import Instance
from headwater.planning.plan import build_plan
from headwater.runs.snapshots import store_plan

LONG_TIMEOUT = 300


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    """This module's tests start brokers' workers, webservers and run workers: a longer bound than the
    directory's 60 s (a loaded machine takes minutes), still a bound."""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"test took more than {LONG_TIMEOUT}s (hung run?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(LONG_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", "step-worker", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_task_given_twice_runs_once(shared_home: Path) -> None:  # noqa: F811
    job = _jobs.JOBS["in_process"]["values"]
    instance = Instance.get()
    try:
        target = ReconstructableJob("tests.contracts.executors._jobs", "defs", job.name)
        result = execute_job(target, instance=instance)
        assert result.success
        plan_id = store_plan(instance.run_storage, build_plan(job.spec))
        before = len(instance.all_logs(result.run_id))
        pointer = JobPointer.of(job, "test")
        task = StepTask(result.run_id, "one", "one", plan_snapshot_id=plan_id, code=pointer)
        first = _cli("-", stdin=encode_task(task))
        assert first.returncode == 0, first.stderr
        ran = instance.all_logs(result.run_id)
        assert len(ran) > before  # the step ran (again: the in-process run had run it, unclaimed)
        second = _cli("-", stdin=encode_task(task))
        assert second.returncode == 0, second.stderr
        answer = json.loads(second.stdout)
        assert answer["success"] is True and answer["outputs"] == ["result"]
        assert len(instance.all_logs(result.run_id)) == len(ran)  # not run again, nothing written
        starts = [
            e for e in ran if e.step_key == "one" and e.dagster_event.event_type is EventType.STEP_START
        ]
        assert len(starts) == 2
    finally:
        instance.dispose()


def test_a_malformed_task_is_refused() -> None:
    done = _cli('{"run_id": 3}')
    assert done.returncode == 2
    assert "not a step task" in done.stderr
