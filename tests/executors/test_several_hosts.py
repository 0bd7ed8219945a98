"""Several hosts, simulated on one machine: two webservers, the daemon, two Celery workers and the
launched run worker, each its own process group, against one PostgreSQL store and a Redis broker.

The run is submitted through a webserver's GraphQL ``launchRun`` and queued (the queued run
coordinator, as in production); the daemon's run queue dequeues and launches it. One Celery worker is
killed mid-run: the run still completes, truthfully (the lost attempt is recorded and retried once),
and both webservers serve the same state."""

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


LOCATION = "tests.contracts.executors._jobs"


class ProcessGroup:
    """``headwater <args> -m <the jobs module>`` in its own process group, its output in ``log``; started
    once ``ready`` (a regular expression) appears in the output."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, ready: str) -> None:
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "headwater.cli.main", *args, "-m", LOCATION],
                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            self.ready = re.search(ready, log.read_text(errors="replace"))
            if self.ready:
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"{args[0]} did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class Webserver(ProcessGroup):
    def __init__(self, env: dict[str, str], log: Path) -> None:
        super().__init__(["webserver", "--port", "0"], env, log, r"serving (http://\S+) ")
        assert self.ready is not None
        self.url = self.ready.group(1)

    def gql(self, query: str, variables: dict[str, Any]) -> Any:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            body = client.post("/graphql", json={"query": query, "variables": variables}).json()
        assert "errors" not in body, body
        return body["data"]

    def launch(self, job: str, run_config: dict[str, Any]) -> Any:
        params = {
            "selector": {
                "repositoryLocationName": LOCATION, "repositoryName": "__repository__", "jobName": job
            },
            "runConfigData": run_config,
        }  # fmt: skip
        query = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
            __typename ... on LaunchRunSuccess { run { runId status } } ... on Error { message }
            ... on RunConfigValidationInvalid { errors { message } } } }"""
        return self.gql(query, {"p": params})["launchRun"]

    def run_status(self, run_id: str) -> Any:
        query = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status jobName } } }"
        return self.gql(query, {"id": run_id})["runOrError"]


class Daemon(ProcessGroup):
    def __init__(self, env: dict[str, str], log: Path) -> None:
        super().__init__(["daemon", "run"], env, log, r"headwater daemon \S+: loops .*run_queue")


def _type(entry: Any) -> Any:
    return entry.dagster_event.event_type if entry.dagster_event is not None else None


def _queued_home(home: Path, url: str) -> None:
    """The store on PostgreSQL and the queued run coordinator, dequeuing every 0.2 s."""
    write_home(home, url)
    config = yaml.safe_load((home / "headwater.yaml").read_text())
    config["run_coordinator"] = {"queued": {"dequeue_interval_seconds": 0.2}}
    (home / "headwater.yaml").write_text(yaml.safe_dump(config))


def test_queued_run_survives_a_killed_celery_worker_with_the_daemon_and_two_webservers(
    tmp_path: Path,
) -> None:
    queue = f"hosts-{uuid.uuid4().hex[:8]}"
    source: dict[str, Any] = {**_jobs.REDIS_SOURCE, "task_default_queue": queue}
    marker = tmp_path / "marker"
    with postgres_url() as url:
        home = tmp_path / "home"
        _queued_home(home, url)
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
            run_config = {
                "ops": {"slow": {"config": {"seconds": 3.0, "marker": str(marker)}}},
                "execution": {"config": {"config_source": source}},
            }
            launched = web[0].launch("slow_celery_redis", run_config)
            assert launched["__typename"] == "LaunchRunSuccess", launched
            run_id = launched["run"]["runId"]
            assert launched["run"]["status"] == "QUEUED"  # no daemon yet: the run waits in the queue
            assert web[1].run_status(run_id) == {"status": "QUEUED", "jobName": "slow_celery_redis"}
            started.append(Daemon(env, tmp_path / "daemon.log"))
            wait_for(marker.exists, 60, "the daemon to launch the run and the slow step to start")
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
            run_events = [_type(e) for e in logs if e.step_key is None]
            assert run_events.index(EventType.RUN_ENQUEUED) < run_events.index(EventType.RUN_DEQUEUED)
            assert run_events.index(EventType.RUN_DEQUEUED) < run_events.index(EventType.RUN_START)
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
