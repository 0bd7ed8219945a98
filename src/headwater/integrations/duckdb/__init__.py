"""DuckDB: ``DuckDBResource`` and the IO managers storing DataFrames as DuckDB tables.

``DuckDBResource``, ``DuckDBIOManager`` and ``build_duckdb_io_manager`` need ``duckdb``; the pandas and
polars IO managers (``DuckDBPandasIOManager``, ``DuckDBPolarsIOManager``, their type handlers and
``duckdb_pandas_io_manager`` / ``duckdb_polars_io_manager``) are imported on first use, so that the
DataFrame library not used is never imported. Install with ``pip install 'headwater[duckdb]'``.
"""

from __future__ import annotations

import importlib
import typing as t

from headwater.integrations.duckdb.connection import DuckDBLockError, connect_duckdb
from headwater.integrations.duckdb.io_manager import DuckDbClient, DuckDBIOManager, build_duckdb_io_manager
from headwater.integrations.duckdb.resource import DuckDBResource

_LAZY = {
    "DuckDBPandasIOManager": "pandas_type_handler",
    "DuckDBPandasTypeHandler": "pandas_type_handler",
    "duckdb_pandas_io_manager": "pandas_type_handler",
    "DuckDBPolarsIOManager": "polars_type_handler",
    "DuckDBPolarsTypeHandler": "polars_type_handler",
    "duckdb_polars_io_manager": "polars_type_handler",
}


def __getattr__(name: str) -> t.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "DuckDBIOManager",
    "DuckDBLockError",
    "DuckDBPandasIOManager",
    "DuckDBPandasTypeHandler",
    "DuckDBPolarsIOManager",
    "DuckDBPolarsTypeHandler",
    "DuckDBResource",
    "DuckDbClient",
    "build_duckdb_io_manager",
    "connect_duckdb",
    "duckdb_pandas_io_manager",
    "duckdb_polars_io_manager",
]
