"""DuckDBPolarsIOManager against a real DuckDB file: DataFrames and LazyFrames, columns, partitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

import headwater as hw
from headwater.integrations.duckdb import DuckDBPolarsIOManager, duckdb_polars_io_manager


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db)) as conn:
        return conn.execute(sql).fetchall()


def test_polars_frames_are_stored_and_loaded_eager_or_lazy(tmp_path: Path) -> None:
    db = tmp_path / "pl.duckdb"
    seen: dict[str, Any] = {}

    @hw.asset(key_prefix=["raw"])
    def trips() -> pl.DataFrame:
        return pl.DataFrame({"id": [1, 2, 3], "km": [1.5, 2.5, 3.0], "city": ["a", "b", "a"]})

    @hw.asset(ins={"trips": hw.AssetIn(key=["raw", "trips"], metadata={"columns": ["id", "km"]})})
    def eager(trips: pl.DataFrame) -> pl.DataFrame:
        seen["eager"] = (type(trips), trips.columns)
        return trips.select(pl.col("km").sum())

    @hw.asset(ins={"trips": hw.AssetIn(key=["raw", "trips"])})
    def lazy(trips: pl.LazyFrame) -> pl.LazyFrame:
        seen["lazy"] = type(trips)
        return trips.filter(pl.col("city") == "a")

    result = hw.materialize(
        [trips, eager, lazy], resources={"io_manager": DuckDBPolarsIOManager(database=str(db))}
    )
    assert result.success
    assert seen == {"eager": (pl.DataFrame, ["id", "km"]), "lazy": pl.LazyFrame}
    assert _rows(db, "SELECT km FROM public.eager") == [(7.0,)]
    assert _rows(db, "SELECT id FROM public.lazy ORDER BY id") == [(1,), (3,)]
    [mat] = result.asset_materializations_for_node("raw__trips")
    assert mat.metadata["dagster/row_count"].value == 3
    assert [(c.name, c.type) for c in mat.metadata["dagster/column_schema"].value.columns] == [
        ("id", "Int64"),
        ("km", "Float64"),
        ("city", "String"),
    ]


def test_polars_partitions_through_the_function_style_io_manager(tmp_path: Path) -> None:
    db = tmp_path / "pl.duckdb"
    regions = hw.StaticPartitionsDefinition(["eu", "us"])
    io = {"io_manager": duckdb_polars_io_manager.configured({"database": str(db), "schema": "s"})}

    @hw.asset(partitions_def=regions, metadata={"partition_expr": "region"})
    def sales(context: hw.AssetExecutionContext) -> pl.DataFrame:
        return pl.DataFrame({"region": [context.partition_key] * 2, "n": [1, 2]})

    @hw.asset
    def total(sales: pl.DataFrame) -> pl.DataFrame:
        return sales.group_by("region").agg(pl.col("n").sum()).sort("region")

    for key in ("eu", "us", "eu"):
        assert hw.materialize([sales], partition_key=key, resources=io).success
    assert _rows(db, "SELECT region, count(*) FROM s.sales GROUP BY region ORDER BY region") == [
        ("eu", 2),
        ("us", 2),
    ]
    assert hw.materialize([sales, total], selection=[total.key], resources=io).success
    assert _rows(db, "SELECT region, n FROM s.total ORDER BY region") == [("eu", 3), ("us", 3)]
