"""examples/dbt_shop end to end through the CLI, in real processes: CSV → DuckDB → dbt → report, a daily
partition, and a failing dbt test reported as a failed check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "dbt_shop"


def _materialize(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DBT_SHOP_DATABASE", "HEADWATER_HOME")}
    env["HEADWATER_HOME"] = str(home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "headwater.cli.main",
            "asset",
            "materialize",
            *args,
            "-m",
            "dbt_shop.definitions",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_example_materializes_end_to_end_from_the_cli(tmp_path: Path) -> None:
    project = tmp_path / "dbt_shop"
    shutil.copytree(
        EXAMPLE, project, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb", "__pycache__")
    )
    home = tmp_path / "home"

    done = _materialize(project, home, "--select", "* and not key:daily_order_stats")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for line in (
        "materialized raw_orders",
        "materialized staging/stg_orders",
        "materialized countries",
        "materialized marts/revenue_by_country",
        "check staging/stg_orders:assert_amounts_positive passed",
        "check marts/customer_revenue:unique_customer_revenue_customer_id passed",
        "materialized revenue_report (plot='![Revenue by country](data:image/png;base64,",
    ):
        assert line in out, line
    png = home / "reports" / "revenue_by_country.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    daily = _materialize(project, home, "--select", "key:daily_order_stats", "--partition", "2026-11-03")
    assert daily.returncode == 0, daily.stdout + daily.stderr
    con = duckdb.connect(str(home / "dbt_shop.duckdb"), read_only=True)
    try:
        expected = con.execute(
            "select count(*) from raw.orders where ordered_at = date '2026-11-03'"
        ).fetchone()
        stats = con.execute("select orders from marts.daily_order_stats").fetchall()
    finally:
        con.close()
    assert expected is not None and stats == [(expected[0],)]

    # a negative amount in the CSV: dbt's singular test fails, and so does the run, with a failed check
    orders = project / "dbt_shop" / "data" / "orders.csv"
    orders.write_text(orders.read_text() + "9999,1,2026-11-14,completed,-5.00\n")
    failed = _materialize(project, home, "--select", "* and not key:daily_order_stats")
    assert failed.returncode != 0
    assert "check staging/stg_orders:assert_amounts_positive failed" in failed.stdout, failed.stdout
    assert "assert_amounts_positive" in failed.stdout + failed.stderr
