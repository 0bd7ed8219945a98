"""Tabular metadata: records, schemas, constraints and column lineage (Dagster's ``Table*`` types)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core._record import Record, _setattr, describe
from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.errors import InvalidMetadataError

TableRecordValue = str | int | float | bool | None


def _check_str(value: object, owner: str, name: str, *, optional: bool = False) -> None:
    if isinstance(value, str) or (optional and value is None):
        return
    expected = "a str or None" if optional else "a str"
    raise InvalidMetadataError(f"{owner}.{name} must be {expected}; got {describe(value)}.")


def _str_list(value: Sequence[str] | None, owner: str, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidMetadataError(f"{owner}.{name} must be a list of str; got {describe(value)}.")
    items = list(value)
    for item in items:
        _check_str(item, owner, name + "[]")
    return items


def _list_of(value: object, cls: type[Any], owner: str, name: str) -> list[Any]:
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise InvalidMetadataError(f"{owner}.{name} must be a list of {cls.__name__}; got {describe(value)}.")
    items = list(value)
    for item in items:
        if not isinstance(item, cls):
            raise InvalidMetadataError(
                f"{owner}.{name} must hold only {cls.__name__} objects; got {describe(item)}."
            )
    return items


class TableRecord(Record):
    """One row of a table: column name → str, int, float, bool or None."""

    __slots__ = ("data",)
    _fields = ("data",)
    data: dict[str, TableRecordValue]

    def __init__(self, data: Mapping[str, TableRecordValue]) -> None:
        if not isinstance(data, Mapping):
            raise InvalidMetadataError(
                f"TableRecord needs a mapping of column name to value; got {describe(data)}."
            )
        for key, value in data.items():
            if not isinstance(key, str):
                raise InvalidMetadataError(f"TableRecord column names must be str; got {describe(key)}.")
            if value is not None and not isinstance(value, (str, int, float)):
                raise InvalidMetadataError(
                    f"TableRecord values must be str, int, float, bool or None; "
                    f"got {describe(value)} for column {key!r}."
                )
        _setattr(self, "data", dict(data))

    def to_json(self) -> dict[str, Any]:
        return dict(self.data)

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableRecord:
        return TableRecord(data)


class TableConstraints(Record):
    """Table-level constraints, described as free-form strings in ``other``."""

    __slots__ = ("other",)
    _fields = ("other",)
    other: list[str]

    def __init__(self, other: Sequence[str]) -> None:
        _setattr(self, "other", _str_list(other, "TableConstraints", "other"))

    def to_json(self) -> dict[str, Any]:
        return {"other": list(self.other)}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableConstraints:
        return TableConstraints(data["other"])


class TableColumnConstraints(Record):
    """A column's constraints: ``nullable``, ``unique`` and free-form ``other`` descriptions."""

    __slots__ = ("nullable", "other", "unique")
    _fields = ("nullable", "unique", "other")
    nullable: bool
    unique: bool
    other: list[str]

    def __init__(
        self, nullable: bool = True, unique: bool = False, other: Sequence[str] | None = None
    ) -> None:
        for name, flag in (("nullable", nullable), ("unique", unique)):
            if not isinstance(flag, bool):
                raise InvalidMetadataError(
                    f"TableColumnConstraints.{name} must be a bool; got {describe(flag)}."
                )
        _setattr(self, "nullable", nullable)
        _setattr(self, "unique", unique)
        _setattr(self, "other", _str_list(other, "TableColumnConstraints", "other"))

    def to_json(self) -> dict[str, Any]:
        return {"nullable": self.nullable, "unique": self.unique, "other": list(self.other)}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableColumnConstraints:
        return TableColumnConstraints(data["nullable"], data["unique"], data["other"])


_DEFAULT_COLUMN_CONSTRAINTS = TableColumnConstraints()
_DEFAULT_TABLE_CONSTRAINTS = TableConstraints([])


class TableColumn(Record):
    """A column of a table schema; ``type`` is a free-form string, ``"string"`` by default."""

    __slots__ = ("constraints", "description", "name", "tags", "type")
    _fields = ("name", "type", "description", "constraints", "tags")
    name: str
    type: str
    description: str | None
    constraints: TableColumnConstraints
    tags: dict[str, str]

    def __init__(
        self,
        name: str,
        type: str = "string",
        description: str | None = None,
        constraints: TableColumnConstraints | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        _check_str(name, "TableColumn", "name")
        _check_str(type, "TableColumn", "type")
        _check_str(description, "TableColumn", "description", optional=True)
        if constraints is None:
            constraints = _DEFAULT_COLUMN_CONSTRAINTS
        elif not isinstance(constraints, TableColumnConstraints):
            raise InvalidMetadataError(
                f"TableColumn.constraints must be a TableColumnConstraints; got {describe(constraints)}."
            )
        tag_dict = {} if tags is None else dict(tags)
        for key, value in tag_dict.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise InvalidMetadataError(
                    f"TableColumn.tags must map str to str; got {key!r}: {value!r} in column {name!r}."
                )
        _setattr(self, "name", name)
        _setattr(self, "type", type)
        _setattr(self, "description", description)
        _setattr(self, "constraints", constraints)
        _setattr(self, "tags", tag_dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description is not None:
            out["description"] = self.description
        if self.constraints != _DEFAULT_COLUMN_CONSTRAINTS:
            out["constraints"] = self.constraints.to_json()
        if self.tags:
            out["tags"] = dict(self.tags)
        return out

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableColumn:
        constraints = data.get("constraints")
        return TableColumn(
            name=data["name"],
            type=data.get("type", "string"),
            description=data.get("description"),
            constraints=None if constraints is None else TableColumnConstraints.from_json(constraints),
            tags=data.get("tags"),
        )


class TableSchema(Record):
    """The schema of a table: its columns and table-level constraints."""

    __slots__ = ("columns", "constraints")
    _fields = ("columns", "constraints")
    columns: list[TableColumn]
    constraints: TableConstraints

    def __init__(self, columns: Sequence[TableColumn], constraints: TableConstraints | None = None) -> None:
        if constraints is None:
            constraints = _DEFAULT_TABLE_CONSTRAINTS
        elif not isinstance(constraints, TableConstraints):
            raise InvalidMetadataError(
                f"TableSchema.constraints must be a TableConstraints; got {describe(constraints)}."
            )
        _setattr(self, "columns", _list_of(columns, TableColumn, "TableSchema", "columns"))
        _setattr(self, "constraints", constraints)

    @staticmethod
    def from_name_type_dict(name_type_dict: Mapping[str, str]) -> TableSchema:
        """A schema with one column per ``name: type`` entry."""
        return TableSchema([TableColumn(name=name, type=type_) for name, type_ in name_type_dict.items()])

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"columns": [column.to_json() for column in self.columns]}
        if self.constraints.other:
            out["constraints"] = self.constraints.to_json()
        return out

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableSchema:
        constraints = data.get("constraints")
        return TableSchema(
            [TableColumn.from_json(column) for column in data["columns"]],
            None if constraints is None else TableConstraints.from_json(constraints),
        )


class TableColumnDep(Record):
    """A column of an upstream asset that a column depends on."""

    __slots__ = ("asset_key", "column_name")
    _fields = ("asset_key", "column_name")
    asset_key: AssetKey
    column_name: str

    def __init__(self, asset_key: CoercibleToAssetKey, column_name: str) -> None:
        _check_str(column_name, "TableColumnDep", "column_name")
        _setattr(self, "asset_key", AssetKey.from_coercible(asset_key))
        _setattr(self, "column_name", column_name)

    def to_json(self) -> dict[str, Any]:
        return {"asset_key": list(self.asset_key.path), "column_name": self.column_name}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableColumnDep:
        return TableColumnDep(AssetKey(data["asset_key"]), data["column_name"])


class TableColumnLineage(Record):
    """Column-level lineage: each column name → the upstream columns it is computed from."""

    __slots__ = ("deps_by_column",)
    _fields = ("deps_by_column",)
    deps_by_column: dict[str, list[TableColumnDep]]

    def __init__(self, deps_by_column: Mapping[str, Sequence[TableColumnDep]]) -> None:
        if not isinstance(deps_by_column, Mapping):
            raise InvalidMetadataError(
                "TableColumnLineage.deps_by_column must map column names to lists of TableColumnDep; "
                f"got {describe(deps_by_column)}."
            )
        normalized: dict[str, list[TableColumnDep]] = {}
        for column, deps in deps_by_column.items():
            _check_str(column, "TableColumnLineage", "deps_by_column key")
            items = _list_of(deps, TableColumnDep, "TableColumnLineage", f"deps_by_column[{column!r}]")
            items.sort(key=lambda dep: (dep.asset_key.path, dep.column_name))
            if len({(dep.asset_key, dep.column_name) for dep in items}) != len(items):
                raise InvalidMetadataError(
                    f"The deps for column `{column}` must be unique by asset key and column name."
                )
            normalized[column] = items
        _setattr(self, "deps_by_column", normalized)

    def to_json(self) -> dict[str, Any]:
        return {column: [dep.to_json() for dep in deps] for column, deps in self.deps_by_column.items()}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableColumnLineage:
        return TableColumnLineage(
            {column: [TableColumnDep.from_json(dep) for dep in deps] for column, deps in data.items()}
        )
