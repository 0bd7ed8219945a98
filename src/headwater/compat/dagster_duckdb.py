"""``dagster_duckdb`` under Headwater: ``from dagster_duckdb import DuckDBResource`` in a project loaded
by Headwater (or ``from headwater.compat.dagster_duckdb import ...``) gives these."""

from __future__ import annotations

from headwater.integrations.db_io_manager import DbTypeHandler
from headwater.integrations.duckdb import (
    DuckDbClient,
    DuckDBIOManager,
    DuckDBResource,
    build_duckdb_io_manager,
)

__all__ = ["DbTypeHandler", "DuckDBIOManager", "DuckDBResource", "DuckDbClient", "build_duckdb_io_manager"]
