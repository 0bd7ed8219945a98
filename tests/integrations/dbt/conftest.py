"""A copy of the small dbt project (jaffle_project/) per test, parsed once per session, on a DuckDB file.

dbt runs for real (the ``dbt`` program installed by scripts/_setup.sh) against DuckDB files in tmp dirs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.integrations.dbt.executable import resolve_dbt_executable

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "jaffle_project"


def dbt_available() -> bool:
    try:
        resolve_dbt_executable()
    except Exception:
        return False
    return True


@pytest.fixture(scope="session")
def parsed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """jaffle_project copied once with its manifest.json written by `dbt parse`."""
    if not dbt_available():
        pytest.fail(
            "dbt is not installed: run `source scripts/_setup.sh` (it installs dbt-core and dbt-duckdb)"
        )
    root = tmp_path_factory.mktemp("dbt") / "jaffle_project"
    shutil.copytree(PROJECT, root)
    env = {**os.environ, "DBT_PROFILES_DIR": str(root), "JAFFLE_DUCKDB_PATH": str(root / "jaffle.duckdb")}
    done = subprocess.run(
        [resolve_dbt_executable(), "parse", "--quiet"], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture
def jaffle(parsed_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh copy of the parsed project (its own target/ and DuckDB file) for one test."""
    root = tmp_path / "jaffle_project"
    shutil.copytree(parsed_project, root, ignore=shutil.ignore_patterns("*.duckdb", "logs"))
    monkeypatch.setenv("JAFFLE_DUCKDB_PATH", str(root / "jaffle.duckdb"))
    yield root
