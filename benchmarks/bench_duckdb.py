"""The DuckDB IO manager against plain ``duckdb`` calls: a 1,000,000-row pandas DataFrame (int, float,
string and timestamp columns) stored into a DuckDB file and loaded back.

* the ratio of ``DuckDBPandasIOManager`` (``handle_output`` then ``load_input`` on contexts built with
  ``build_output_context``/``build_input_context``: connecting with the lock retry, schema, transaction,
  table metadata) to plain duckdb (``duckdb.connect(file)``, ``CREATE OR REPLACE TABLE t AS SELECT *
  FROM df``, close; ``duckdb.connect(file)``, ``SELECT * FROM t``, ``.df()``, close -- the floor). The
  two run interleaved in one worker, 5 passes each, medians, so that a shared machine's load weighs on
  both alike; the ms of each and the store and load ratios are shown beside;
* ``materialize``: an asset returning the frame and one loading it, in process (adds the run around it),
  median of 5.

The harness reports medians over worker processes. ``--dagster PY`` runs the same with Dagster's
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


def _passes(ways: dict[str, tuple[Callable[[str], None], Callable[[str], Any]]]) -> dict[str, list[float]]:
    """Store and load ms of each way, PASSES times, the ways interleaved (so that the machine's load
    weighs on them alike), each pass on a fresh database file."""
    times: dict[str, list[float]] = {f"{name} {part}": [] for name in ways for part in ("store", "load")}
    tmp = tempfile.mkdtemp(prefix="bench-duckdb-")
    try:
        for i in range(PASSES):
            for name, (store, load) in ways.items():
                db = os.path.join(tmp, f"{name}{i}.duckdb")
                t0 = time.perf_counter()
                store(db)
                t1 = time.perf_counter()
                loaded = load(db)
                t2 = time.perf_counter()
                assert len(loaded) == ROWS, len(loaded)
                times[f"{name} store"].append((t1 - t0) * 1000)
                times[f"{name} load"].append((t2 - t1) * 1000)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return times


def _plain_duckdb(df: Any) -> tuple[Callable[[str], None], Callable[[str], Any]]:
    import duckdb

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

    return store, load


def _pandas_io_manager(lib: str) -> Any:
    if lib == "headwater":
        from headwater.compat.dagster_duckdb_pandas import DuckDBPandasIOManager
    else:
        from dagster_duckdb_pandas import DuckDBPandasIOManager  # type: ignore[import-not-found,no-redef]
    return DuckDBPandasIOManager


def _io_manager_calls(
    dg: ModuleType, lib: str, df: Any
) -> tuple[Callable[[str], None], Callable[[str], Any]]:
    key = dg.AssetKey(["bench", "frame"])
    any_type: dict[str, Any] = {}
    if lib == "dagster":  # Dagster's InputContext needs a DagsterType to pick the load type
        from dagster._core.types.dagster_type import resolve_dagster_type  # type: ignore[import-not-found]

        any_type["dagster_type"] = resolve_dagster_type(Any)

    def config(db: str) -> dict[str, Any]:
        # Dagster's DuckDB client reads the connection settings from the context's resource config
        return {"database": db, "connection_config": {}, "schema": None}

    def manager(db: str) -> Any:
        return _pandas_io_manager(lib)(database=db).create_io_manager(dg.build_init_resource_context())

    def store(db: str) -> None:
        out = dg.build_output_context(asset_key=key, resource_config=config(db))
        manager(db).handle_output(out, df)

    def load(db: str) -> Any:
        upstream = dg.build_output_context(asset_key=key, resource_config=config(db))
        context = dg.build_input_context(
            asset_key=key, upstream_output=upstream, resource_config=config(db), **any_type
        )
        return manager(db).load_input(context)

    return store, load


def io_manager_vs_plain(dg: ModuleType, lib: str) -> Outcome:
    df = _frame()
    times = _passes({"plain": _plain_duckdb(df), "io": _io_manager_calls(dg, lib, df)})
    med = {k: statistics.median(v) for k, v in times.items()}
    plain, io = med["plain store"] + med["plain load"], med["io store"] + med["io load"]
    return {
        "value": io / plain,
        "plain ms": plain,
        "IO manager ms": io,
        "store x": med["io store"] / med["plain store"],
        "load x": med["io load"] / med["plain load"],
    }


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


CASES = [
    Case("DuckDBPandasIOManager / plain duckdb: store + load 1M rows", unit="x", fn=io_manager_vs_plain,
         extras=("plain ms", "IO manager ms", "store x", "load x")),
    Case("materialize: asset of 1M rows + one loading it", unit="ms", fn=materialize_two_assets),
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_duckdb", "DuckDB IO manager vs plain duckdb", CASES))
