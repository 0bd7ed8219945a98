"""Fixtures for runs out of process: a SQLite HEADWATER_HOME in tmp, the CLI as a real subprocess,
bounded waits, and a teardown that kills every run worker a test left behind."""

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

from headwater.instance import Instance
from headwater.runs.processes import pid_alive, worker_pid
from headwater.storage.runs import Run

CODE = str(Path(__file__).with_name("jobs_code.py"))


class Home:
    def __init__(self, path: Path, side: Path) -> None:
        self.path = path
        self.side = side
        self.env = {**os.environ, "HEADWATER_HOME": str(path), "HW_TEST_DIR": str(side)}

    def write_config(self, config: dict[str, Any]) -> None:
        (self.path / "headwater.yaml").write_text(yaml.safe_dump(config))

    def cli(self, *args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "headwater.cli.main", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"headwater {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def launch(self, job: str, *extra: str) -> str:
        out = self.cli("job", "launch", "-f", CODE, "-j", job, *extra).stdout
        return out.strip().splitlines()[0]

    def instance(self) -> Instance:
        return Instance.get()

    def run(self, run_id: str) -> Run:
        with self.instance() as instance:
            run = instance.get_run_by_id(run_id)
        assert run is not None
        return run

    def wait_for_run(self, run_id: str, timeout: float = 30) -> Run:
        run = wait_for(lambda: (r := self.run(run_id)).is_finished and r, timeout, f"run {run_id} to finish")
        assert isinstance(run, Run)
        return run

    def count(self, name: str) -> int:
        path = self.side / f"{name}.count"
        return len(path.read_text().splitlines()) if path.exists() else 0

    def log(self, run_id: str) -> str:
        path = self.path / "run_logs" / f"{run_id}.log"
        return path.read_text() if path.exists() else ""


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    path = tmp_path / "home"
    side = tmp_path / "side"
    path.mkdir()
    side.mkdir()
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    monkeypatch.setenv("HW_TEST_DIR", str(side))
    h = Home(path, side)
    yield h
    # Kill whatever workers (and their step workers: each worker leads its own session) are left.
    if (path / "headwater.db").exists():
        with Instance.from_config({}, path) as instance:  # whatever headwater.yaml the test left
            for run in instance.get_runs():
                pid = worker_pid(run.tags)
                if pid is not None and pid_alive(pid):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(pid, signal.SIGKILL)
