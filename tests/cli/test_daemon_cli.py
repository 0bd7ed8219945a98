"""`headwater daemon status | liveness-check | wipe` over heartbeats and leases written to the store."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from headwater.cli.main import cli
from headwater.instance import Instance
from headwater.storage.daemon import DaemonError, DaemonHeartbeat


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    (tmp_path / "headwater.yaml").write_text("run_coordinator:\n  queued: {}\n")
    return tmp_path


def _beat(name: str, age: float, failures: int = 0) -> DaemonHeartbeat:
    now = time.time()
    error = DaemonError(
        message="OperationalError: the database went away", traceback="Traceback (most...)\n", timestamp=now
    )
    return DaemonHeartbeat(
        loop_name=name,
        daemon_id="host:1:abc",
        timestamp=now - age,
        interval_seconds=2,
        fencing_token=1,
        consecutive_failures=failures,
        last_error=error if failures else None,
    )


def test_status_and_liveness_follow_the_heartbeats(home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["daemon", "status"])
    assert result.exit_code == 1 and "no heartbeat yet" in result.output
    assert runner.invoke(cli, ["daemon", "liveness-check"]).exit_code == 1
    with Instance.get() as instance:
        now = time.time()
        assert instance.storage.leases.acquire("run_queue", "host:1:abc", now, 30) is not None
        instance.storage.daemon_heartbeats.add_heartbeat(_beat("run_queue", 1))
        instance.storage.daemon_heartbeats.add_heartbeat(_beat("run_monitoring", 2, failures=3))
        for name in ("scheduler", "sensors", "backfills", "automation", "auto_observe"):
            instance.storage.daemon_heartbeats.add_heartbeat(_beat(name, 1))
    result = runner.invoke(cli, ["daemon", "status", "--traceback"])
    assert result.exit_code == 1, result.output
    assert (
        "run_monitoring: its last 3 tick(s) failed: OperationalError: the database went away" in result.output
    )
    assert "Traceback (most...)" in result.output
    assert runner.invoke(cli, ["daemon", "liveness-check"]).exit_code == 0  # beating, though failing
    rows = {r["loop"]: r for r in json.loads(runner.invoke(cli, ["daemon", "status", "--json"]).output)}
    assert rows["run_queue"]["healthy"] and rows["run_queue"]["leader"] == "host:1:abc"
    assert not rows["run_monitoring"]["healthy"] and rows["run_monitoring"]["leader"] is None
    with Instance.get() as instance:
        instance.storage.daemon_heartbeats.add_heartbeat(_beat("run_monitoring", 1))
    assert runner.invoke(cli, ["daemon", "status"]).exit_code == 0
    with Instance.get() as instance:
        instance.storage.daemon_heartbeats.add_heartbeat(_beat("run_monitoring", 120))
    result = runner.invoke(cli, ["daemon", "liveness-check"])
    assert result.exit_code == 1 and "run_monitoring" in result.output
    assert runner.invoke(cli, ["daemon", "wipe"]).exit_code == 0
    with Instance.get() as instance:
        assert instance.get_daemon_heartbeats() == {}


def test_run_refuses_an_unknown_loop(home: Path) -> None:
    result = CliRunner().invoke(cli, ["daemon", "run", "--loop", "schedulr"])
    assert result.exit_code == 2 and "Unknown daemon loop(s) schedulr" in result.output
