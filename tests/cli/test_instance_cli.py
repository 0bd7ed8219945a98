"""``headwater instance migrate | prune | info``, and an instance that survives a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.storage.sql import HEAD_REVISION
from headwater.storage.sql.database import Database
from headwater.storage.sql.migrate import upgrade_locked

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    return home


def _invoke(*args: str) -> tuple[int, str]:
    from headwater.cli.main import cli

    result = CliRunner().invoke(cli, ["instance", *args])
    return result.exit_code, result.output


def _finished_run(instance: Instance, timestamp: float, asset: str) -> str:
    run = instance.create_run(job_name="job")
    mat = AssetMaterialization(AssetKey(asset))
    entries = [
        EventLogEntry(run.run_id, timestamp, Event(EventType.RUN_START, "job"), job_name="job"),
        EventLogEntry(
            run.run_id, timestamp, Event(EventType.ASSET_MATERIALIZATION, "job", "s", event_specific_data=mat)
        ),
        EventLogEntry(run.run_id, timestamp, Event(EventType.STEP_SUCCESS, "job", "s"), job_name="job"),
        EventLogEntry(run.run_id, timestamp, Event(EventType.RUN_SUCCESS, "job"), job_name="job"),
    ]
    instance.handle_new_events(entries)
    return run.run_id


def test_info_of_a_new_home(home: Path) -> None:
    code, out = _invoke("info")
    assert code == 0, out
    assert "storage:         sqlite" in out
    assert f"location:        {home / 'headwater.db'}" in out
    assert f"schema revision: {HEAD_REVISION}" in out
    assert "runs:            0" in out and "events:          0" in out


def test_old_store_is_refused_until_migrated(home: Path) -> None:
    db = Database(f"sqlite:///{home / 'headwater.db'}")
    with db.write() as conn:
        upgrade_locked(db, conn, "0001")
    db.dispose()

    code, out = _invoke("info")
    assert code == 1
    assert f"at schema revision 0001, the code needs {HEAD_REVISION}" in out
    assert "run `headwater instance migrate`" in out

    code, out = _invoke("migrate")
    assert code == 0, out
    assert f"from schema revision 0001 to {HEAD_REVISION}" in out
    code, out = _invoke("migrate")
    assert code == 0 and f"already at schema revision {HEAD_REVISION}: nothing to do" in out
    code, out = _invoke("info")
    assert code == 0 and f"schema revision: {HEAD_REVISION}" in out


def test_prune_dry_run_then_prune(home: Path) -> None:
    with Instance.get() as instance:
        old = _finished_run(instance, time.time() - 40 * 86400, "a")
        older = _finished_run(instance, time.time() - 50 * 86400, "b")
        recent = _finished_run(instance, time.time() - 3600, "c")

    code, out = _invoke("prune", "--older-than", "30d", "--dry-run")
    assert code == 0, out
    assert "Would delete 2 finished run(s)" in out and "6 event(s); kept 2 event(s)" in out
    assert old in out and older in out and recent not in out
    with Instance.get() as instance:
        assert instance.get_runs_count() == 3

    code, out = _invoke("prune", "--older-than", "30d")
    assert code == 0, out
    assert "Deleted 2 finished run(s)" in out
    with Instance.get() as instance:
        assert [r.run_id for r in instance.get_runs()] == [recent]
        latest = instance.get_latest_materialization_events([AssetKey("a"), AssetKey("b")])
        assert {k.to_user_string(): e.run_id for k, e in latest.items() if e} == {"a": old, "b": older}

    code, out = _invoke("prune", "--older-than", "1h")
    assert code == 0 and "Deleted 1 finished run(s)" in out


def test_prune_rejects_a_bad_duration(home: Path) -> None:
    code, out = _invoke("prune", "--older-than", "30 days")
    assert code == 2
    assert "Invalid duration '30 days'" in out and "12h, 30d, 2w" in out


def test_materialized_project_survives_a_restart(tmp_path: Path) -> None:
    """Materialize the example project in one process; read the run back in a new one."""
    home = tmp_path / "home"
    env = {**os.environ, "HEADWATER_HOME": str(home), "PYTHONPATH": str(ROOT)}
    materialize = [
        sys.executable, "-m", "headwater.cli.main", "asset", "materialize", "--select", "*",
        "-m", "examples.quickstart.definitions",
    ]  # fmt: skip
    # cwd is a scratch directory: the example's warehouse resource writes under ./.headwater.
    done = subprocess.run(materialize, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

    reader = """
import json
from headwater.events.event_type import EventType
from headwater.instance import Instance

with Instance.get() as instance:
    [run] = instance.get_runs()
    mats = instance.all_logs(run.run_id, of_type=EventType.ASSET_MATERIALIZATION)
    keys = [e.dagster_event.asset_key for e in mats]
    latest = instance.get_latest_materialization_events(keys)
    print(json.dumps({
        "status": run.status.value,
        "run_id": run.run_id,
        "events": len(instance.all_logs(run.run_id)),
        "materialized": sorted(k.to_user_string() for k in keys),
        "latest_runs": sorted({e.run_id for e in latest.values() if e is not None}),
        "storage_directory": instance.storage_directory(),
    }))
"""
    out = subprocess.run(
        [sys.executable, "-c", reader], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["status"] == RunStatus.SUCCESS.value
    assert found["events"] > 2 * len(found["materialized"]) > 0
    assert {"raw_orders", "raw_customers"} <= set(found["materialized"])
    assert found["latest_runs"] == [found["run_id"]]
    assert found["storage_directory"] == str(home / "storage")
    # The default FilesystemIOManager wrote the values under $HEADWATER_HOME/storage.
    assert (home / "storage" / "raw_orders").exists()
    engine = sa.create_engine(f"sqlite:///{home / 'headwater.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM runs").scalar() == 1
    engine.dispose()
