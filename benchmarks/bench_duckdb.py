"""The DuckDB IO manager against plain ``duckdb`` calls: a 1,000,000-row pandas DataFrame (int, float,
string and timestamp columns) stored into a DuckDB file and loaded back.

* plain duckdb: ``duckdb.connect(file)``, ``CREATE OR REPLACE TABLE t AS SELECT * FROM df``, close;
  ``duckdb.connect(file)``, ``SELECT * FROM t``, ``.df()``, close -- the floor;
* ``DuckDBPandasIOManager``: ``handle_output`` then ``load_input`` on contexts built with
  ``build_output_context``/``build_input_context`` (the IO manager's own cost: connecting with the lock
  retry, schema, table metadata);
* ``materialize``: an asset returning the frame and one loading it, in process (adds the run around it).

Each figure is the median of 5 passes in the worker (store + load in ms; ``store``/``load`` beside it);
the harness reports medians over worker processes. ``--dagster PY`` runs the same with Dagster's
``dagster_duckdb_pandas`` (``pip install dagster-duckdb-pandas`` into that interpreter).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from benchmarks._harness import Case, Outcome, main

ROWS = 1_000_000
PASSES = 5


def _frame() -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "id": np.arange(ROWS, dtype="int64"),
            "value": rng.random(ROWS),
            "category": pd.Series(rng.integers(0, 50, ROWS)).map(lambda i: f"cat_{i}"),
            "ts": pd.date_range("2024-01-01", periods=ROWS, freq="s"),
        }
    )


def _passes(store: Callable[[str], None], load: Callable[[str], Any]) -> Outcome:
    """Median store, load and total ms over PASSES, each pass on a fresh database file."""
    stores, loads, totals = [], [], []
    tmp = tempfile.mkdtemp(prefix="bench-duckdb-")
    try:
        for i in range(PASSES):
            db = os.path.join(tmp, f"pass{i}.duckdb")
            t0 = time.perf_counter()
            store(db)
            t1 = time.perf_counter()
            loaded = load(db)
            t2 = time.perf_counter()
            assert len(loaded) == ROWS, len(loaded)
            stores.append((t1 - t0) * 1000)
            loads.append((t2 - t1) * 1000)
            totals.append((t2 - t0) * 1000)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "value": statistics.median(totals),
        "store ms": statistics.median(stores),
        "load ms": statistics.median(loads),
    }


def plain_duckdb(dg: ModuleType, lib: str) -> Outcome:
    import duckdb

    df = _frame()

    def store(db: str) -> None:
        conn = duckdb.connect(db)
        conn.register("df_view", df)
        conn.execute("CREATE OR REPLACE TABLE t AS SELECT * FROM df_view")
        conn.close()

    def load(db: str) -> Any:
        conn = duckdb.connect(db)
        out = conn.sql("SELECT * FROM t").df()
        conn.close()
        return out

    return _passes(store, load)


def _pandas_io_manager(lib: str) -> Any:
    if lib == "headwater":
        from headwater.compat.dagster_duckdb_pandas import DuckDBPandasIOManager
    else:
        from dagster_duckdb_pandas import DuckDBPandasIOManager  # type: ignore[import-not-found,no-redef]
    return DuckDBPandasIOManager


def io_manager_calls(dg: ModuleType, lib: str) -> Outcome:
    df = _frame()
    key = dg.AssetKey(["bench", "frame"])

    def manager(db: str) -> Any:
        return _pandas_io_manager(lib)(database=db).create_io_manager(dg.build_init_resource_context())

    any_type: dict[str, Any] = {}
    if lib == "dagster":  # Dagster's InputContext needs a DagsterType to pick the load type
        from dagster._core.types.dagster_type import resolve_dagster_type  # type: ignore[import-not-found]

        any_type["dagster_type"] = resolve_dagster_type(Any)

    def config(db: str) -> dict[str, Any]:
        # Dagster's DuckDB client reads the connection settings from the context's resource config
        return {"database": db, "connection_config": {}, "schema": None}

    def store(db: str) -> None:
        out = dg.build_output_context(asset_key=key, resource_config=config(db))
        manager(db).handle_output(out, df)

    def load(db: str) -> Any:
        upstream = dg.build_output_context(asset_key=key, resource_config=config(db))
        context = dg.build_input_context(
            asset_key=key, upstream_output=upstream, resource_config=config(db), **any_type
        )
        return manager(db).load_input(context)

    return _passes(store, load)


def materialize_two_assets(dg: ModuleType, lib: str) -> Outcome:
    df = _frame()
    seen: dict[str, int] = {}

    @dg.asset
    def frame() -> Any:
        return df

    @dg.asset
    def rows(frame: Any) -> None:
        seen["rows"] = len(frame)

    tmp = tempfile.mkdtemp(prefix="bench-duckdb-")
    try:
        times = []
        for i in range(PASSES):
            io = _pandas_io_manager(lib)(database=os.path.join(tmp, f"m{i}.duckdb"))
            t = time.perf_counter()
            result = dg.materialize([frame, rows], resources={"io_manager": io})
            times.append((time.perf_counter() - t) * 1000)
            assert result.success and seen["rows"] == ROWS
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"value": statistics.median(times)}


EXTRAS = ("store ms", "load ms")
CASES = [
    Case("plain duckdb: store + load 1M rows", unit="ms", fn=plain_duckdb, libs=("headwater",),
         extras=EXTRAS),
    Case("DuckDBPandasIOManager: handle_output + load_input, 1M rows", unit="ms", fn=io_manager_calls,
         extras=EXTRAS),
    Case("materialize: asset of 1M rows + one loading it", unit="ms", fn=materialize_two_assets),
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_duckdb", "DuckDB IO manager vs plain duckdb", CASES))
