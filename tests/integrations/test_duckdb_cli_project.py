"""A Dagster project file importing ``dagster``, ``dagster_duckdb`` and ``dagster_duckdb_pandas`` runs
unchanged through the command line (the loader's aliases)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

PROJECT = """
import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource
from dagster_duckdb_pandas import DuckDBPandasIOManager

DB = "warehouse.duckdb"


@dg.asset(key_prefix=["raw"])
def orders() -> pd.DataFrame:
    return pd.DataFrame({"id": [1, 2, 3], "amount": [3.0, 4.0, 5.0]})


@dg.asset(ins={"orders": dg.AssetIn(key=["raw", "orders"])})
def total(orders: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"total": [orders["amount"].sum()]})


@dg.asset(deps=[total])
def audit(duckdb: DuckDBResource) -> None:
    with duckdb.get_connection() as conn:
        conn.execute("CREATE OR REPLACE TABLE public.audit AS SELECT total * 2 AS doubled FROM public.total")


defs = dg.Definitions(
    assets=[orders, total, audit],
    resources={"io_manager": DuckDBPandasIOManager(database=DB), "duckdb": DuckDBResource(database=DB)},
    executor=dg.multiprocess_executor,
)
"""


def test_the_cli_materializes_a_dagster_duckdb_project(tmp_path: Path) -> None:
    (tmp_path / "project.py").write_text(textwrap.dedent(PROJECT))
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "HEADWATER_HOME")}
    env["HEADWATER_HOME"] = str(tmp_path / "home")
    command = ["asset", "materialize", "--select", "*", "-f", "project.py"]
    done = subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        assert conn.execute("SELECT count(*) FROM raw.orders").fetchall() == [(3,)]
        assert conn.execute("SELECT doubled FROM public.audit").fetchall() == [(24.0,)]
