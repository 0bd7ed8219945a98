"""``DuckDBIOManager``: DataFrames stored as DuckDB tables (Dagster's ``dagster_duckdb.DuckDBIOManager``).

A subclass names its type handlers (``type_handlers()``) and, optionally, the type an unannotated input
loads as (``default_load_type()``); ``DuckDBPandasIOManager`` and ``DuckDBPolarsIOManager`` are such
subclasses. ``build_duckdb_io_manager([...handlers])`` gives the same as a plain ``IOManagerDefinition``.
Where values go and how partitions are replaced: ``headwater.integrations.db_io_manager``. Each write
and each read opens the database for its statements only (waiting while another process holds the file,
see ``connection``), so steps in other processes can use the file between them.
"""

from __future__ import annotations

import typing as t
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb
from pydantic import Field

from headwater.core.metadata import MetadataValue
from headwater.core.table import TableSchema
from headwater.definitions.config_types import Field as ConfigField
from headwater.definitions.config_types import Permissive, StringSource
from headwater.definitions.io_manager import ConfigurableIOManagerFactory, IOManagerDefinition, io_manager
from headwater.definitions.output_context import OutputContext
from headwater.definitions.resource_context import InitResourceContext
from headwater.errors import InvalidPropertyError
from headwater.integrations.db_io_manager import (
    DbClient,
    DbIOManager,
    DbTypeHandler,
    TableSlice,
    TContext,
    delete_statement,
    qualified_table,
    quote_identifier,
    select_statement,
)
from headwater.integrations.duckdb.connection import DEFAULT_LOCK_TIMEOUT_SECONDS, connect_duckdb


class DuckDbClient(DbClient):
    """``DbClient`` of a DuckDB file: the connection settings come from the IO manager's config."""

    def __init__(
        self,
        connection_config: t.Mapping[str, t.Any] | None = None,
        lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    ) -> None:
        self._config = dict(connection_config or {})
        self._lock_timeout = lock_timeout_seconds

    @contextmanager
    def connect(self, context: TContext, table_slice: TableSlice) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection in a transaction: a write (delete, then insert) is committed whole or not at all,
        so a failed write leaves the table as it was."""
        assert table_slice.database is not None
        conn = connect_duckdb(table_slice.database, self._config, lock_timeout_seconds=self._lock_timeout)
        try:
            conn.begin()
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        finally:
            conn.close()

    @staticmethod
    def ensure_schema_exists(context: OutputContext, table_slice: TableSlice, connection: t.Any) -> None:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(table_slice.schema)}")

    @staticmethod
    def delete_table_slice(context: OutputContext, table_slice: TableSlice, connection: t.Any) -> None:
        # An unpartitioned table is dropped, so that the type handler creates it anew (with the frame's
        # columns, which may have changed); a partition's rows are deleted and the handler inserts them.
        if not table_slice.partition_dimensions:
            connection.execute(f"DROP TABLE IF EXISTS {qualified_table(table_slice)}")
        elif table_exists(connection, table_slice):
            connection.execute(delete_statement(table_slice))

    @staticmethod
    def get_select_statement(table_slice: TableSlice) -> str:
        return select_statement(table_slice)


def table_exists(connection: t.Any, table_slice: TableSlice) -> bool:
    # fetchall, not fetchone: DuckDB refuses new statements on a connection with an unfinished result
    [(count,)] = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [table_slice.schema, table_slice.table],
    ).fetchall()
    return bool(count)


def write_relation(connection: t.Any, table_slice: TableSlice, view: str) -> None:
    """Store the rows of the registered ``view`` as the slice: replace the table when unpartitioned,
    else insert (by column name) into it, creating it on the first partition."""
    table = qualified_table(table_slice)
    if not table_slice.partition_dimensions:
        connection.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {view}")
    elif table_exists(connection, table_slice):
        connection.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    else:
        connection.execute(f"CREATE TABLE {table} AS SELECT * FROM {view}")


def read_relation(connection: t.Any, table_slice: TableSlice) -> t.Any:
    """The relation selecting the slice (``.df()``, ``.pl()``, ``.arrow()`` run it); a missing table is an
    error that says what to materialize."""
    try:
        return connection.sql(select_statement(table_slice))
    except duckdb.CatalogException as exc:
        raise InvalidPropertyError(
            f"Cannot load {table_slice.schema}.{table_slice.table} from the DuckDB database "
            f"{table_slice.database!r}: {exc}. Materialize the upstream asset first (with the same database "
            "and schema), and check that the input's 'columns' metadata names columns of the table."
        ) from exc


def write_table_slice(
    context: OutputContext, connection: t.Any, table_slice: TableSlice, frame: t.Any, columns: TableSchema
) -> dict[str, t.Any]:
    """Store ``frame`` (a pandas DataFrame or a pyarrow Table) as the slice; the table metadata."""
    view = "__headwater_output"
    connection.register(view, frame)
    # no `finally`: after a failed statement the transaction is aborted and refuses even this; the
    # connection (and the view registered on it) is rolled back and closed by DuckDbClient.connect
    write_relation(connection, table_slice, view)
    connection.unregister(view)
    written = len(frame)
    metadata: dict[str, t.Any] = {
        "dagster/column_schema": MetadataValue.table_schema(columns),
        "dagster/storage_kind": "duckdb",
    }
    if table_slice.partition_dimensions:
        [(total,)] = connection.execute(f"SELECT count(*) FROM {qualified_table(table_slice)}").fetchall()
        metadata["dagster/partition_row_count"] = MetadataValue.int(written)
        metadata["dagster/row_count"] = MetadataValue.int(int(total))
    else:
        metadata["dagster/row_count"] = MetadataValue.int(written)
    return metadata


class DuckDBIOManager(ConfigurableIOManagerFactory):
    """Stores outputs as tables of a DuckDB database, with the type handlers of ``type_handlers()``."""

    database: str = Field(description="Path to the DuckDB database file.")
    connection_config: dict[str, t.Any] = Field(
        default={}, description="DuckDB configuration options passed to duckdb.connect, e.g. {'threads': 2}."
    )
    schema_: str | None = Field(
        default=None,
        alias="schema",
        description="The schema of every table (else the asset key's prefix, else 'public').",
    )
    lock_timeout_seconds: float = Field(
        default=DEFAULT_LOCK_TIMEOUT_SECONDS,
        description="How long to wait while another process holds the database file's lock.",
    )

    @staticmethod
    @abstractmethod
    def type_handlers() -> Sequence[DbTypeHandler[t.Any]]:
        """The handlers of the types this IO manager stores and loads: a subclass defines them (or use
        ``DuckDBPandasIOManager`` / ``DuckDBPolarsIOManager``, or ``build_duckdb_io_manager([...])``)."""

    @staticmethod
    def default_load_type() -> type[object] | None:
        """The type an input without a type annotation loads as."""
        return None

    def create_io_manager(self, context: InitResourceContext) -> DbIOManager:
        return DbIOManager(
            type_handlers=self.type_handlers(),
            db_client=DuckDbClient(self.connection_config, self.lock_timeout_seconds),
            database=self.database,
            schema=self.schema_,
            io_manager_name=type(self).__name__,
            default_load_type=self.default_load_type(),
        )


def build_duckdb_io_manager(
    type_handlers: Sequence[DbTypeHandler[t.Any]], default_load_type: type[object] | None = None
) -> IOManagerDefinition:
    """An IO manager definition storing values as DuckDB tables with ``type_handlers``; configured with
    ``database`` (required), ``schema`` and ``connection_config``."""
    handlers = list(type_handlers)

    @io_manager(
        config_schema={
            "database": ConfigField(StringSource, description="Path to the DuckDB database file."),
            "connection_config": ConfigField(
                Permissive(), is_required=False, default_value={}, description="DuckDB options."
            ),
            "schema": ConfigField(StringSource, is_required=False, description="The schema of every table."),
            "lock_timeout_seconds": ConfigField(
                float, is_required=False, default_value=DEFAULT_LOCK_TIMEOUT_SECONDS
            ),
        }
    )
    def duckdb_io_manager(init_context: InitResourceContext) -> DbIOManager:
        config = init_context.resource_config
        return DbIOManager(
            type_handlers=handlers,
            db_client=DuckDbClient(config.get("connection_config"), config["lock_timeout_seconds"]),
            database=config["database"],
            schema=config.get("schema"),
            io_manager_name="DuckDBIOManager",
            default_load_type=default_load_type,
        )

    return duckdb_io_manager
