"""Tabular metadata: records, schemas, constraints and column lineage (Dagster's ``Table*`` types).

Values (:mod:`headwater.core.value`) with Dagster's field names; their JSON is their fields, fields
equal to their default left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.core.value import Value, describe, set_field
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


class TableRecord(Value, omit_defaults=True, frozen=True):
    """One row of a table: column name → str, int, float, bool or None."""

    data: dict[str, TableRecordValue]

    if TYPE_CHECKING:

        def __init__(self, data: Mapping[str, TableRecordValue]) -> None: ...

    def __post_init__(self) -> None:
        data = self.data
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
        set_field(self, "data", dict(data))


class TableConstraints(Value, omit_defaults=True, frozen=True):
    """Table-level constraints, described as free-form strings in ``other``."""

    other: list[str]

    if TYPE_CHECKING:

        def __init__(self, other: Sequence[str]) -> None: ...

    def __post_init__(self) -> None:
        set_field(self, "other", _str_list(self.other, "TableConstraints", "other"))


class TableColumnConstraints(Value, omit_defaults=True, frozen=True):
    """A column's constraints: ``nullable``, ``unique`` and free-form ``other`` descriptions."""

    nullable: bool = True
    unique: bool = False
    other: list[str] = []

    if TYPE_CHECKING:

        def __init__(
            self, nullable: bool = True, unique: bool = False, other: Sequence[str] | None = None
        ) -> None: ...

    def __post_init__(self) -> None:
        for name in ("nullable", "unique"):
            flag = getattr(self, name)
            if not isinstance(flag, bool):
                raise InvalidMetadataError(
                    f"TableColumnConstraints.{name} must be a bool; got {describe(flag)}."
                )
        set_field(self, "other", _str_list(self.other, "TableColumnConstraints", "other"))


_DEFAULT_COLUMN_CONSTRAINTS = TableColumnConstraints()
_DEFAULT_TABLE_CONSTRAINTS = TableConstraints([])


class TableColumn(Value, omit_defaults=True, frozen=True):
    """A column of a table schema; ``type`` is a free-form string, ``"string"`` by default."""

    name: str
    type: str = "string"
    description: str | None = None
    constraints: TableColumnConstraints = _DEFAULT_COLUMN_CONSTRAINTS
    tags: dict[str, str] = {}

    if TYPE_CHECKING:

        def __init__(
            self,
            name: str,
            type: str = "string",
            description: str | None = None,
            constraints: TableColumnConstraints | None = None,
            tags: Mapping[str, str] | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        name, constraints = self.name, self.constraints
        _check_str(name, "TableColumn", "name")
        _check_str(self.type, "TableColumn", "type")
        _check_str(self.description, "TableColumn", "description", optional=True)
        if constraints is None or constraints == _DEFAULT_COLUMN_CONSTRAINTS:
            set_field(self, "constraints", _DEFAULT_COLUMN_CONSTRAINTS)  # left out of its JSON
        elif not isinstance(constraints, TableColumnConstraints):
            raise InvalidMetadataError(
                f"TableColumn.constraints must be a TableColumnConstraints; got {describe(constraints)}."
            )
        tag_dict = {} if self.tags is None else dict(self.tags)
        for key, value in tag_dict.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise InvalidMetadataError(
                    f"TableColumn.tags must map str to str; got {key!r}: {value!r} in column {name!r}."
                )
        set_field(self, "tags", tag_dict)


class TableSchema(Value, omit_defaults=True, frozen=True):
    """The schema of a table: its columns and table-level constraints."""

    columns: list[TableColumn]
    constraints: TableConstraints = _DEFAULT_TABLE_CONSTRAINTS

    if TYPE_CHECKING:

        def __init__(
            self, columns: Sequence[TableColumn], constraints: TableConstraints | None = None
        ) -> None: ...

    def __post_init__(self) -> None:
        constraints = self.constraints
        if constraints is None or (isinstance(constraints, TableConstraints) and not constraints.other):
            set_field(self, "constraints", _DEFAULT_TABLE_CONSTRAINTS)  # left out of its JSON
        elif not isinstance(constraints, TableConstraints):
            raise InvalidMetadataError(
                f"TableSchema.constraints must be a TableConstraints; got {describe(constraints)}."
            )
        set_field(self, "columns", _list_of(self.columns, TableColumn, "TableSchema", "columns"))

    @staticmethod
    def from_name_type_dict(name_type_dict: Mapping[str, str]) -> TableSchema:
        """A schema with one column per ``name: type`` entry."""
        return TableSchema([TableColumn(name=name, type=type_) for name, type_ in name_type_dict.items()])


class TableColumnDep(Value, omit_defaults=True, frozen=True):
    """A column of an upstream asset that a column depends on."""

    asset_key: AssetKey
    column_name: str

    if TYPE_CHECKING:

        def __init__(self, asset_key: CoercibleToAssetKey, column_name: str) -> None: ...

    def __post_init__(self) -> None:
        _check_str(self.column_name, "TableColumnDep", "column_name")
        if type(self.asset_key) is not AssetKey:
            set_field(self, "asset_key", AssetKey.from_coercible(self.asset_key))


class TableColumnLineage(Value, omit_defaults=True, frozen=True):
    """Column-level lineage: each column name → the upstream columns it is computed from."""

    deps_by_column: dict[str, list[TableColumnDep]]

    if TYPE_CHECKING:

        def __init__(self, deps_by_column: Mapping[str, Sequence[TableColumnDep]]) -> None: ...

    def __post_init__(self) -> None:
        deps_by_column = self.deps_by_column
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
        set_field(self, "deps_by_column", normalized)
