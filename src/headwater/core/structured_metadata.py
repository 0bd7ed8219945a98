"""Metadata values that wrap structured objects (tables, schemas, column lineage, code references)
or point at other objects (assets, jobs, runs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import msgspec

from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.core.code_references import CodeReference, LocalFileCodeReference, UrlCodeReference
from headwater.core.metadata_values import MetadataValue, _fail, _opt_str, _req_str
from headwater.core.table import TableColumn, TableColumnLineage, TableRecord, TableSchema
from headwater.core.value import set_field
from headwater.errors import InvalidMetadataError


class DagsterRunMetadataValue(MetadataValue[str], tag="dagster_run", frozen=True):
    run_id: str

    def __post_init__(self) -> None:
        _req_str(self.run_id, "DagsterRunMetadataValue", "run_id")

    @property
    def value(self) -> str:
        return self.run_id


class DagsterJobMetadataValue(MetadataValue["DagsterJobMetadataValue"], tag="dagster_job", frozen=True):
    job_name: str
    location_name: str
    repository_name: str | None = None

    def __post_init__(self) -> None:
        _req_str(self.job_name, "DagsterJobMetadataValue", "job_name")
        _req_str(self.location_name, "DagsterJobMetadataValue", "location_name")
        _opt_str(self.repository_name, "DagsterJobMetadataValue", "repository_name")

    @property
    def value(self) -> DagsterJobMetadataValue:
        return self


class DagsterAssetMetadataValue(MetadataValue[AssetKey], tag="asset", frozen=True):
    asset_key: AssetKey

    if TYPE_CHECKING:

        def __init__(self, asset_key: CoercibleToAssetKey) -> None: ...

    def __post_init__(self) -> None:
        if type(self.asset_key) is not AssetKey:
            set_field(self, "asset_key", AssetKey.from_coercible(self.asset_key))

    @property
    def value(self) -> AssetKey:
        return self.asset_key


class TableMetadataValue(MetadataValue["TableMetadataValue"], tag="table", frozen=True):
    """Rows of a table; without a schema, one is inferred from the first record."""

    records: list[TableRecord]
    schema: TableSchema = None  # type: ignore[assignment]  # None: inferred in __post_init__

    if TYPE_CHECKING:

        def __init__(self, records: Sequence[TableRecord], schema: TableSchema | None = None) -> None: ...

    def __post_init__(self) -> None:
        records, schema = self.records, self.schema
        if isinstance(records, (str, Mapping)) or not isinstance(records, Sequence):
            raise _fail("TableMetadataValue", "records", "a list of TableRecord", records)
        rows = records if type(records) is list else list(records)
        for row in rows:
            if not isinstance(row, TableRecord):
                raise _fail("TableMetadataValue", "records", "a list of TableRecord", row)
        if schema is not None and not isinstance(schema, TableSchema):
            raise _fail("TableMetadataValue", "schema", "a TableSchema or None", schema)
        if rows:
            columns = rows[0].data.keys()
            for index, row in enumerate(rows[1:], start=1):
                if row.data.keys() != columns:
                    raise InvalidMetadataError(
                        f"All records must have the same fields: record 0 has {sorted(columns)}, "
                        f"record {index} has {sorted(row.data)}."
                    )
            if schema is None:
                schema = TableSchema(
                    [
                        TableColumn(name, TableMetadataValue.infer_column_type(v))
                        for name, v in rows[0].data.items()
                    ]
                )
        elif schema is None:
            raise InvalidMetadataError("TableMetadataValue needs a schema when records is empty.")
        set_field(self, "records", rows)
        set_field(self, "schema", schema)

    @staticmethod
    def infer_column_type(value: object) -> str:
        """The schema type name for a record value: bool, int, float or string."""
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int):
            return "int"
        if isinstance(value, float):
            return "float"
        return "string"

    @property
    def value(self) -> TableMetadataValue:
        return self


class TableSchemaMetadataValue(MetadataValue[TableSchema], tag="table_schema", frozen=True):
    schema: TableSchema

    def __post_init__(self) -> None:
        if not isinstance(self.schema, TableSchema):
            raise _fail("TableSchemaMetadataValue", "schema", "a TableSchema", self.schema)

    @property
    def value(self) -> TableSchema:
        return self.schema


class TableColumnLineageMetadataValue(MetadataValue[TableColumnLineage], tag="column_lineage", frozen=True):
    """Dagster's constructor takes ``column_lineage``; its attribute (and JSON field) is ``lineage``."""

    column_lineage: TableColumnLineage = msgspec.field(name="lineage")  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if not isinstance(self.column_lineage, TableColumnLineage):
            raise _fail(
                "TableColumnLineageMetadataValue",
                "column_lineage",
                "a TableColumnLineage",
                self.column_lineage,
            )

    @property
    def value(self) -> TableColumnLineage:
        return self.column_lineage

    @property
    def lineage(self) -> TableColumnLineage:
        return self.column_lineage

    def __repr__(self) -> str:
        return f"TableColumnLineageMetadataValue(lineage={self.column_lineage!r})"


class CodeReferencesMetadataValue(
    MetadataValue["CodeReferencesMetadataValue"], tag="code_references", frozen=True
):
    """Where an asset's code lives: local files and/or URLs."""

    code_references: list[CodeReference]  # type: ignore[assignment]

    if TYPE_CHECKING:

        def __init__(self, code_references: Sequence[CodeReference]) -> None: ...

    def __post_init__(self) -> None:
        refs = self.code_references
        if isinstance(refs, str) or not isinstance(refs, Sequence):
            raise _fail("CodeReferencesMetadataValue", "code_references", "a list of code references", refs)
        for ref in refs:
            if not isinstance(ref, (LocalFileCodeReference, UrlCodeReference)):
                raise _fail(
                    "CodeReferencesMetadataValue",
                    "code_references",
                    "a list of LocalFileCodeReference or UrlCodeReference",
                    ref,
                )
        if type(refs) is not list:
            set_field(self, "code_references", list(refs))

    @property
    def value(self) -> CodeReferencesMetadataValue:
        return self
