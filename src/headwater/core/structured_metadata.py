"""Metadata values that wrap structured objects (tables, schemas, column lineage, code references)
or point at other objects (assets, jobs, runs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core._record import _setattr
from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.core.code_references import (
    CodeReference,
    LocalFileCodeReference,
    UrlCodeReference,
    code_reference_from_json,
)
from headwater.core.metadata_values import MetadataValue, _fail, _opt_str, _req_str
from headwater.core.table import TableColumn, TableColumnLineage, TableRecord, TableSchema
from headwater.errors import InvalidMetadataError


class DagsterRunMetadataValue(MetadataValue[str]):
    __slots__ = ("run_id",)
    _fields = ("run_id",)
    _tag = "dagster_run"
    run_id: str

    def __init__(self, run_id: str) -> None:
        _setattr(self, "run_id", _req_str(run_id, "DagsterRunMetadataValue", "run_id"))

    @property
    def value(self) -> str:
        return self.run_id


class DagsterJobMetadataValue(MetadataValue["DagsterJobMetadataValue"]):
    __slots__ = ("job_name", "location_name", "repository_name")
    _fields = ("job_name", "location_name", "repository_name")
    _tag = "dagster_job"
    job_name: str
    location_name: str
    repository_name: str | None

    def __init__(self, job_name: str, location_name: str, repository_name: str | None = None) -> None:
        _setattr(self, "job_name", _req_str(job_name, "DagsterJobMetadataValue", "job_name"))
        _setattr(self, "location_name", _req_str(location_name, "DagsterJobMetadataValue", "location_name"))
        _setattr(
            self, "repository_name", _opt_str(repository_name, "DagsterJobMetadataValue", "repository_name")
        )

    @property
    def value(self) -> DagsterJobMetadataValue:
        return self


class DagsterAssetMetadataValue(MetadataValue[AssetKey]):
    __slots__ = ("asset_key",)
    _fields = ("asset_key",)
    _tag = "asset"
    asset_key: AssetKey

    def __init__(self, asset_key: CoercibleToAssetKey) -> None:
        _setattr(self, "asset_key", AssetKey.from_coercible(asset_key))

    @property
    def value(self) -> AssetKey:
        return self.asset_key

    def _payload(self) -> dict[str, Any]:
        return {"asset_key": list(self.asset_key.path)}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> DagsterAssetMetadataValue:
        return cls(AssetKey(data["asset_key"]))


class TableMetadataValue(MetadataValue["TableMetadataValue"]):
    """Rows of a table; without a schema, one is inferred from the first record."""

    __slots__ = ("records", "schema")
    _fields = ("records", "schema")
    _tag = "table"
    records: list[TableRecord]
    schema: TableSchema

    def __init__(self, records: Sequence[TableRecord], schema: TableSchema | None = None) -> None:
        if isinstance(records, (str, Mapping)) or not isinstance(records, Sequence):
            raise _fail("TableMetadataValue", "records", "a list of TableRecord", records)
        rows = list(records)
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
        _setattr(self, "records", rows)
        _setattr(self, "schema", schema)

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

    def _payload(self) -> dict[str, Any]:
        return {"records": [row.to_json() for row in self.records], "schema": self.schema.to_json()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> TableMetadataValue:
        return cls([TableRecord(row) for row in data["records"]], TableSchema.from_json(data["schema"]))


class TableSchemaMetadataValue(MetadataValue[TableSchema]):
    __slots__ = ("schema",)
    _fields = ("schema",)
    _tag = "table_schema"
    schema: TableSchema

    def __init__(self, schema: TableSchema) -> None:
        if not isinstance(schema, TableSchema):
            raise _fail("TableSchemaMetadataValue", "schema", "a TableSchema", schema)
        _setattr(self, "schema", schema)

    @property
    def value(self) -> TableSchema:
        return self.schema

    def _payload(self) -> dict[str, Any]:
        return {"schema": self.schema.to_json()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> TableSchemaMetadataValue:
        return cls(TableSchema.from_json(data["schema"]))


class TableColumnLineageMetadataValue(MetadataValue[TableColumnLineage]):
    __slots__ = ("lineage",)
    _fields = ("lineage",)
    _tag = "column_lineage"
    lineage: TableColumnLineage

    def __init__(self, column_lineage: TableColumnLineage) -> None:
        if not isinstance(column_lineage, TableColumnLineage):
            raise _fail(
                "TableColumnLineageMetadataValue", "column_lineage", "a TableColumnLineage", column_lineage
            )
        _setattr(self, "lineage", column_lineage)

    @property
    def value(self) -> TableColumnLineage:
        return self.lineage

    @property
    def column_lineage(self) -> TableColumnLineage:  # type: ignore[override]
        return self.lineage

    def _payload(self) -> dict[str, Any]:
        return {"lineage": self.lineage.to_json()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> TableColumnLineageMetadataValue:
        return cls(TableColumnLineage.from_json(data["lineage"]))


class CodeReferencesMetadataValue(MetadataValue["CodeReferencesMetadataValue"]):
    """Where an asset's code lives: local files and/or URLs."""

    __slots__ = ("code_references",)
    _fields = ("code_references",)
    _tag = "code_references"
    code_references: list[CodeReference]  # type: ignore[assignment]

    def __init__(self, code_references: Sequence[CodeReference]) -> None:
        if isinstance(code_references, str) or not isinstance(code_references, Sequence):
            raise _fail(
                "CodeReferencesMetadataValue", "code_references", "a list of code references", code_references
            )
        refs = list(code_references)
        for ref in refs:
            if not isinstance(ref, (LocalFileCodeReference, UrlCodeReference)):
                raise _fail(
                    "CodeReferencesMetadataValue",
                    "code_references",
                    "a list of LocalFileCodeReference or UrlCodeReference",
                    ref,
                )
        _setattr(self, "code_references", refs)

    @property
    def value(self) -> CodeReferencesMetadataValue:
        return self

    def _payload(self) -> dict[str, Any]:
        return {"code_references": [ref.to_json() for ref in self.code_references]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> CodeReferencesMetadataValue:
        return cls([code_reference_from_json(ref) for ref in data["code_references"]])
