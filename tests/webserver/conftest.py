"""``headwater dev`` as a real process on a free loopback port, over a small project in a temporary
directory; HTTP with httpx. Every process is stopped at the end (and the tests check it)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

START_TIMEOUT = 60.0

DEFS = '''
import time

import headwater as hw


class Settings(hw.Config):
    rows: int = 3
    fail: bool = False


@hw.asset(group_name="raw", kinds={"python"}, owners=["team:data"], tags={"tier": "bronze"},
          code_version="1", metadata={"source": "generated"})
def numbers(context: hw.AssetExecutionContext, config: Settings) -> list[int]:
    """Some numbers."""
    if config.fail:
        raise ValueError("asked to fail")
    context.add_output_metadata({"rows": config.rows, "dagster/row_count": config.rows})
    return list(range(config.rows))


@hw.asset(group_name="clean", kinds={"sql"}, metadata={
    "headwater/column_schema": hw.TableSchema(columns=[hw.TableColumn("n", "int")]),
    "dagster/column_lineage": hw.TableColumnLineage(deps_by_column={"n": [hw.TableColumnDep("numbers", "n")]}),
})
def doubled(numbers: list[int]) -> list[int]:
    return [2 * n for n in numbers]


@hw.asset_check(asset=doubled)
def doubled_even(doubled: list[int]) -> hw.AssetCheckResult:
    return hw.AssetCheckResult(passed=all(n % 2 == 0 for n in doubled))


@hw.asset(group_name="slow")
def sleepy() -> int:
    time.sleep(60)
    return 1


letters = hw.StaticPartitionsDefinition(["a", "b", "c", "d"])


@hw.asset(group_name="parts", partitions_def=letters)
def lettered(context: hw.AssetExecutionContext) -> str:
    return context.partition_key.upper()


@hw.op
def hello(context: hw.OpExecutionContext) -> str:
    return "hi"


@hw.op
def shout(word: str) -> str:
    return word.upper()


@hw.job
def greet():
    shout(hello())


numbers_job = hw.define_asset_job("numbers_job", selection=["numbers", "doubled"])

defs = hw.Definitions(
    assets=[numbers, doubled, sleepy, lettered],
    asset_checks=[doubled_even],
    jobs=[greet, numbers_job],
)
'''


@dataclass
class DevServer:
    proc: subprocess.Popen[bytes]
    url: str
    home: Path
    project: Path
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)

    def gql(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        with self.client() as client:
            response = client.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]  # type: ignore[no-any-return]

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_run(self, run_id: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            status = self.gql(
                "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }", {"id": run_id}
            )["runOrError"]["status"]
            if status in ("SUCCESS", "FAILURE", "CANCELED"):
                return str(status)
            if time.monotonic() > deadline:
                raise AssertionError(f"run {run_id} still {status} after {timeout} s")
            time.sleep(0.2)


def write_project(root: Path, defs: str = DEFS) -> Path:
    project = root / "project"
    project.mkdir(parents=True, exist_ok=True)
    (project / "defs.py").write_text(textwrap.dedent(defs))
    return project


def start_dev(root: Path, *args: str, command: str = "dev") -> DevServer:
    home = root / "home"
    project = root / "project"
    log = root / f"{command}-{time.monotonic_ns()}.log"
    env = {**os.environ, "HEADWATER_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "headwater.cli.main", command, "--port", "0", *args],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        text = log.read_text(errors="replace")
        found = re.search(r"serving (http://\S+) ", text)
        if found:
            return DevServer(proc, found.group(1), home, project, log)
        if proc.poll() is not None:
            raise AssertionError(f"headwater {command} exited ({proc.returncode}):\n{text}")
        if time.monotonic() > deadline:
            stop(proc)
            raise AssertionError(f"headwater {command} did not serve in {START_TIMEOUT} s:\n{text}")
        time.sleep(0.05)


def served(
    tmp_path_factory: pytest.TempPathFactory, name: str, defs: str = DEFS, *, daemon: bool
) -> Iterator[DevServer]:
    """A ``headwater dev`` of the project ``defs`` (with its daemon or not), stopped when done: the body
    of a module's server fixture (``yield from served(...)``)."""
    root = tmp_path_factory.mktemp(name)
    write_project(root, defs)
    server = start_dev(root, "-f", "defs.py", *(() if daemon else ("--no-daemon",)))
    try:
        yield server
    finally:
        stop(server.proc)


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> int:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    return int(proc.returncode)


def children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (through /proc), including those in other sessions."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.append(child)
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    yield from served(tmp_path_factory, "dev", daemon=False)
