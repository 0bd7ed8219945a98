"""``dagster_duckdb_polars`` under Headwater (``from dagster_duckdb_polars import DuckDBPolarsIOManager``)."""

from __future__ import annotations

from headwater.integrations.duckdb.polars_type_handler import (
    DuckDBPolarsIOManager,
    DuckDBPolarsTypeHandler,
    duckdb_polars_io_manager,
)

__all__ = ["DuckDBPolarsIOManager", "DuckDBPolarsTypeHandler", "duckdb_polars_io_manager"]
