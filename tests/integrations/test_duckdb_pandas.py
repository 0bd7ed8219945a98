"""DuckDBPandasIOManager against a real DuckDB file: tables from asset keys, loads, columns, metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

import headwater as hw
from headwater.errors import InvalidPropertyError
from headwater.integrations.duckdb import (
    DuckDBIOManager,
    DuckDBPandasIOManager,
    DuckDBPandasTypeHandler,
    DuckDBResource,
    build_duckdb_io_manager,
)


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db)) as conn:
        return conn.execute(sql).fetchall()


def _metadata(result: Any, node: str) -> dict[str, Any]:
    [mat] = result.asset_materializations_for_node(node)
    return {k: getattr(v, "value", v) for k, v in mat.metadata.items()}


def test_a_frame_is_stored_as_a_table_and_loaded_downstream(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"

    @hw.asset(key_prefix=["analytics"])
    def orders() -> pd.DataFrame:
        return pd.DataFrame({"id": [1, 2, 3], "amount": [10.5, 20.0, 7.25]})

    @hw.asset(key_prefix=["analytics"], ins={"orders": hw.AssetIn(key=["analytics", "orders"])})
    def total(orders: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"total": [orders["amount"].sum()]})

    result = hw.materialize(
        [orders, total], resources={"io_manager": DuckDBPandasIOManager(database=str(db))}
    )
    assert result.success
    assert _rows(db, "SELECT id, amount FROM analytics.orders ORDER BY id") == [
        (1, 10.5),
        (2, 20.0),
        (3, 7.25),
    ]
    assert _rows(db, "SELECT total FROM analytics.total") == [(37.75,)]

    meta = _metadata(result, "analytics__orders")
    assert meta["dagster/row_count"] == 3
    assert meta["dagster/table_name"] == f"{db}.analytics.orders"
    assert [(c.name, c.type) for c in meta["dagster/column_schema"].columns] == [
        ("id", "int64"),
        ("amount", "float64"),
    ]


def test_rematerializing_replaces_the_table_even_with_other_columns(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    width = {"n": 2}

    @hw.asset
    def wide() -> pd.DataFrame:
        return pd.DataFrame({f"c{i}": [i] for i in range(width["n"])})

    io = DuckDBPandasIOManager(database=str(db))
    hw.materialize([wide], resources={"io_manager": io})
    width["n"] = 3
    hw.materialize([wide], resources={"io_manager": io})
    assert _rows(db, "SELECT * FROM public.wide") == [(0, 1, 2)]


def test_schema_from_metadata_then_config_then_key_prefix(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"

    @hw.asset(key_prefix=["prefix"], metadata={"schema": "from_meta"})
    def a() -> pd.DataFrame:
        return pd.DataFrame({"x": [1]})

    @hw.asset(key_prefix=["prefix"])
    def b() -> pd.DataFrame:
        return pd.DataFrame({"x": [2]})

    hw.materialize([a, b], resources={"io_manager": DuckDBPandasIOManager(database=str(db))})
    assert _rows(db, "SELECT x FROM from_meta.a") == [(1,)]
    assert _rows(db, "SELECT x FROM prefix.b") == [(2,)]

    hw.materialize([b], resources={"io_manager": DuckDBPandasIOManager(database=str(db), schema="cfg")})
    assert _rows(db, "SELECT x FROM cfg.b") == [(2,)]


def test_schema_can_be_given_in_run_config(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"

    @hw.asset
    def c() -> pd.DataFrame:
        return pd.DataFrame({"x": [3]})

    result = hw.materialize(
        [c],
        resources={"io_manager": DuckDBPandasIOManager.configure_at_launch()},
        run_config={"resources": {"io_manager": {"config": {"database": str(db), "schema": "launched"}}}},
    )
    assert result.success
    assert _rows(db, "SELECT x FROM launched.c") == [(3,)]


def test_columns_metadata_selects_columns_on_load(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    seen: dict[str, list[str]] = {}

    @hw.asset
    def people() -> pd.DataFrame:
        return pd.DataFrame({"name": ["a", "b"], "age": [30, 40], "city": ["x", "y"]})

    @hw.asset(ins={"people": hw.AssetIn(metadata={"columns": ["name", "age"]})})
    def ages(people: pd.DataFrame) -> pd.DataFrame:
        seen["columns"] = list(people.columns)
        return people

    hw.materialize([people, ages], resources={"io_manager": DuckDBPandasIOManager(database=str(db))})
    assert seen["columns"] == ["name", "age"]


def test_an_unannotated_input_loads_the_default_type(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"

    @hw.asset
    def up() -> pd.DataFrame:
        return pd.DataFrame({"x": [1, 2]})

    @hw.asset
    def down(up):  # type: ignore[no-untyped-def]
        assert isinstance(up, pd.DataFrame)
        return up

    assert hw.materialize(
        [up, down], resources={"io_manager": DuckDBPandasIOManager(database=str(db))}
    ).success


def test_the_base_io_manager_needs_type_handlers(tmp_path: Path) -> None:
    """As in Dagster, DuckDBIOManager is abstract: a subclass names its type handlers."""
    with pytest.raises(TypeError, match="abstract method type_handlers"):
        DuckDBIOManager(database=str(tmp_path / "w.duckdb"))  # type: ignore[abstract]


def test_build_duckdb_io_manager_and_a_subclass_with_type_handlers(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"

    class MyDuckDB(DuckDBIOManager):
        @staticmethod
        def type_handlers() -> list[DuckDBPandasTypeHandler]:
            return [DuckDBPandasTypeHandler()]

    @hw.asset
    def one() -> pd.DataFrame:
        return pd.DataFrame({"x": [1]})

    @hw.asset
    def two(one: pd.DataFrame) -> pd.DataFrame:
        return one + 1

    built = build_duckdb_io_manager([DuckDBPandasTypeHandler()]).configured({"database": str(db)})
    assert hw.materialize([one, two], resources={"io_manager": built}).success
    assert _rows(db, "SELECT x FROM public.two") == [(2,)]
    assert hw.materialize([one, two], resources={"io_manager": MyDuckDB(database=str(db))}).success


def test_a_value_of_an_unsupported_type_is_an_error_naming_the_asset(tmp_path: Path) -> None:
    @hw.asset
    def not_a_frame() -> list[int]:
        return [1, 2]

    with pytest.raises(InvalidPropertyError, match=r"not_a_frame.*builtins.list.*pandas"):
        hw.materialize(
            [not_a_frame], resources={"io_manager": DuckDBPandasIOManager(database=str(tmp_path / "d"))}
        )


def test_loading_a_table_never_written_says_what_to_materialize(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"

    @hw.asset
    def never() -> pd.DataFrame:
        return pd.DataFrame({"x": [1]})

    @hw.asset
    def reader(never: pd.DataFrame) -> None:
        pass

    with pytest.raises(Exception, match="Materialize the upstream asset first"):
        hw.materialize(
            [never.to_source_asset() if hasattr(never, "to_source_asset") else never, reader],
            selection=[reader.key],
            resources={"io_manager": DuckDBPandasIOManager(database=str(db))},
        )


def test_the_resource_gives_a_connection_closed_after_the_block(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"

    @hw.asset
    def made(duckdb: DuckDBResource) -> None:
        with duckdb.get_connection() as conn:
            conn.execute("CREATE TABLE t AS SELECT 42 AS answer")

    resource = DuckDBResource(database=str(db), connection_config={"threads": 1})
    assert hw.materialize([made], resources={"duckdb": resource}).success
    assert _rows(db, "SELECT answer FROM t") == [(42,)]
    with resource.get_connection() as conn:
        assert conn.execute("SELECT current_setting('threads')").fetchone() == (1,)
    with pytest.raises(duckdb.ConnectionException):
        conn.execute("SELECT 1")


def test_op_outputs_are_tables_named_by_the_output(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"

    @hw.op(out={"numbers": hw.Out(metadata={"schema": "work"})})
    def make() -> pd.DataFrame:
        return pd.DataFrame({"n": [1, 2, 3]})

    seen: list[int] = []

    @hw.op
    def total(numbers: pd.DataFrame) -> None:
        seen.append(int(numbers["n"].sum()))

    @hw.job(resource_defs={"io_manager": DuckDBPandasIOManager(database=str(db))})
    def numbers_job() -> None:
        total(make())

    assert numbers_job.execute_in_process().success
    assert seen == [6]
    assert _rows(db, "SELECT n FROM work.numbers ORDER BY n") == [(1,), (2,), (3,)]


def test_an_empty_frame_is_an_empty_table_with_its_columns(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"

    @hw.asset
    def nothing_yet() -> pd.DataFrame:
        return pd.DataFrame({"id": pd.Series([], dtype="int64"), "name": pd.Series([], dtype="object")})

    result = hw.materialize([nothing_yet], resources={"io_manager": DuckDBPandasIOManager(database=str(db))})
    assert _metadata(result, "nothing_yet")["dagster/row_count"] == 0
    columns = "SELECT column_name FROM information_schema.columns WHERE table_name = 'nothing_yet'"
    assert _rows(db, columns) == [("id",), ("name",)]
