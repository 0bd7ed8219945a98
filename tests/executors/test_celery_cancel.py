"""Canceling a launched run whose step runs on a Celery worker: the run worker (its own process)
revokes the task, the step's worker process is terminated, the run ends CANCELED, and nothing after
the step starts."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from tests.contracts.executors import _jobs
from tests.contracts.executors.distributed import ROOT, CeleryWorker, shared_home, wait_for  # noqa: F401

from headwater.events.event_type import EventType
from headwater.instance import Instance
from headwater.runs.cancel import cancel_run

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


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _type(entry: Any) -> Any:
    return entry.dagster_event.event_type if entry.dagster_event is not None else None


def test_cancel_revokes_the_running_step(shared_home: Path, tmp_path: Path) -> None:  # noqa: F811
    queue = f"cancel-{uuid.uuid4().hex[:8]}"
    source: dict[str, Any] = {**_jobs.REDIS_SOURCE, "task_default_queue": queue}
    worker = CeleryWorker(_jobs.REDIS_URL, _jobs.REDIS_URL, source, concurrency=1)
    marker = tmp_path / "marker"
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump({
        "ops": {"slow": {"config": {"seconds": 60.0, "marker": str(marker)}}},
        "execution": {"config": {"config_source": source}},
    }))  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    instance = Instance.get()
    try:
        launched = subprocess.run(
            [sys.executable, "-m", "headwater.cli.main", "job", "launch", "-m",
             "tests.contracts.executors._jobs", "-j", "slow_celery_redis", "-c", str(config)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        run_id = re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", launched.stdout)[-1]
        wait_for(marker.exists, 60, "the slow step to start on the worker")
        pid = int(marker.read_text())
        run = cancel_run(instance.storage, run_id, grace_period=30)
        wait_for(lambda: instance.get_run_by_id(run_id).is_finished, 30, "the run to end")
        assert instance.get_run_by_id(run_id).status.value == "CANCELED", run
        wait_for(lambda: not _alive(pid), 15, "the step's worker process to be terminated")
        logs = instance.all_logs(run_id)
        assert not [e for e in logs if _type(e) is EventType.STEP_SUCCESS]
        assert not [e for e in logs if e.step_key == "add_one"]
        assert any("revoked 1 step task" in e.message for e in logs)
    finally:
        worker.stop()
        instance.dispose()
