"""A project written for Dagster and dagster-dbt runs unchanged through Headwater's compat aliases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFS = HERE / "dagster_project" / "definitions.py"


def _cli(jaffle: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEADWATER_HOME": str(home), "JAFFLE_PROJECT_DIR": str(jaffle)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", *args, "-f", str(DEFS)],
        cwd=jaffle,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_dagster_dbt_project_runs_unchanged(jaffle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    listed = _cli(jaffle, home, "asset", "list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    for key in (
        "raw_orders",
        "stg_orders",
        "customers",
        "customers_snapshot",
        "daily_revenue",
        "customer_count",
    ):
        assert key in listed.stdout, key
    assert "dbt_model" in listed.stdout  # the custom translator's groups

    done = _cli(jaffle, home, "asset", "materialize", "--select", "* and not key:daily_revenue")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "materialized customers" in done.stdout
    assert "check stg_orders:assert_amounts_positive passed" in done.stdout
    assert "materialized customer_count (customers=3)" in done.stdout

    daily = _cli(
        jaffle, home, "asset", "materialize", "--select", "key:daily_revenue", "--partition", "2026-11-02"
    )
    assert daily.returncode == 0, daily.stdout + daily.stderr
    assert "materialized daily_revenue" in daily.stdout
