"""pandas DataFrames in DuckDB: Dagster's ``dagster_duckdb_pandas`` (``DuckDBPandasTypeHandler``,
``DuckDBPandasIOManager``, ``duckdb_pandas_io_manager``). DuckDB reads the frame in place (no copy
through Python rows) and returns query results as a frame."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping, Sequence

import pandas as pd

from headwater.core.table import TableColumn, TableSchema
from headwater.definitions.input_context import InputContext
from headwater.definitions.output_context import OutputContext
from headwater.integrations.db_io_manager import DbTypeHandler, TableSlice
from headwater.integrations.duckdb.io_manager import (
    DuckDBIOManager,
    build_duckdb_io_manager,
    read_relation,
    write_table_slice,
)


def pandas_table_schema(frame: pd.DataFrame) -> TableSchema:
    return TableSchema(columns=[TableColumn(name=str(n), type=str(d)) for n, d in frame.dtypes.items()])


class DuckDBPandasTypeHandler(DbTypeHandler[pd.DataFrame]):
    """Stores and loads pandas DataFrames in DuckDB."""

    def handle_output(
        self, context: OutputContext, table_slice: TableSlice, obj: pd.DataFrame, connection: t.Any
    ) -> Mapping[str, t.Any]:
        return write_table_slice(context, connection, table_slice, obj, pandas_table_schema(obj))

    def load_input(self, context: InputContext, table_slice: TableSlice, connection: t.Any) -> pd.DataFrame:
        return t.cast(pd.DataFrame, read_relation(connection, table_slice).df())

    @property
    def supported_types(self) -> Sequence[type[object]]:
        return [t.cast(type[object], pd.DataFrame)]


class DuckDBPandasIOManager(DuckDBIOManager):
    """Stores pandas DataFrames as DuckDB tables: ``DuckDBPandasIOManager(database="data.duckdb")``."""

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler[t.Any]]:
        return [DuckDBPandasTypeHandler()]

    @staticmethod
    def default_load_type() -> type[object] | None:
        return t.cast(type[object], pd.DataFrame)


#: The same as a function-style IO manager definition: ``duckdb_pandas_io_manager.configured({...})``.
duckdb_pandas_io_manager = build_duckdb_io_manager(
    [DuckDBPandasTypeHandler()], default_load_type=pd.DataFrame
)
