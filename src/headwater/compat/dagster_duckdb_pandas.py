"""``dagster_duckdb_pandas`` under Headwater (``from dagster_duckdb_pandas import DuckDBPandasIOManager``)."""

from __future__ import annotations

from headwater.integrations.duckdb.pandas_type_handler import (
    DuckDBPandasIOManager,
    DuckDBPandasTypeHandler,
    duckdb_pandas_io_manager,
)

__all__ = ["DuckDBPandasIOManager", "DuckDBPandasTypeHandler", "duckdb_pandas_io_manager"]
