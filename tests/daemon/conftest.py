"""Real daemon processes: a HEADWATER_HOME whose headwater.yaml points at a fresh PostgreSQL schema
(or SQLite), ``headwater daemon run`` as subprocesses, queued runs of real jobs, and a teardown that
kills every daemon and run worker a test left behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from contracts.storage.databases import mysql_url, postgres_url
from headwater.instance import Instance
from headwater.runs.processes import pid_alive, worker_pid

CODE = str(Path(__file__).parent.parent / "runs" / "jobs_code.py")


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class DaemonHome:
    def __init__(self, path: Path, side: Path) -> None:
        self.path = path
        self.side = side
        self.env = {**os.environ, "HEADWATER_HOME": str(path), "HW_TEST_DIR": str(side)}
        self.daemons: list[subprocess.Popen[bytes]] = []

    def write_config(self, config: dict[str, Any]) -> None:
        (self.path / "headwater.yaml").write_text(yaml.safe_dump(config))

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "headwater.cli.main", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start_daemon(self, daemon_id: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.side / f"daemon-{daemon_id}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "headwater.cli.main", "daemon", "run", "--daemon-id", daemon_id, *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.daemons.append(process)
        return process

    def daemon_log(self, daemon_id: str) -> str:
        path = self.side / f"daemon-{daemon_id}.log"
        return path.read_text() if path.exists() else ""

    def instance(self) -> Instance:
        return Instance.get()

    def queue_runs(self, count: int, job: str = "quick", tags: dict[str, str] | None = None) -> list[str]:
        """Queue ``count`` runs of ``job`` (through the instance's queued coordinator)."""
        from headwater.locations.server.loader import load_definitions
        from headwater.runs.code_pointer import CodePointer
        from headwater.runs.create import create_run_for_launch

        defs = load_definitions(python_file=CODE)
        spec = defs.resolve_job_def(job).spec
        pointer = CodePointer.from_options(None, CODE, None, None)
        ids = []
        with self.instance() as instance:
            for _ in range(count):
                run = create_run_for_launch(instance.run_storage, spec, pointer, tags=tags)
                ids.append(instance.submit_run(run.run_id).run_id)
        return ids

    def close(self) -> None:
        for process in self.daemons:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGCONT)
                    process.kill()
                process.wait(10)
        with contextlib.suppress(Exception), self.instance() as instance:
            for run in instance.get_runs():
                pid = worker_pid(run.tags)
                if pid is not None and pid_alive(pid):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(pid, signal.SIGKILL)


def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DaemonHome:
    path, side = tmp_path / "home", tmp_path / "side"
    path.mkdir()
    side.mkdir()
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    monkeypatch.setenv("HW_TEST_DIR", str(side))
    return DaemonHome(path, side)


QUEUED = {"queued": {"dequeue_interval_seconds": 0.2}}


@pytest.fixture
def sqlite_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = _home(tmp_path, monkeypatch)
    home.write_config({"run_coordinator": QUEUED})
    try:
        yield home
    finally:
        home.close()


@pytest.fixture(params=["postgres", "mysql"])
def server_home(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DaemonHome]:
    """A home on a database server: PostgreSQL, then MySQL."""
    home = _home(tmp_path, monkeypatch)
    backend = str(request.param)
    with (postgres_url if backend == "postgres" else mysql_url)() as url:
        storage = {backend: {f"{backend}_url": url}}
        home.write_config({"storage": storage, "run_coordinator": QUEUED})
        try:
            yield home
        finally:
            home.close()
