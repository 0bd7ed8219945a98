"""``headwater backfill launch | list | show | pause | resume | cancel | tick``: real run workers for
a small backfill, and a ``headwater backfill tick`` process killed mid-way that a second tick
finishes without a duplicate run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from headwater.instance import Instance
from headwater.selection.partition_status import AssetPartitionStatus
from headwater.storage.backfills import BulkActionStatus
from headwater.storage.runs import BACKFILL_ID_TAG, RunsFilter

DEFS = """
import headwater as hw

days = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="{end}")


@hw.asset(partitions_def=days)
def daily(context) -> str:
    return context.partition_key


defs = hw.Definitions(assets=[daily])
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(project: Path, module: str, end: str, queued: bool = False) -> None:
    """The code, as a module of its own name (a module imported by an earlier test stays imported)."""
    (project / f"{module}.py").write_text(textwrap.dedent(DEFS.format(end=end)))
    if queued:
        (project / "home").mkdir(exist_ok=True)
        queue = "run_coordinator:\n  queued:\n    max_concurrent_runs: 4\n"
        (project / "home" / "headwater.yaml").write_text(queue)


def _invoke(*args: str) -> tuple[int, str]:
    from headwater.cli.main import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_launch_tick_and_runs_to_completion(project: Path) -> None:
    _write(project, "bf_three", "2024-01-04")
    code, out = _invoke("backfill", "launch", "-m", "bf_three", "--partitions", "2024-01-01...2024-01-03")
    assert code == 0, out
    backfill_id = out.split()[0]
    assert "1 asset(s), 3 asset partition(s) in 3 run(s)" in out
    code, out = _invoke("backfill", "tick", "--once")  # immediate coordinator: 3 run workers start
    assert code == 0 and f"Backfill {backfill_id}: REQUESTED, 3 run(s) submitted" in out, out
    deadline = time.monotonic() + 90
    with Instance.get() as instance:
        while time.monotonic() < deadline:
            runs = instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id}))
            if len(runs) == 3 and all(r.is_finished for r in runs):
                break
            time.sleep(0.3)
        assert {r.status.value for r in runs} == {"SUCCESS"}
    code, out = _invoke("backfill", "tick", "--once")
    assert code == 0 and "COMPLETED_SUCCESS" in out, out
    code, out = _invoke("backfill", "show", backfill_id)
    assert code == 0 and "COMPLETED_SUCCESS" in out and "runs: 3 of 3 submitted" in out, out
    assert "daily" in out and "│ 3 " in out
    code, out = _invoke("backfill", "list")
    assert code == 0 and backfill_id in out and "2024-01-01...2024-01-03" in out
    from headwater.compat import dagster as dg

    with Instance.get() as instance:
        statuses = instance.get_status_by_partition(
            dg.AssetKey("daily"), ["2024-01-01", "2024-01-03"], dg.DailyPartitionsDefinition("2024-01-01")
        )
        assert statuses == {
            "2024-01-01": AssetPartitionStatus.MATERIALIZED,
            "2024-01-03": AssetPartitionStatus.MATERIALIZED,
        }


def test_pause_resume_cancel_and_errors(project: Path) -> None:
    _write(project, "bf_nine", "2024-01-10", queued=True)
    code, out = _invoke("backfill", "launch", "-m", "bf_nine", "--all")
    assert code == 0, out
    backfill_id = out.split()[0]
    code, out = _invoke("backfill", "pause", backfill_id)
    assert code == 0 and "REQUESTED (paused)" in out, out
    code, out = _invoke("backfill", "tick", "--once")
    assert "0 run(s) submitted" in out
    code, out = _invoke("backfill", "resume", backfill_id)
    assert code == 0
    code, out = _invoke("backfill", "tick", "--once", "--max-runs", "4")
    assert "4 run(s) submitted" in out, out
    code, out = _invoke("backfill", "cancel", backfill_id)
    assert code == 0 and "CANCELING" in out
    code, out = _invoke("backfill", "tick", "--once")
    assert "CANCELED" in out, out
    code, out = _invoke("backfill", "resume", backfill_id)
    assert code != 0 and "only a paused or FAILED backfill can be resumed" in out
    code, out = _invoke("backfill", "show", "nope")
    assert code != 0 and "No backfill 'nope'" in out and "headwater backfill list" in out
    code, out = _invoke("backfill", "launch", "-m", "bf_nine", "--partitions", "2024-01-01..2024-01-03")
    assert code != 0 and "asset 'daily'" in out and "2024-01-01..2024-01-03" in out
    code, out = _invoke("backfill", "launch", "-m", "bf_nine", "--partitions", "2024-01-05...2024-01-02")
    assert code != 0 and "start comes after its end" in out
    code, out = _invoke("backfill", "launch", "-m", "bf_nine")
    assert code != 0 and "one way" in out


def test_a_killed_tick_process_resumes_without_duplicates(project: Path) -> None:
    _write(project, "bf_many", "2024-11-26", queued=True)  # 330 partitions
    code, out = _invoke("backfill", "launch", "-m", "bf_many", "--all")
    assert code == 0, out
    backfill_id = out.split()[0]
    env = {**os.environ, "PYTHONPATH": str(project)}
    tick = [sys.executable, "-m", "headwater.cli.main", "backfill", "tick", "--once", "--max-runs", "1000"]
    proc = subprocess.Popen(tick, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with Instance.get() as instance:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(instance.storage.backfills.get_backfill_run_statuses(backfill_id)) >= 20:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        killed_at = len(instance.storage.backfills.get_backfill_run_statuses(backfill_id))
        assert 20 <= killed_at < 330, killed_at
        backfill = instance.get_backfill(backfill_id)
        assert backfill is not None and backfill.status is BulkActionStatus.REQUESTED
    done = subprocess.run(tick, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with Instance.get() as instance:
        runs = instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id}))
        partitions = Counter(r.tags["dagster/partition"] for r in runs)
        assert len(runs) == 330 and len(partitions) == 330 and set(partitions.values()) == {1}
        assert {r.status.value for r in runs} == {"QUEUED"}
