"""``headwater schedule`` and ``headwater sensor`` against real code servers and a SQLite home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from headwater.instance import Instance

CODE = str(Path(__file__).with_name("instigators_code.py"))


def _cli(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_schedule_and_sensor_commands(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text(yaml.safe_dump({"run_coordinator": {"queued": {}}}))
    listed = _cli(home, "schedule", "list", "-f", CODE).stdout
    assert "nightly" in listed and "STOPPED (default)" in listed and "0 0 * * *" in listed
    _cli(home, "schedule", "start", "nightly", "-f", CODE)
    assert "RUNNING" in _cli(home, "schedule", "list", "-f", CODE).stdout
    missing = _cli(home, "schedule", "start", "nighty", "-f", CODE, check=False)
    assert missing.returncode != 0 and "Did you mean 'nightly'" in missing.stderr
    preview = _cli(home, "schedule", "preview", "nightly", "-f", CODE).stdout
    assert "RunRequest" in preview

    assert "run_key=first" in _cli(home, "sensor", "preview", "inbox", "-f", CODE).stdout
    failing = _cli(home, "sensor", "preview", "broken", "-f", CODE, check=False)
    assert failing.returncode == 1 and "cannot reach the bucket" in failing.stdout

    _cli(home, "sensor", "tick", "--once", "-f", CODE)
    with _instance(home) as instance:
        runs = instance.get_runs()
        assert [r.tags["dagster/run_key"] for r in runs] == ["first"]
        assert runs[0].status.value == "QUEUED"
    assert "cursor done" in _cli(home, "sensor", "list", "-f", CODE).stdout
    _cli(home, "sensor", "cursor", "inbox", "--delete", "-f", CODE)
    assert "cursor -" in _cli(home, "sensor", "list", "-f", CODE).stdout
    _cli(home, "sensor", "cursor", "inbox", "--set", "done", "-f", CODE)
    assert "inbox empty" in _cli(home, "sensor", "preview", "inbox", "-f", CODE).stdout
    _cli(home, "schedule", "tick", "--once", "-f", CODE)


def _instance(home: Path) -> Instance:
    os.environ["HEADWATER_HOME"] = str(home)
    try:
        return Instance.get()
    finally:
        del os.environ["HEADWATER_HOME"]
