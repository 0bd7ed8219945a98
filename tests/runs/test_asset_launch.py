"""``headwater asset materialize --launch``: an asset run created through the coordinator, executed by a
real ``headwater run-worker`` process that rebuilds the asset job from the run's asset selection."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from headwater.core.asset_key import AssetKey
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.runs.tags import WORKER_PID_TAG
from headwater.storage.runs import PARTITION_NAME_TAG

from .conftest import Home

ASSETS = textwrap.dedent(
    """
    import os
    from pathlib import Path

    import headwater as hw

    def _side(name, text):
        (Path(os.environ["HW_TEST_DIR"]) / name).write_text(text)

    @hw.asset(group_name="raw")
    def numbers() -> list[int]:
        _side("numbers", str(os.getpid()))
        return [1, 2, 3]

    @hw.asset
    def total(context, numbers: list[int]) -> int:
        _side("total", str(sum(numbers)))
        if context.has_partition_key:
            _side("partition", context.partition_key)
        return sum(numbers)

    @hw.asset
    def broken(total: int) -> int:
        raise ValueError("total is wrong")

    @hw.asset(partitions_def=hw.StaticPartitionsDefinition(["p1", "p2"]))
    def parted(context) -> str:
        if context.has_partition_key:
            _side("partition", context.partition_key)
        return "parted"

    defs = hw.Definitions(assets=[numbers, total, broken, parted])
    """
)


@pytest.fixture
def assets_file(tmp_path: Path) -> Path:
    path = tmp_path / "asset_defs.py"
    path.write_text(ASSETS)
    return path


def _materialize(home: Home, code: Path, *args: str, check: bool = True) -> tuple[str, str, int]:
    """``headwater asset materialize --launch ARGS`` -> (run id: the first line, stdout, exit code)."""
    result = home.cli("asset", "materialize", "-f", str(code), "--launch", *args, check=check)
    lines = result.stdout.strip().splitlines()
    return (lines[0] if lines else ""), result.stdout, result.returncode


def test_launch_wait_follows_the_run_and_succeeds(home: Home, assets_file: Path) -> None:
    run_id, out, code = _materialize(home, assets_file, "--select", "numbers+", "--wait")
    assert code == 0
    assert "numbers started" in out and "materialized total" in out
    assert f"Run {run_id}: SUCCESS — 2 succeeded, 0 failed, 0 skipped" in out
    run = home.run(run_id)
    assert run.status is RunStatus.SUCCESS
    assert run.job_name == "__ASSET_JOB"
    assert run.asset_selection == frozenset({AssetKey("numbers"), AssetKey("total")})
    assert (home.side / "total").read_text() == "6"
    assert (home.side / "numbers").read_text() == run.tags[WORKER_PID_TAG]  # ran in the run worker
    with home.instance() as instance:
        types = [e.dagster_event.event_type for e in instance.all_logs(run_id) if e.dagster_event]
        assert types[0] is EventType.RUN_STARTING and types[-1] is EventType.RUN_SUCCESS
        assert types.count(EventType.ASSET_MATERIALIZATION) == 2
        latest = instance.get_latest_materialization_event(AssetKey("total"))
        assert latest is not None and latest.run_id == run_id


def test_launch_wait_exits_non_zero_when_the_run_fails(home: Home, assets_file: Path) -> None:
    run_id, out, code = _materialize(home, assets_file, "--select", "*", "--wait", check=False)
    assert code == 1
    assert "broken failed" in out and "ValueError: total is wrong" in out
    assert f"Run {run_id}: FAILURE — 3 succeeded, 1 failed" in out
    assert home.run(run_id).status is RunStatus.FAILURE


def test_launch_without_wait_prints_the_run_id_and_returns(home: Home, assets_file: Path) -> None:
    started = time.monotonic()
    run_id, out, code = _materialize(home, assets_file, "--select", "numbers")
    assert code == 0 and out.strip() == run_id
    assert time.monotonic() - started < 20
    run = home.wait_for_run(run_id)
    assert run.status is RunStatus.SUCCESS, home.log(run_id)
    assert run.asset_selection == frozenset({AssetKey("numbers")})
    assert not (home.side / "total").exists()


def test_partition_goes_to_the_run_tag_and_the_asset_context(home: Home, assets_file: Path) -> None:
    run_id, _, code = _materialize(home, assets_file, "--select", "parted", "--wait", "--partition", "p1")
    assert code == 0, home.log(run_id)
    assert home.run(run_id).tags[PARTITION_NAME_TAG] == "p1"
    assert (home.side / "partition").read_text() == "p1"


def test_queued_coordinator_queues_the_asset_run(home: Home, assets_file: Path) -> None:
    home.write_config({"run_coordinator": {"queued": {"max_concurrent_runs": 1}}})
    run_id, _, code = _materialize(home, assets_file, "--select", "numbers")
    assert code == 0
    assert home.run(run_id).status is RunStatus.QUEUED
    home.cli("run", "dequeue")
    assert home.wait_for_run(run_id).status is RunStatus.SUCCESS, home.log(run_id)


def test_bad_selection_creates_no_run(home: Home, assets_file: Path) -> None:
    _, _, code = _materialize(home, assets_file, "--select", "group:nope", check=False)
    assert code != 0
    if (home.path / "headwater.db").exists():
        with home.instance() as instance:
            assert instance.get_runs() == []
