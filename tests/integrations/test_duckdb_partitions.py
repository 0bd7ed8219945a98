"""Partitioned assets in DuckDB: each run replaces its partition's rows (delete then insert by the
``partition_expr`` column), and a downstream asset loads one partition or several."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

import headwater as hw
from headwater.errors import InvalidDefinitionError
from headwater.integrations.duckdb import DuckDBPandasIOManager


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db)) as conn:
        return conn.execute(sql).fetchall()


def _io(db: Path) -> dict[str, Any]:
    return {"io_manager": DuckDBPandasIOManager(database=str(db))}


def test_static_partitions_are_replaced_one_at_a_time_and_loaded_together(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    colors = hw.StaticPartitionsDefinition(["red", "blue", "green"])
    version = {"v": 1}
    loaded: dict[str, Any] = {}

    @hw.asset(partitions_def=colors, metadata={"partition_expr": "color"})
    def paint(context: hw.AssetExecutionContext) -> pd.DataFrame:
        key = context.partition_key
        return pd.DataFrame({"color": [key, key], "v": [version["v"], version["v"]]})

    @hw.asset
    def palette(paint: pd.DataFrame) -> pd.DataFrame:
        loaded["rows"] = sorted(map(tuple, paint.itertuples(index=False)))
        return paint

    for key in ("red", "blue", "green"):
        assert hw.materialize([paint], partition_key=key, resources=_io(db)).success
    version["v"] = 2
    result = hw.materialize([paint], partition_key="blue", resources=_io(db))
    # the blue rows were replaced, the others kept
    assert _rows(db, "SELECT color, v FROM public.paint ORDER BY color, v") == [
        ("blue", 2), ("blue", 2), ("green", 1), ("green", 1), ("red", 1), ("red", 1)
    ]  # fmt: skip
    [mat] = result.asset_materializations_for_node("paint")
    assert mat.metadata["dagster/partition_row_count"].value == 2
    assert mat.metadata["dagster/row_count"].value == 6

    expected = [("blue", 2)] * 2 + [("green", 1)] * 2 + [("red", 1)] * 2
    assert hw.materialize([paint, palette], selection=[palette.key], resources=_io(db)).success
    assert loaded.pop("rows") == expected
    # the same through a source asset, carrying the partition_expr metadata
    source = hw.SourceAsset("paint", partitions_def=colors, metadata={"partition_expr": "color"})
    assert hw.materialize([source, palette], resources=_io(db)).success
    assert loaded.pop("rows") == expected


def test_time_window_partitions_select_start_to_end(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-05")
    loaded: dict[str, Any] = {}

    @hw.asset(partitions_def=daily, metadata={"partition_expr": "day"})
    def events(context: hw.AssetExecutionContext) -> pd.DataFrame:
        day = context.partition_time_window.start.date()
        return pd.DataFrame({"day": [day, day], "n": [1, 2]}).astype({"day": "datetime64[ns]"})

    @hw.asset(
        partitions_def=daily,
        metadata={"partition_expr": "day"},
        ins={"events": hw.AssetIn(partition_mapping=hw.TimeWindowPartitionMapping(start_offset=-1))},
    )
    def two_days(events: pd.DataFrame) -> pd.DataFrame:
        loaded["days"] = sorted({d.date() for d in events["day"]})
        return events

    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        assert hw.materialize([events], partition_key=day, resources=_io(db)).success
    assert hw.materialize([events], partition_key="2024-01-02", resources=_io(db)).success
    assert _rows(db, "SELECT count(*) FROM public.events") == [(6,)]

    assert hw.materialize(
        [events, two_days], selection=[two_days.key], partition_key="2024-01-03", resources=_io(db)
    ).success
    assert loaded["days"] == [date(2024, 1, 2), date(2024, 1, 3)]


def test_multi_partitions_replace_one_cell(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    multi = hw.MultiPartitionsDefinition(
        {
            "date": hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-03"),
            "color": hw.StaticPartitionsDefinition(["red", "blue"]),
        }
    )
    version = {"v": 1}
    loaded: dict[str, Any] = {}

    @hw.asset(partitions_def=multi, metadata={"partition_expr": {"date": "day", "color": "color"}})
    def cells(context: hw.AssetExecutionContext) -> pd.DataFrame:
        keys = context.partition_key.keys_by_dimension
        return pd.DataFrame(
            {"day": [pd.Timestamp(keys["date"])], "color": [keys["color"]], "v": [version["v"]]}
        )

    @hw.asset(partitions_def=multi, metadata={"partition_expr": {"date": "day", "color": "color"}})
    def same_cell(cells: pd.DataFrame) -> pd.DataFrame:
        loaded["rows"] = list(map(tuple, cells.itertuples(index=False)))
        return cells

    for day in ("2024-01-01", "2024-01-02"):
        for color in ("red", "blue"):
            key = hw.MultiPartitionKey({"date": day, "color": color})
            assert hw.materialize([cells], partition_key=key, resources=_io(db)).success
    version["v"] = 2
    key = hw.MultiPartitionKey({"date": "2024-01-02", "color": "red"})
    assert hw.materialize([cells], partition_key=key, resources=_io(db)).success
    assert _rows(db, "SELECT strftime(day, '%d'), color, v FROM public.cells ORDER BY 1, 2") == [
        ("01", "blue", 1), ("01", "red", 1), ("02", "blue", 1), ("02", "red", 2)
    ]  # fmt: skip

    assert hw.materialize(
        [cells, same_cell], selection=[same_cell.key], partition_key=key, resources=_io(db)
    ).success
    assert loaded["rows"] == [(pd.Timestamp("2024-01-02"), "red", 2)]


def test_a_partitioned_asset_without_partition_expr_is_an_error_saying_what_to_add(tmp_path: Path) -> None:
    @hw.asset(partitions_def=hw.StaticPartitionsDefinition(["a"]))
    def bare() -> pd.DataFrame:
        return pd.DataFrame({"x": [1]})

    with pytest.raises(InvalidDefinitionError, match=r"bare is partitioned.*partition_expr"):
        hw.materialize([bare], partition_key="a", resources=_io(tmp_path / "x.duckdb"))


def test_a_failed_write_leaves_the_partition_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "f.duckdb"
    extra = {"column": False}

    @hw.asset(partitions_def=hw.StaticPartitionsDefinition(["a", "b"]), metadata={"partition_expr": "k"})
    def keyed(context: hw.AssetExecutionContext) -> pd.DataFrame:
        frame = pd.DataFrame({"k": [context.partition_key], "v": [1]})
        return frame.assign(unknown=[0]) if extra["column"] else frame

    hw.materialize([keyed], partition_key="a", resources=_io(db))
    extra["column"] = True  # the insert into the existing table fails: no column "unknown"
    with pytest.raises(duckdb.BinderException, match="unknown"):
        hw.materialize([keyed], partition_key="a", resources=_io(db))
    assert _rows(db, "SELECT k, v FROM public.keyed") == [("a", 1)]  # the delete was rolled back


def test_load_asset_value_reads_one_time_window_partition(tmp_path: Path) -> None:
    db = tmp_path / "v.duckdb"
    daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")

    @hw.asset(partitions_def=daily, metadata={"partition_expr": "day"})
    def temps(context: hw.AssetExecutionContext) -> pd.DataFrame:
        day = pd.Timestamp(context.partition_key)
        return pd.DataFrame({"day": [day], "t": [day.day * 10]})

    defs = hw.Definitions(assets=[temps], resources=_io(db))
    for day in ("2024-01-01", "2024-01-02"):
        assert hw.materialize([temps], partition_key=day, resources=_io(db)).success
    frame = defs.load_asset_value("temps", partition_key="2024-01-02")
    assert frame["t"].tolist() == [20]
