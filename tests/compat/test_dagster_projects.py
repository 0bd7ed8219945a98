"""Dagster projects, laid out as Dagster writes them today, load and run unchanged on Headwater.

``projects/scaffold_project`` is what ``create-dagster project`` scaffolds (``[tool.dg]`` in
pyproject.toml, a src layout, ``@definitions`` returning ``load_from_defs_folder(...)``, a ``defs/``
folder with nested folders, a namespace package and an ``@definitions`` file of resources);
``projects/modules_project`` is the older layout (``[tool.dagster] module_name``,
``load_assets_from_modules``/``load_assets_from_package_module`` with ``group_name`` and ``key_prefix``,
``load_asset_checks_from_modules``). ``project_scripts/inspect_project.py`` prints what each defines and
what a run of it does; ``projects/<name>.expected.txt`` is its output under Dagster 1.13.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROJECTS = HERE / "projects"
INSPECT = HERE / "project_scripts" / "inspect_project.py"
SHIM = """
import runpy, sys
import headwater.compat
headwater.compat.install_dagster_aliases()  # dagster and the private modules projects import
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "HEADWATER_HOME", "PYTHONPATH")}
    return {**env, "HEADWATER_HOME": str(home), "PYTHONHASHSEED": "0"}


@pytest.fixture
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A copy of the named project (so runs write nothing into the repository)."""
    target = tmp_path / request.param
    shutil.copytree(PROJECTS / request.param, target)
    return target


@pytest.mark.parametrize(
    "project", ["scaffold_project", "modules_project", "components_project"], indirect=True
)
def test_project_defines_and_runs_what_it_does_under_dagster(project: Path, tmp_path: Path) -> None:
    expected = (PROJECTS / f"{project.name}.expected.txt").read_text(encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", SHIM, str(INSPECT), str(project)],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            out.stdout.splitlines(keepends=True),
            fromfile="under Dagster",
            tofile="under Headwater",
        )
    )
    assert out.returncode == 0 and not diff, f"{diff}\n--- stderr ---\n{out.stderr[-3000:]}"


def _headwater(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", *args],
        cwd=cwd,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("project", ["scaffold_project", "modules_project"], indirect=True)
def test_the_cli_finds_the_project_from_pyproject(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    listed = _headwater(project, home, "asset", "list")
    assert listed.returncode == 0, listed.stderr
    names = {"scaffold_project": "revenue", "modules_project": "analytics/doubled_count"}
    assert names[project.name] in listed.stdout
    # from a folder inside the project too, and with Dagster's comma-separated selection
    inner = next(p for p in project.rglob("*") if p.is_dir() and p.name in ("defs", "assets"))
    done = _headwater(
        inner,
        home,
        "asset",
        "materialize",
        "--select",
        "raw_orders,orders+" if project.name == "scaffold_project" else "events,sorted_events",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


@pytest.mark.parametrize("project", ["scaffold_project"], indirect=True)
def test_the_cli_selection_comma_form_unions_the_parts(project: Path, tmp_path: Path) -> None:
    listed = _headwater(project, tmp_path / "home", "asset", "list", "--select", "raw_orders,+revenue")
    assert listed.returncode == 0, listed.stderr
    shown = {line.split("│")[1].strip() for line in listed.stdout.splitlines() if line.count("│") >= 2}
    assert shown == {"raw_orders", "orders", "revenue"}


def test_without_a_project_the_cli_says_what_to_do(tmp_path: Path) -> None:
    out = _headwater(tmp_path, tmp_path / "home", "asset", "list")
    assert out.returncode != 0
    assert "-m MODULE or -f FILE" in out.stderr and "[tool.dg.project] root_module" in out.stderr


@pytest.mark.parametrize("project", ["repository_project"], indirect=True)
def test_a_legacy_repository_project_loads_in_the_cli(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    listed = _headwater(project, home, "asset", "list")
    assert listed.returncode == 0, listed.stderr
    assert "raw_numbers" in listed.stdout and "sorted_numbers" in listed.stdout
    done = _headwater(project, home, "asset", "materialize", "--select", "*")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout
    ran = _headwater(project, home, "job", "execute", "-j", "hello_job")
    assert ran.returncode == 0, ran.stdout + ran.stderr
