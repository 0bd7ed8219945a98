"""polars DataFrames in DuckDB: Dagster's ``dagster_duckdb_polars`` (``DuckDBPolarsTypeHandler``,
``DuckDBPolarsIOManager``, ``duckdb_polars_io_manager``). Frames cross as Arrow tables (no copy); an
input annotated ``pl.LazyFrame`` loads as a LazyFrame."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping, Sequence

import polars as pl

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


def polars_table_schema(frame: pl.DataFrame) -> TableSchema:
    return TableSchema(columns=[TableColumn(name=n, type=str(d)) for n, d in frame.schema.items()])


def _wants_lazy(context: InputContext) -> bool:
    if not context.has_dagster_type:
        return False
    load_type = getattr(context.dagster_type, "typing_type", None)
    return isinstance(load_type, type) and issubclass(load_type, pl.LazyFrame)


class DuckDBPolarsTypeHandler(DbTypeHandler[pl.DataFrame | pl.LazyFrame]):
    """Stores and loads polars DataFrames (and LazyFrames) in DuckDB."""

    def handle_output(
        self,
        context: OutputContext,
        table_slice: TableSlice,
        obj: pl.DataFrame | pl.LazyFrame,
        connection: t.Any,
    ) -> Mapping[str, t.Any]:
        frame = obj.collect() if isinstance(obj, pl.LazyFrame) else obj
        return write_table_slice(
            context, connection, table_slice, frame.to_arrow(), polars_table_schema(frame)
        )

    def load_input(
        self, context: InputContext, table_slice: TableSlice, connection: t.Any
    ) -> pl.DataFrame | pl.LazyFrame:
        frame = t.cast(pl.DataFrame, read_relation(connection, table_slice).pl())
        return frame.lazy() if _wants_lazy(context) else frame

    @property
    def supported_types(self) -> Sequence[type[object]]:
        return [pl.DataFrame, pl.LazyFrame]


class DuckDBPolarsIOManager(DuckDBIOManager):
    """Stores polars DataFrames as DuckDB tables: ``DuckDBPolarsIOManager(database="data.duckdb")``."""

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler[t.Any]]:
        return [DuckDBPolarsTypeHandler()]

    @staticmethod
    def default_load_type() -> type[object] | None:
        return pl.DataFrame


#: The same as a function-style IO manager definition: ``duckdb_polars_io_manager.configured({...})``.
duckdb_polars_io_manager = build_duckdb_io_manager(
    [DuckDBPolarsTypeHandler()], default_load_type=pl.DataFrame
)
