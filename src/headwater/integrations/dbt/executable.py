"""Finding the ``dbt`` program, and the environment a dbt subprocess runs in."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from headwater.integrations.dbt.errors import DagsterDbtError


def resolve_dbt_executable(name: str = "dbt") -> str:
    """``name`` on PATH, else next to this interpreter (a venv's bin/), else an error saying what to do."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    raise DagsterDbtError(
        f"Cannot find the dbt executable {name!r} (not on PATH, nor beside {sys.executable}). Install dbt "
        "(`pip install 'headwater[dbt]'`, or dbt-core with your adapter) or pass "
        "DbtCliResource(dbt_executable='/path/to/dbt')."
    )


def dbt_environment(target_path: Path, profiles_dir: str | None) -> dict[str, str]:
    """The environment of a dbt subprocess: JSON logs, its own target and log directory."""
    env = dict(os.environ)
    env["DBT_LOG_FORMAT"] = "json"
    env["DBT_TARGET_PATH"] = str(target_path)
    env["DBT_LOG_PATH"] = str(target_path)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    if profiles_dir:
        env["DBT_PROFILES_DIR"] = str(Path(profiles_dir).resolve())
    return env
