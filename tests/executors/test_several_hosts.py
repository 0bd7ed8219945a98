"""Several hosts, simulated on one machine: two webservers, two Celery workers and the launched run
worker, each its own process group, against one PostgreSQL store and a Redis broker. One Celery worker
is killed mid-run: the run still completes, truthfully (the lost attempt is recorded and retried
once), and both webservers serve the same state."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import pytest
import yaml
from tests.contracts.executors import _jobs
from tests.contracts.executors.distributed import ROOT, CeleryWorker, wait_for, write_home
from tests.contracts.storage.databases import postgres_url

from headwater.events.event_type import EventType
from headwater.instance import Instance

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


class Webserver:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "headwater.cli.main", "webserver", "--port", "0",
                 "-m", "tests.contracts.executors._jobs"],
                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            found = re.search(r"serving (http://\S+) ", log.read_text(errors="replace"))
            if found:
                self.url = found.group(1)
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"webserver did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)

    def run_status(self, run_id: str) -> Any:
        query = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status jobName } } }"
        with httpx.Client(base_url=self.url, timeout=30) as client:
            body = client.post("/graphql", json={"query": query, "variables": {"id": run_id}}).json()
        return body["data"]["runOrError"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def _type(entry: Any) -> Any:
    return entry.dagster_event.event_type if entry.dagster_event is not None else None


def test_run_survives_a_killed_celery_worker_with_two_webservers(tmp_path: Path) -> None:
    queue = f"hosts-{uuid.uuid4().hex[:8]}"
    source: dict[str, Any] = {**_jobs.REDIS_SOURCE, "task_default_queue": queue}
    marker = tmp_path / "marker"
    with postgres_url() as url:
        home = tmp_path / "home"
        write_home(home, url)
        env = {**os.environ, "HEADWATER_HOME": str(home), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        saved = os.environ.get("HEADWATER_HOME")
        os.environ["HEADWATER_HOME"] = str(home)
        started: list[Any] = []
        try:
            web = [Webserver(env, tmp_path / f"web{i}.log") for i in range(2)]
            started += web
            workers = [
                CeleryWorker(_jobs.REDIS_URL, _jobs.REDIS_URL, source, concurrency=1) for _ in range(2)
            ]
            started += workers
            config = tmp_path / "run.yaml"
            config.write_text(yaml.safe_dump({
                "ops": {"slow": {"config": {"seconds": 3.0, "marker": str(marker)}}},
                "execution": {"config": {"config_source": source}},
            }))  # fmt: skip
            launched = subprocess.run(
                [sys.executable, "-m", "headwater.cli.main", "job", "launch", "-m",
                 "tests.contracts.executors._jobs", "-j", "slow_celery_redis", "-c", str(config)],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
            )  # fmt: skip
            run_id = re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", launched.stdout)[-1]
            wait_for(marker.exists, 60, "the slow step to start on a worker")
            pid = int(marker.read_text())
            victim = next(w for w in workers if os.getpgid(pid) == w.pgid)
            marker.unlink()
            victim.kill()
            instance = Instance.get()
            try:
                wait_for(lambda: instance.get_run_by_id(run_id).is_finished, 90, "the run to finish")
                run = instance.get_run_by_id(run_id)
                logs = instance.all_logs(run_id)
            finally:
                instance.dispose()
            assert run.is_success, [e.message for e in logs if e.level >= 40]
            slow = [e for e in logs if e.step_key == "slow"]
            assert [_type(e) for e in slow].count(EventType.STEP_SUCCESS) == 1
            assert any(_type(e) is EventType.STEP_UP_FOR_RETRY and "was lost" in e.message for e in slow)
            states = [w.run_status(run_id) for w in web]
            assert states[0] == states[1] == {"status": "SUCCESS", "jobName": "slow_celery_redis"}
        finally:
            for s in started:
                s.stop()
            if saved is None:
                os.environ.pop("HEADWATER_HOME", None)
            else:
                os.environ["HEADWATER_HOME"] = saved
