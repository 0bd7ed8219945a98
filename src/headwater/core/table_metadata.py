"""Well-known metadata keys about tables, read under Headwater's prefix (``headwater/row_count``) or
Dagster's (``dagster/row_count``): row count, column schema, column lineage, table name, URI, relation
identifier. ``TableMetadata.extract(metadata)`` reads them from a materialization's metadata."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from headwater.core.table import TableColumnLineage, TableSchema

PREFIXES = ("headwater/", "dagster/")
KEYS = ("row_count", "column_schema", "column_lineage", "table_name", "uri", "relation_identifier")


def well_known(metadata: Mapping[str, Any], name: str) -> Any:
    """The entry ``headwater/<name>`` or ``dagster/<name>`` of ``metadata`` (Headwater's first), or None."""
    for prefix in PREFIXES:
        entry = metadata.get(prefix + name)
        if entry is not None:
            return entry
    return None


def _plain(entry: Any) -> Any:
    return getattr(entry, "value", entry)


class TableMetadata(msgspec.Struct, frozen=True, omit_defaults=True):
    """The table facts in one set of metadata; ``None`` where a key is absent or of the wrong type."""

    row_count: int | None = None
    column_schema: TableSchema | None = None
    column_lineage: TableColumnLineage | None = None
    table_name: str | None = None
    uri: str | None = None
    relation_identifier: str | None = None

    @classmethod
    def extract(cls, metadata: Mapping[str, Any] | None) -> TableMetadata:
        if not metadata:
            return _EMPTY
        row_count = _plain(well_known(metadata, "row_count"))
        schema = _plain(well_known(metadata, "column_schema"))
        lineage = _plain(well_known(metadata, "column_lineage"))
        texts = {k: _plain(well_known(metadata, k)) for k in ("table_name", "uri", "relation_identifier")}
        return cls(
            row_count=row_count if isinstance(row_count, int) and not isinstance(row_count, bool) else None,
            column_schema=schema if isinstance(schema, TableSchema) else None,
            column_lineage=lineage if isinstance(lineage, TableColumnLineage) else None,
            **{k: (str(v) if v is not None else None) for k, v in texts.items()},
        )


_EMPTY = TableMetadata()


class ColumnTypeChange(msgspec.Struct, frozen=True):
    old_type: str
    new_type: str


class TableSchemaDiff(msgspec.Struct, frozen=True):
    """What changed between two column schemas: added and removed columns, changed column types."""

    added_columns: list[str]
    removed_columns: list[str]
    column_type_changes: dict[str, ColumnTypeChange]

    @classmethod
    def between(cls, old: TableSchema, new: TableSchema) -> TableSchemaDiff:
        old_by_name = {c.name: c for c in old.columns}
        new_by_name = {c.name: c for c in new.columns}
        return cls(
            added_columns=[c.name for c in new.columns if c.name not in old_by_name],
            removed_columns=[c.name for c in old.columns if c.name not in new_by_name],
            column_type_changes={
                name: ColumnTypeChange(old_by_name[name].type, c.type)
                for name, c in new_by_name.items()
                if name in old_by_name and old_by_name[name].type != c.type
            },
        )

    @property
    def changed(self) -> bool:
        return bool(self.added_columns or self.removed_columns or self.column_type_changes)

    def describe(self) -> str:
        """Dagster's wording of the change (the schema-change check's description)."""
        text = "Column schema changed between previous and latest materialization."
        if self.added_columns:
            text += f"\n\nAdded columns: {', '.join(self.added_columns)}"
        if self.removed_columns:
            text += f"\n\nRemoved columns: {', '.join(self.removed_columns)}"
        if self.column_type_changes:
            text += "\n\nColumn type changes:"
            for name, change in self.column_type_changes.items():
                text += f"\n- {name}: {change.old_type} -> {change.new_type}"
        return text
