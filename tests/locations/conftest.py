"""Code servers as real subprocesses on 127.0.0.1, with bounded waits, always stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from headwater.locations.client.client import LocationClient

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
SERVER_CMD = [sys.executable, "-m", "headwater.cli.main", "code-server", "start"]


class RunningServer:
    def __init__(self, proc: subprocess.Popen[bytes], client: LocationClient, log: Path) -> None:
        self.proc, self.client, self.log = proc, client, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def stop_process(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT)
    return int(proc.returncode)


@contextmanager
def code_server(tmp_path: Path, *args: str, tcp: bool = True) -> Iterator[RunningServer]:
    tag = uuid.uuid4().hex[:8]
    ready = tmp_path / f"ready-{tag}.json"
    log = tmp_path / f"server-{tag}.log"
    extra = ["--port", "0"] if tcp else []
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*SERVER_CMD, *args, *extra, "--ready-file", str(ready)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists():
            if proc.poll() is not None:
                raise AssertionError(f"code server exited ({proc.returncode}):\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"code server did not start in {START_TIMEOUT} s:\n{log.read_text()}")
            time.sleep(0.02)
        client = LocationClient(json.loads(ready.read_text())["address"], timeout=30)
        yield RunningServer(proc, client, log)
    finally:
        stop_process(proc)


ServerFactory = Callable[..., AbstractContextManager[RunningServer]]


@pytest.fixture
def start_server(tmp_path: Path) -> ServerFactory:
    def start(*args: str, tcp: bool = True) -> AbstractContextManager[RunningServer]:
        return code_server(tmp_path, *args, tcp=tcp)

    return start


def write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


GOOD_DEFS = """
    import headwater as hw

    @hw.asset(group_name="g", description="first")
    def a():
        return 1

    @hw.asset
    def b(a):
        return a + 1

    @hw.op
    def one():
        return 1

    @hw.op
    def plus(x):
        return x + 1

    @hw.job
    def ops():
        plus(plus(one()))

    defs = hw.Definitions(assets=[a, b], jobs=[ops, hw.define_asset_job("ab", selection="*")])
"""


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    return write(tmp_path / f"good_{uuid.uuid4().hex[:6]}.py", GOOD_DEFS)


def env_without_pycache() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
