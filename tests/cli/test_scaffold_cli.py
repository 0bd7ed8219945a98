"""``headwater scaffold``: the files it writes load and run in a Dagster-layout project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent / "compat" / "projects" / "scaffold_project"


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HEADWATER_HOME", "DAGSTER_HOME", "PYTHONPATH")}
    env["HEADWATER_HOME"] = str(cwd / ".hw")
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "scaffold_project"
    shutil.copytree(PROJECT, target)
    return target


def test_scaffolded_defs_load_and_materialize(project: Path) -> None:
    assert _run(project, "scaffold", "defs", "asset", "new/thing.py").returncode == 0
    written = project / "src" / "scaffold_project" / "defs" / "new" / "thing.py"
    assert written.read_text().startswith("import dagster as dg\n")
    assert _run(project, "scaffold", "defs", "asset_check", "new/thing_checks.py").returncode == 0
    again = _run(project, "scaffold", "defs", "asset", "new/thing.py")
    assert again.returncode != 0 and "exists already" in again.stderr
    listed = _run(project, "asset", "list")
    assert listed.returncode == 0 and "thing" in listed.stdout, listed.stderr
    done = _run(project, "asset", "materialize", "--select", "thing")
    assert done.returncode == 0 and "SUCCESS" in done.stdout, done.stdout + done.stderr


def test_scaffolded_component_class_and_instance_load(project: Path) -> None:
    assert _run(project, "scaffold", "component", "TableSet").returncode == 0
    made = _run(
        project, "scaffold", "defs", "component", "scaffold_project.components.table_set.TableSet", "sets"
    )
    assert made.returncode == 0, made.stderr
    yaml_file = project / "src" / "scaffold_project" / "defs" / "sets" / "defs.yaml"
    yaml_file.write_text(yaml_file.read_text().replace("attributes: {}", "attributes:\n  names: [t1, t2]"))
    listed = _run(project, "asset", "list")
    assert listed.returncode == 0, listed.stderr
    assert "t1" in listed.stdout and "t2" in listed.stdout


def test_what_cannot_run_yet_is_not_scaffolded(project: Path) -> None:
    out = _run(project, "scaffold", "defs", "schedule", "schedules.py")
    assert out.returncode != 0 and "cannot run schedules yet" in out.stderr
    assert not (project / "src" / "scaffold_project" / "defs" / "schedules.py").exists()


def test_outside_a_project_scaffold_says_what_is_needed(tmp_path: Path) -> None:
    out = _run(tmp_path, "scaffold", "defs", "asset", "a.py")
    assert out.returncode != 0 and "root_module" in out.stderr
