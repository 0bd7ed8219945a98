"""``DbIOManager``: stores DataFrames as database tables and loads them back, as Dagster's database IO
managers do (``dagster._core.storage.db_io_manager``).

Where a value goes (a ``TableSlice``):
- the table is the asset key's last part (an op output: the output's name);
- the schema is the ``schema`` definition metadata, else the IO manager's ``schema`` config, else the asset
  key's prefix (``["analytics", "orders"]`` -> ``analytics.orders``), else ``public``;
- a partitioned asset's slice is its partition: the ``partition_expr`` definition metadata names the column
  (or SQL expression) holding the partition -- a dict of dimension name -> expression for multi
  partitions. A time-window partition selects ``start <= expr < end``; other partitions ``expr IN (keys)``.

Writing deletes the slice (the whole table when unpartitioned) and inserts the value, in one connection;
reading selects the slice, only the ``columns`` of the input's metadata when given
(``AssetIn(metadata={"columns": [...]})``). A ``DbTypeHandler`` per DataFrame type does the writing and
reading; a ``DbClient`` says how to talk to one database.
"""

from __future__ import annotations

import abc
import typing as t
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime

from headwater.core.partition_keys import MultiPartitionKey, TimeWindow
from headwater.definitions.input_context import InputContext
from headwater.definitions.io_manager import IOManager
from headwater.definitions.multi_partitions import MultiPartitionsDefinition
from headwater.definitions.output_context import OutputContext
from headwater.definitions.time_window_partitions import TimeWindowPartitionsDefinition
from headwater.errors import InvalidDefinitionError, InvalidPropertyError

T = t.TypeVar("T")
TContext = InputContext | OutputContext

DEFAULT_SCHEMA = "public"


class TablePartitionDimension(t.NamedTuple):
    """One dimension of a table slice: the SQL expression of its column, and the partitions selected (a
    time window, or partition keys)."""

    partition_expr: str
    partitions: TimeWindow | Sequence[str]


class TableSlice(t.NamedTuple):
    """The part of a table an output writes or an input reads."""

    table: str
    schema: str
    database: str | None = None
    columns: Sequence[str] | None = None
    partition_dimensions: Sequence[TablePartitionDimension] | None = None


class DbTypeHandler(abc.ABC, t.Generic[T]):
    """Writes values of ``supported_types`` into a table slice and reads them back."""

    @abc.abstractmethod
    def handle_output(
        self, context: OutputContext, table_slice: TableSlice, obj: T, connection: t.Any
    ) -> Mapping[str, t.Any] | None:
        """Insert ``obj`` into the slice (already emptied); return metadata of what was written."""

    @abc.abstractmethod
    def load_input(self, context: InputContext, table_slice: TableSlice, connection: t.Any) -> T:
        """The rows of the slice."""

    @property
    @abc.abstractmethod
    def supported_types(self) -> Sequence[type[object]]:
        """The Python types this handler stores and loads."""


class DbClient(abc.ABC):
    """How to reach one kind of database."""

    @abc.abstractmethod
    def connect(self, context: TContext, table_slice: TableSlice) -> AbstractContextManager[t.Any]:
        """A connection, closed on exit."""

    @staticmethod
    @abc.abstractmethod
    def ensure_schema_exists(context: OutputContext, table_slice: TableSlice, connection: t.Any) -> None:
        """Create the slice's schema when missing."""

    @staticmethod
    @abc.abstractmethod
    def delete_table_slice(context: OutputContext, table_slice: TableSlice, connection: t.Any) -> None:
        """Remove the rows of the slice (nothing when the table does not exist yet)."""

    @staticmethod
    @abc.abstractmethod
    def get_select_statement(table_slice: TableSlice) -> str:
        """The SELECT reading the slice."""

    @staticmethod
    def get_table_name(table_slice: TableSlice) -> str:
        """The table's full name, the ``dagster/table_name`` metadata of what is stored."""
        if not table_slice.database:
            return f"{table_slice.schema}.{table_slice.table}"
        return f"{table_slice.database}.{table_slice.schema}.{table_slice.table}"


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def qualified_table(table_slice: TableSlice) -> str:
    return f"{quote_identifier(table_slice.schema)}.{quote_identifier(table_slice.table)}"


def _timestamp(value: datetime) -> str:
    return quote_literal(value.strftime("%Y-%m-%d %H:%M:%S"))


def partition_where_clause(dimensions: Sequence[TablePartitionDimension]) -> str:
    """The WHERE condition selecting the partitions of every dimension (``""`` when there are none)."""
    clauses = []
    for dim in dimensions:
        if isinstance(dim.partitions, TimeWindow):
            start, end = dim.partitions
            clauses.append(
                f"{dim.partition_expr} >= {_timestamp(start)} AND {dim.partition_expr} < {_timestamp(end)}"
            )
        else:
            keys = ", ".join(quote_literal(k) for k in dim.partitions)
            clauses.append(f"{dim.partition_expr} IN ({keys})")
    return " AND ".join(clauses)


def select_statement(table_slice: TableSlice) -> str:
    """``SELECT <columns> FROM <schema>.<table> [WHERE <partitions>]``."""
    cols = ", ".join(quote_identifier(c) for c in table_slice.columns) if table_slice.columns else "*"
    where = partition_where_clause(table_slice.partition_dimensions or ())
    return f"SELECT {cols} FROM {qualified_table(table_slice)}" + (f" WHERE {where}" if where else "")


def delete_statement(table_slice: TableSlice) -> str:
    """``DELETE FROM <schema>.<table> [WHERE <partitions>]``."""
    where = partition_where_clause(table_slice.partition_dimensions or ())
    return f"DELETE FROM {qualified_table(table_slice)}" + (f" WHERE {where}" if where else "")


def _what(context: TContext) -> str:
    if context.has_asset_key:
        return f"asset {context.asset_key.to_user_string()}"
    return f"output {context.name!r}" if isinstance(context, OutputContext) else f"input {context.name!r}"


def _is_unset(load_type: t.Any) -> bool:
    return load_type is None or load_type is t.Any or load_type is object


class DbIOManager(IOManager):
    """Stores values as table slices through ``db_client``, with the type handler of each value's type."""

    def __init__(
        self,
        *,
        type_handlers: Sequence[DbTypeHandler[t.Any]],
        db_client: DbClient,
        database: str,
        schema: str | None = None,
        io_manager_name: str | None = None,
        default_load_type: type[object] | None = None,
    ) -> None:
        self._handlers = list(type_handlers)
        self._db_client = db_client
        self._database = database
        self._schema = schema
        self._io_manager_name = io_manager_name or type(self).__name__
        if default_load_type is None and len(self._handlers) == 1:
            [only] = [tuple(h.supported_types) for h in self._handlers]
            if len(only) == 1:
                default_load_type = only[0]
        self._default_load_type = default_load_type

    # -- where values go
    def _schema_for(self, context: OutputContext) -> str:
        from_metadata = context.definition_metadata.get("schema")
        if from_metadata:
            return str(from_metadata)
        if self._schema:
            return self._schema
        if context.has_asset_key and len(context.asset_key.path) > 1:
            return context.asset_key.path[-2]
        return DEFAULT_SCHEMA

    def _table_slice(self, context: TContext, output_context: OutputContext) -> TableSlice:
        table = context.asset_key.path[-1] if context.has_asset_key else output_context.name
        columns = context.definition_metadata.get("columns") if isinstance(context, InputContext) else None
        return TableSlice(
            table=table,
            schema=self._schema_for(output_context),
            database=self._database,
            columns=list(columns) if columns else None,
            partition_dimensions=self._partition_dimensions(context, output_context),
        )

    def _partition_dimensions(
        self, context: TContext, output_context: OutputContext
    ) -> list[TablePartitionDimension] | None:
        if not (context.has_asset_key and context.has_asset_partitions):
            return None
        expr = output_context.definition_metadata.get("partition_expr")
        if expr is None:
            raise InvalidDefinitionError(
                f"{_what(context)} is partitioned, so {self._io_manager_name} needs the column that holds "
                "the partition, to replace only that partition's rows: add "
                "metadata={'partition_expr': '<column or SQL expression>'} to the asset (a dict of dimension "
                "name -> expression for multi-partitioned assets)."
            )
        pdef = context.asset_partitions_def
        keys = context.asset_partition_keys
        if isinstance(pdef, MultiPartitionsDefinition):
            if not isinstance(expr, Mapping):
                raise InvalidDefinitionError(
                    f"{_what(context)} is multi-partitioned over {pdef.partition_dimension_names}: its "
                    f"partition_expr metadata must be a dict of dimension name -> expression; got {expr!r}."
                )
            return [self._multi_dimension(context, pdef, keys, expr, dim) for dim in pdef.partitions_defs]
        if isinstance(pdef, TimeWindowPartitionsDefinition):
            return [TablePartitionDimension(str(expr), context.asset_partitions_time_window)]
        return [TablePartitionDimension(str(expr), list(keys))]

    def _multi_dimension(
        self,
        context: TContext,
        pdef: MultiPartitionsDefinition,
        keys: Sequence[str],
        exprs: Mapping[str, t.Any],
        dim: t.Any,
    ) -> TablePartitionDimension:
        if dim.name not in exprs:
            raise InvalidDefinitionError(
                f"{_what(context)}: its partition_expr metadata has no expression for dimension "
                f"{dim.name!r} (it has {sorted(exprs)}); add one."
            )
        dim_keys: list[str] = []
        for key in keys:
            multi = key if isinstance(key, MultiPartitionKey) else pdef.get_partition_key_from_str(key)
            k = multi.keys_by_dimension[dim.name]
            if k not in dim_keys:
                dim_keys.append(k)
        sub = dim.partitions_def
        if isinstance(sub, TimeWindowPartitionsDefinition):
            windows = [sub.time_window_for_partition_key(k) for k in dim_keys]
            window = TimeWindow(min(w.start for w in windows), max(w.end for w in windows))
            return TablePartitionDimension(str(exprs[dim.name]), window)
        return TablePartitionDimension(str(exprs[dim.name]), dim_keys)

    # -- type handlers
    def _handler_for_value(self, context: OutputContext, obj: t.Any) -> DbTypeHandler[t.Any]:
        for handler in self._handlers:
            if isinstance(obj, tuple(handler.supported_types)):
                return handler
        raise InvalidPropertyError(
            f"{self._io_manager_name} cannot store the value of {_what(context)}: it is a "
            f"{type(obj).__module__}.{type(obj).__qualname__}, and its type handlers store "
            f"{self._supported()}. Return one of those, or add a type handler for this type."
        )

    def _handler_for_load(self, context: InputContext) -> DbTypeHandler[t.Any]:
        load_type = getattr(context.dagster_type, "typing_type", None) if context.has_dagster_type else None
        if _is_unset(load_type):
            load_type = self._default_load_type
        if _is_unset(load_type):
            raise InvalidPropertyError(
                f"{self._io_manager_name} cannot tell which type to load {_what(context)} as: annotate the "
                f"input with one of {self._supported()}, or set the IO manager's default_load_type."
            )
        for handler in self._handlers:
            if any(_same_or_subclass(load_type, s) for s in handler.supported_types):
                return handler
        raise InvalidPropertyError(
            f"{self._io_manager_name} cannot load {_what(context)} as {load_type!r}: its type handlers "
            f"load {self._supported()}."
        )

    def _supported(self) -> str:
        names = [f"{s.__module__}.{s.__qualname__}" for h in self._handlers for s in h.supported_types]
        return ", ".join(names) or "no types"

    # -- IOManager
    def handle_output(self, context: OutputContext, obj: t.Any) -> None:
        if obj is None:
            raise InvalidPropertyError(
                f"{_what(context)} returned None, which {self._io_manager_name} cannot store as a table. "
                "Return a DataFrame, or annotate the function '-> None' if it writes its table itself."
            )
        handler = self._handler_for_value(context, obj)
        table_slice = self._table_slice(context, context)
        with self._db_client.connect(context, table_slice) as connection:
            self._db_client.ensure_schema_exists(context, table_slice, connection)
            self._db_client.delete_table_slice(context, table_slice, connection)
            metadata = dict(handler.handle_output(context, table_slice, obj, connection) or {})
        metadata["Query"] = self._db_client.get_select_statement(table_slice)
        metadata.setdefault("dagster/table_name", self._db_client.get_table_name(table_slice))
        context.add_output_metadata(metadata)

    def load_input(self, context: InputContext) -> t.Any:
        upstream = context.upstream_output
        if upstream is None:
            raise InvalidPropertyError(
                f"{self._io_manager_name} cannot load {_what(context)}: it reads no upstream output."
            )
        handler = self._handler_for_load(context)
        table_slice = self._table_slice(context, upstream)
        with self._db_client.connect(context, table_slice) as connection:
            return handler.load_input(context, table_slice, connection)


def _same_or_subclass(load_type: t.Any, supported: type[object]) -> bool:
    if load_type is supported:
        return True
    return isinstance(load_type, type) and issubclass(load_type, supported)
