"""Table facts of an asset (row count, column schema, column lineage, table name), read from the
well-known metadata keys (``headwater/…`` or ``dagster/…``) of its latest materialization, else of its
definition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry

from headwater.core import table as core
from headwater.core.table_metadata import TableMetadata
from headwater.webserver.graphql.asset_keys import AssetKey


@strawberry.type(name="TableColumnConstraints")
class TableColumnConstraintsType:
    nullable: bool
    unique: bool
    other: list[str]


@strawberry.type(name="TableColumn")
class TableColumnType:
    name: str
    type: str
    description: str | None
    constraints: TableColumnConstraintsType
    tags: list[str] = strawberry.field(description="Its tags as key=value strings.")

    @staticmethod
    def of(column: core.TableColumn) -> TableColumnType:
        c = column.constraints
        return TableColumnType(
            name=column.name,
            type=column.type,
            description=column.description,
            constraints=TableColumnConstraintsType(nullable=c.nullable, unique=c.unique, other=list(c.other)),
            tags=[f"{k}={v}" for k, v in sorted(column.tags.items())],
        )


@strawberry.type(name="TableSchema")
class TableSchemaType:
    columns: list[TableColumnType]
    constraints: list[str] = strawberry.field(description="Table-level constraints (free text).")

    @staticmethod
    def of(schema: core.TableSchema) -> TableSchemaType:
        return TableSchemaType(
            columns=[TableColumnType.of(c) for c in schema.columns],
            constraints=list(schema.constraints.other),
        )


@strawberry.type(name="TableColumnDep")
class TableColumnDepType:
    asset_key: AssetKey
    column_name: str


@strawberry.type(description="The upstream columns one column of this asset is computed from.")
class ColumnLineageEntry:
    column_name: str
    deps: list[TableColumnDepType]


@strawberry.type(description="An asset's table facts from the well-known metadata keys.")
class AssetTableMetadata:
    row_count: int | None
    table_name: str | None
    uri: str | None
    column_schema: TableSchemaType | None
    column_lineage: list[ColumnLineageEntry] | None

    @staticmethod
    def of(latest: Mapping[str, Any] | None, definition: Mapping[str, Any] | None) -> AssetTableMetadata:
        now, defined = TableMetadata.extract(latest), TableMetadata.extract(definition)
        schema = now.column_schema or defined.column_schema
        lineage = now.column_lineage or defined.column_lineage
        return AssetTableMetadata(
            row_count=now.row_count if now.row_count is not None else defined.row_count,
            table_name=now.table_name or defined.table_name,
            uri=now.uri or defined.uri,
            column_schema=TableSchemaType.of(schema) if schema is not None else None,
            column_lineage=[
                ColumnLineageEntry(
                    column_name=column,
                    deps=[
                        TableColumnDepType(
                            asset_key=AssetKey(path=list(d.asset_key.path)), column_name=d.column_name
                        )
                        for d in deps
                    ],
                )
                for column, deps in lineage.deps_by_column.items()
            ]
            if lineage is not None
            else None,
        )
