"""Real Celery workers (Redis and RabbitMQ brokers) and a real Dask LocalCluster for the executor
contract, sharing one PostgreSQL store with the tests through ``$HEADWATER_HOME``.

Started once per test session when a test first needs them, each worker in its own process group
(killed at the end of the session). The queue names are unique to the session.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
os.environ.setdefault("HEADWATER_TEST_CELERY_QUEUE", f"hw-{uuid.uuid4().hex[:8]}")
HEARTBEAT = "0.5"


class CeleryWorker:
    """``headwater celery worker`` in its own process group."""

    def __init__(self, broker: str, backend: str, source: dict[str, Any], concurrency: int = 2) -> None:
        env = {**os.environ, "HEADWATER_STEP_HEARTBEAT_SECONDS": HEARTBEAT, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "headwater.cli.main", "celery", "worker",
                "-m", "tests.contracts.executors._jobs",
                "--broker", broker, "--backend", backend,
                "--config-source", json.dumps(source),
                "-q", source["task_default_queue"],
                "-c", str(concurrency),
                "-n", f"w{uuid.uuid4().hex[:6]}@%h",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

    @property
    def pgid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.pgid, signal.SIGTERM)
                self.process.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill()
        else:
            try:
                os.killpg(self.pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def write_home(home: Path, postgres_url: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    config = {"storage": {"postgres": {"postgres_url": postgres_url}}}
    (home / "headwater.yaml").write_text(yaml.safe_dump(config))


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A HEADWATER_HOME whose headwater.yaml names a fresh PostgreSQL schema (for this session)."""
    from tests.contracts.storage.databases import postgres_url

    with postgres_url() as url:
        home = tmp_path_factory.mktemp("shared-home")
        write_home(home, url)
        previous = os.environ.get("HEADWATER_HOME")
        os.environ["HEADWATER_HOME"] = str(home)
        try:
            yield home
        finally:
            if previous is None:
                os.environ.pop("HEADWATER_HOME", None)
            else:
                os.environ["HEADWATER_HOME"] = previous


class Services:
    """The session's workers, started on first use."""

    def __init__(self) -> None:
        self.stack = ExitStack()
        self.started: dict[str, Any] = {}

    def celery(self, name: str) -> CeleryWorker:
        from tests.contracts.executors import _jobs

        if name not in self.started:
            if name == "celery_redis":
                worker = CeleryWorker(_jobs.REDIS_URL, _jobs.REDIS_URL, _jobs.REDIS_SOURCE)
            else:
                worker = CeleryWorker(_jobs.AMQP_URL, "rpc://", _jobs.AMQP_SOURCE)
            self.stack.callback(worker.stop)
            self.started[name] = worker
        return self.started[name]  # type: ignore[no-any-return]

    def dask_address(self, home: Path) -> str:
        if "dask" not in self.started:
            from distributed import LocalCluster

            env = {"HEADWATER_HOME": str(home), "HEADWATER_STEP_HEARTBEAT_SECONDS": HEARTBEAT}
            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, env=env
            )
            self.stack.callback(cluster.close)
            self.started["dask"] = cluster
        return str(self.started["dask"].scheduler_address)

    def close(self) -> None:
        self.stack.close()


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    s = Services()
    try:
        yield s
    finally:
        s.close()


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
