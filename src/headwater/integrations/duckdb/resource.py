"""``DuckDBResource``: a DuckDB database for ops and assets, as Dagster's ``dagster_duckdb.DuckDBResource``.

``with duckdb.get_connection() as conn: conn.execute(...)`` opens the database (waiting while another
process holds its lock, see ``connection``) and closes it on exit, so the file is free for the next
step as soon as the block ends.
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from pydantic import Field

from headwater.definitions.configurable_resource import ConfigurableResource
from headwater.integrations.duckdb.connection import DEFAULT_LOCK_TIMEOUT_SECONDS, connect_duckdb


class DuckDBResource(ConfigurableResource):
    """A DuckDB database: ``get_connection()`` is a context manager giving a connection."""

    database: str = Field(
        description="Path to the DuckDB database file; ':memory:' for an in-memory database (one per "
        "connection)."
    )
    connection_config: dict[str, t.Any] = Field(
        default={},
        description="DuckDB configuration options passed to duckdb.connect "
        "(https://duckdb.org/docs/configuration/overview), e.g. {'threads': 2}.",
    )
    lock_timeout_seconds: float = Field(
        default=DEFAULT_LOCK_TIMEOUT_SECONDS,
        description="How long to wait while another process holds the database file's lock (DuckDB allows "
        "one writing process per file) before failing.",
    )

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to ``database``, closed when the block ends."""
        conn = connect_duckdb(
            self.database, self.connection_config, lock_timeout_seconds=self.lock_timeout_seconds
        )
        try:
            yield conn
        finally:
            conn.close()
