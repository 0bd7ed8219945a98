"""DuckDB's one-writer-per-file lock: connections wait for another process's lock, then fail clearly;
steps of the multiprocess executor writing one file all succeed."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

import headwater as hw
from headwater.execution.api import execute_job
from headwater.executors.multiprocess import multiprocess_executor
from headwater.instance import Instance
from headwater.integrations.duckdb import (
    DuckDBLockError,
    DuckDBPandasIOManager,
    DuckDBResource,
    connect_duckdb,
)

HOLDER = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1])
conn.execute("CREATE TABLE IF NOT EXISTS held AS SELECT 1 AS x")
print("ready", flush=True)
time.sleep(float(sys.argv[2]))
conn.close()
"""


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    inst = Instance.ephemeral(tmp_path / "home")
    yield inst
    inst.dispose()


def _hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding ``db`` open for ``seconds`` (returns once it holds the lock)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_lock_held_past_the_timeout_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    holder = _hold(db, 60)
    clock = FakeClock()
    try:
        with pytest.raises(DuckDBLockError) as err:
            connect_duckdb(str(db), lock_timeout_seconds=5, clock=clock, sleep=clock.sleep)
    finally:
        holder.kill()
        holder.wait()
    message = str(err.value)
    assert str(db) in message and "within 5 s" in message and "max_concurrent" in message
    assert isinstance(err.value.__cause__, duckdb.IOException)
    # the delays grow, and the waiting stops at the timeout
    assert len(clock.sleeps) > 5 and clock.sleeps[-2] > clock.sleeps[0] and clock.now == pytest.approx(5)


def test_a_connection_waits_for_another_process_to_release_the_file(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    holder = _hold(db, 0.5)
    try:
        start = time.monotonic()
        with DuckDBResource(database=str(db), lock_timeout_seconds=30).get_connection() as conn:
            assert conn.execute("SELECT x FROM held").fetchall() == [(1,)]
        assert time.monotonic() - start >= 0.2  # it did wait for the holder
    finally:
        holder.wait()


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    clock = FakeClock()
    with pytest.raises(duckdb.Error):
        connect_duckdb(str(tmp_path / "no" / "such" / "dir.duckdb"), clock=clock, sleep=clock.sleep)
    assert clock.sleeps == []


def _writers_defs(tmp_path: Path, n: int = 3) -> hw.Definitions:
    """``n`` (3) assets in separate processes, each holding the file for a while and then storing a frame
    through the IO manager, and one asset reading them all."""
    db = str(tmp_path / "shared.duckdb")
    barrier = tmp_path / "barrier"
    barrier.mkdir()

    def make(i: int) -> Any:
        @hw.asset(name=f"part_{i}")
        def part(duckdb: DuckDBResource) -> pd.DataFrame:
            # meet the other writers first, so that the connections below surely overlap
            (barrier / str(i)).touch()
            deadline = time.monotonic() + 20
            while len(list(barrier.iterdir())) < n and time.monotonic() < deadline:
                time.sleep(0.01)
            with duckdb.get_connection() as conn:
                conn.execute(f"CREATE OR REPLACE TABLE side_{i} AS SELECT {i} AS i")
                time.sleep(0.3)
            return pd.DataFrame({"i": [i]})

        return part

    parts = [make(i) for i in range(n)]

    @hw.asset
    def combined(part_0: pd.DataFrame, part_1: pd.DataFrame, part_2: pd.DataFrame) -> pd.DataFrame:
        return pd.concat([part_0, part_1, part_2])

    return hw.Definitions(
        assets=[*parts, combined],
        jobs=[hw.define_asset_job("all")],
        resources={"duckdb": DuckDBResource(database=db), "io_manager": DuckDBPandasIOManager(database=db)},
        executor=multiprocess_executor,
    )


def test_multiprocess_steps_writing_one_file_wait_for_each_other(tmp_path: Path, instance: Instance) -> None:
    n = 3
    defs = _writers_defs(tmp_path, n)
    result = execute_job(
        defs.get_job_def("all"),
        instance=instance,
        run_config={"execution": {"config": {"max_concurrent": n}}},
    )
    assert result.success
    with duckdb.connect(str(tmp_path / "shared.duckdb")) as conn:
        assert sorted(conn.execute("SELECT i FROM public.combined").fetchall()) == [(0,), (1,), (2,)]
        assert [conn.execute(f"SELECT i FROM side_{i}").fetchone() for i in range(n)] == [(0,), (1,), (2,)]


def test_without_waiting_the_same_steps_fail_with_the_lock_error(tmp_path: Path, instance: Instance) -> None:
    n = 3
    defs = _writers_defs(tmp_path, n)
    result = execute_job(
        defs.get_job_def("all"),
        instance=instance,
        raise_on_error=False,
        run_config={
            "execution": {"config": {"max_concurrent": n}},
            "resources": {"duckdb": {"config": {"lock_timeout_seconds": 0}}},
        },
    )
    assert not result.success
    failed = sorted(result.get_failed_step_keys())
    assert 1 <= len(failed) < n
    message = result.failure_data_for_node(failed[0]).error.message
    assert "Could not open the DuckDB database" in message and "shared.duckdb" in message


def test_a_corrupt_file_fails_after_the_creation_grace_not_the_lock_timeout(tmp_path: Path) -> None:
    db = tmp_path / "corrupt.duckdb"
    db.write_bytes(b"not a database" * 1000)
    clock = FakeClock()
    with pytest.raises(duckdb.IOException, match="not a valid DuckDB database file"):
        connect_duckdb(str(db), lock_timeout_seconds=600, clock=clock, sleep=clock.sleep)
    assert 2 <= clock.now < 3
