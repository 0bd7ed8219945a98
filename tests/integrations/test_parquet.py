"""ParquetIOManager on the local filesystem: one Parquet file per asset or partition, read back with
pandas or polars, partition ranges as one frame."""

# No `from __future__ import annotations`: the assets' annotations are evaluated where they are defined
# (a parametrized frame type), as the IO manager reads them.
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

import headwater as hw
from headwater.integrations.parquet import ParquetIOManager

DAILY = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")


def _io(base: Path, **kwargs: Any) -> dict[str, Any]:
    return {"io_manager": ParquetIOManager(base_dir=str(base), **kwargs)}


def test_a_pandas_frame_is_one_parquet_file_read_back_with_selected_columns(tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    @hw.asset(key_prefix=["raw"])
    def people() -> pd.DataFrame:
        return pd.DataFrame({"name": ["a", "b"], "age": [30, 40], "city": ["x", "y"]})

    @hw.asset(ins={"people": hw.AssetIn(key=["raw", "people"], metadata={"columns": ["name", "age"]})})
    def ages(people: pd.DataFrame) -> pd.DataFrame:
        seen["columns"] = list(people.columns)
        return people

    result = hw.materialize([people, ages], resources=_io(tmp_path))
    assert result.success
    assert pq.read_table(tmp_path / "raw" / "people.parquet").to_pydict() == {
        "name": ["a", "b"],
        "age": [30, 40],
        "city": ["x", "y"],
    }
    assert seen["columns"] == ["name", "age"]
    [mat] = result.asset_materializations_for_node("raw__people")
    assert mat.metadata["dagster/row_count"].value == 2
    assert [c.name for c in mat.metadata["dagster/column_schema"].value.columns] == ["name", "age", "city"]
    assert mat.metadata["path"].value == str(tmp_path / "raw" / "people.parquet")


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_one_file_per_partition_and_a_range_loads_as_one_frame(tmp_path: Path, library: str) -> None:
    loaded: dict[str, Any] = {}
    frame_type: Any = pd.DataFrame if library == "pandas" else pl.DataFrame

    @hw.asset(partitions_def=DAILY)
    def readings(context: hw.AssetExecutionContext) -> Any:
        day = context.partition_key
        return frame_type({"day": [day, day], "value": [1, 2]})

    @hw.asset(
        partitions_def=DAILY,
        ins={"readings": hw.AssetIn(partition_mapping=hw.TimeWindowPartitionMapping(start_offset=-1))},
    )
    def window(readings: frame_type) -> Any:  # type: ignore[valid-type]
        loaded["window"] = readings
        return readings

    @hw.asset
    def everything(readings: frame_type) -> Any:  # type: ignore[valid-type]
        loaded["all"] = readings
        return readings

    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        assert hw.materialize([readings], partition_key=day, resources=_io(tmp_path)).success
    files = sorted(p.name for p in (tmp_path / "readings").iterdir())
    assert files == ["2024-01-01.parquet", "2024-01-02.parquet", "2024-01-03.parquet"]

    assert hw.materialize(
        [readings, window], selection=[window.key], partition_key="2024-01-03", resources=_io(tmp_path)
    ).success
    window_frame = loaded["window"]
    assert isinstance(window_frame, frame_type)
    assert list(window_frame["day"]) == ["2024-01-02"] * 2 + ["2024-01-03"] * 2

    assert hw.materialize([readings, everything], selection=[everything.key], resources=_io(tmp_path)).success
    assert list(loaded["all"]["day"]) == [d for d in ("2024-01-01", "2024-01-02", "2024-01-03") for _ in "ab"]
    assert (tmp_path / "everything.parquet").exists()


def test_a_dict_annotation_gets_one_frame_per_partition(tmp_path: Path) -> None:
    loaded: dict[str, Any] = {}

    @hw.asset(partitions_def=DAILY)
    def readings(context: hw.AssetExecutionContext) -> pd.DataFrame:
        return pd.DataFrame({"day": [context.partition_key]})

    @hw.asset
    def per_day(readings: dict[str, pd.DataFrame]) -> None:
        loaded.update(readings)

    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        hw.materialize([readings], partition_key=day, resources=_io(tmp_path))
    hw.materialize([readings, per_day], selection=[per_day.key], resources=_io(tmp_path))
    assert sorted(loaded) == ["2024-01-01", "2024-01-02", "2024-01-03"]
    assert loaded["2024-01-02"]["day"].tolist() == ["2024-01-02"]


def test_polars_lazy_frames_and_the_default_load_type(tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    @hw.asset
    def lazy_out() -> pl.LazyFrame:
        return pl.LazyFrame({"x": [1, 2, 3]})

    @hw.asset
    def lazy_in(lazy_out: pl.LazyFrame) -> pl.DataFrame:
        seen["lazy"] = type(lazy_out)
        return lazy_out.collect()

    @hw.asset
    def untyped(lazy_out):  # type: ignore[no-untyped-def]
        seen["untyped"] = type(lazy_out)
        return lazy_out

    resources = _io(tmp_path, default_load_type="polars")
    assert hw.materialize([lazy_out, lazy_in, untyped], resources=resources).success
    assert seen == {"lazy": pl.LazyFrame, "untyped": pl.DataFrame}
    assert pl.read_parquet(tmp_path / "lazy_in.parquet")["x"].to_list() == [1, 2, 3]


def test_a_value_that_is_not_a_frame_is_an_error_naming_the_asset(tmp_path: Path) -> None:
    @hw.asset
    def numbers() -> list[int]:
        return [1]

    with pytest.raises(Exception, match=r"cannot store the output of numbers.*builtins.list"):
        hw.materialize([numbers], resources=_io(tmp_path))
