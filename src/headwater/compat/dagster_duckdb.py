"""``dagster_duckdb`` under Headwater: ``from dagster_duckdb import DuckDBResource`` in a project loaded
by Headwater (or ``from headwater.compat.dagster_duckdb import ...``) gives these. Custom type handlers
import ``DbTypeHandler`` from ``dagster._core.storage.db_io_manager``, as under Dagster."""

from __future__ import annotations

from headwater.integrations.duckdb import DuckDBIOManager, DuckDBResource, build_duckdb_io_manager

__all__ = ["DuckDBIOManager", "DuckDBResource", "build_duckdb_io_manager"]
