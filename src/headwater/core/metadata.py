"""Metadata: coercing raw values to MetadataValue, and the closed union of the value classes.

The value classes live in ``metadata_values``, ``structured_metadata``, ``table`` and
``code_references``; this module is the one place to import them from. ``AnyMetadataValue`` is the
tagged union the codec reads a stored value as (``{"type": "int", "value": 3}``).
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias, Union

from headwater.core.asset_key import AssetKey
from headwater.core.code_references import CodeReference, LocalFileCodeReference, UrlCodeReference
from headwater.core.metadata_values import (
    BoolMetadataValue,
    FloatMetadataValue,
    IntMetadataValue,
    JsonMetadataValue,
    MarkdownMetadataValue,
    MetadataValue,
    NotebookMetadataValue,
    NullMetadataValue,
    PathMetadataValue,
    PoolMetadataValue,
    PythonArtifactMetadataValue,
    TextMetadataValue,
    TimestampMetadataValue,
    UrlMetadataValue,
)
from headwater.core.structured_metadata import (
    CodeReferencesMetadataValue,
    DagsterAssetMetadataValue,
    DagsterJobMetadataValue,
    DagsterRunMetadataValue,
    TableColumnLineageMetadataValue,
    TableMetadataValue,
    TableSchemaMetadataValue,
)
from headwater.core.table import (
    TableColumn,
    TableColumnConstraints,
    TableColumnDep,
    TableColumnLineage,
    TableConstraints,
    TableRecord,
    TableSchema,
)
from headwater.errors import InvalidMetadataError

__all__ = [
    "AnyMetadataValue",
    "BoolMetadataValue",
    "CodeReference",
    "CodeReferencesMetadataValue",
    "DagsterAssetMetadataValue",
    "DagsterJobMetadataValue",
    "DagsterRunMetadataValue",
    "FloatMetadataValue",
    "IntMetadataValue",
    "JsonMetadataValue",
    "LocalFileCodeReference",
    "MarkdownMetadataValue",
    "MetadataValue",
    "NotebookMetadataValue",
    "NullMetadataValue",
    "PathMetadataValue",
    "PoolMetadataValue",
    "PythonArtifactMetadataValue",
    "RawMetadataValue",
    "TableColumn",
    "TableColumnConstraints",
    "TableColumnDep",
    "TableColumnLineage",
    "TableColumnLineageMetadataValue",
    "TableConstraints",
    "TableMetadataValue",
    "TableRecord",
    "TableSchema",
    "TableSchemaMetadataValue",
    "TextMetadataValue",
    "TimestampMetadataValue",
    "UrlCodeReference",
    "UrlMetadataValue",
    "normalize_metadata",
    "normalize_metadata_value",
]

#: Every metadata value class: the closed tagged union that stored metadata is read as (to a type
#: checker, any MetadataValue).
if TYPE_CHECKING:
    AnyMetadataValue: TypeAlias = MetadataValue[Any]
else:
    AnyMetadataValue = (
        TextMetadataValue
        | UrlMetadataValue
        | PathMetadataValue
        | NotebookMetadataValue
        | JsonMetadataValue
        | MarkdownMetadataValue
        | PythonArtifactMetadataValue
        | FloatMetadataValue
        | IntMetadataValue
        | BoolMetadataValue
        | TimestampMetadataValue
        | NullMetadataValue
        | PoolMetadataValue
        | DagsterRunMetadataValue
        | DagsterJobMetadataValue
        | DagsterAssetMetadataValue
        | TableMetadataValue
        | TableSchemaMetadataValue
        | TableColumnLineageMetadataValue
        | CodeReferencesMetadataValue
    )

RawMetadataValue = Union[
    MetadataValue[Any],
    TableSchema,
    TableColumnLineage,
    AssetKey,
    "os.PathLike[str]",
    dict[Any, Any],
    float,
    int,
    list[Any],
    str,
    datetime,
    None,
]

_NULL = NullMetadataValue()

# Exact-type fast path; subclasses (IntEnum, str enums, numpy floats…) go through the slow path.
_BY_EXACT_TYPE: dict[type, Callable[[Any], MetadataValue[Any]]] = {
    str: TextMetadataValue,
    int: IntMetadataValue,
    float: FloatMetadataValue,
    bool: BoolMetadataValue,
    dict: JsonMetadataValue,
    list: JsonMetadataValue,
}

_ACCEPTED = (
    "a MetadataValue, str, int, float, bool, dict, list, None, an os.PathLike, AssetKey, TableSchema, "
    "TableColumnLineage or a timezone-aware datetime"
)


def normalize_metadata_value(value: Any) -> MetadataValue[Any]:
    """Coerce one raw value to a MetadataValue (Dagster's rules); raise InvalidMetadataError if it can't."""
    if isinstance(value, MetadataValue):
        return value
    make = _BY_EXACT_TYPE.get(type(value))
    if make is not None:
        return make(value)
    if value is None:
        return _NULL
    # Subclasses of the basic types keep their base value, so a stored copy reads back equal.
    if isinstance(value, str):
        return TextMetadataValue(str.__str__(value))
    if isinstance(value, float):
        return FloatMetadataValue(float(value))
    if isinstance(value, int):
        return BoolMetadataValue(value) if isinstance(value, bool) else IntMetadataValue(int(value))
    if isinstance(value, (list, Mapping)):
        return JsonMetadataValue(value)
    if isinstance(value, os.PathLike):
        return PathMetadataValue(value)
    if isinstance(value, AssetKey):
        return DagsterAssetMetadataValue(value)
    if isinstance(value, TableSchema):
        return TableSchemaMetadataValue(value)
    if isinstance(value, TableColumnLineage):
        return TableColumnLineageMetadataValue(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidMetadataError(
                f"Its value was a naive datetime ({value.isoformat()}), whose timestamp is ambiguous. "
                "Give it a time zone, e.g. value.replace(tzinfo=timezone.utc), or wrap it with "
                "MetadataValue.timestamp."
            )
        return TimestampMetadataValue(value.timestamp())
    if isinstance(value, numbers.Integral):
        return IntMetadataValue(int(value))
    if isinstance(value, numbers.Real):
        return FloatMetadataValue(float(value))
    hint = " Convert it to a list to store it as JSON." if isinstance(value, (tuple, set, frozenset)) else ""
    raise InvalidMetadataError(
        f"Its type was {type(value)}; metadata values must be "
        f"{_ACCEPTED}.{hint} Wrap other values with a MetadataValue constructor, "
        "e.g. MetadataValue.text(str(value))."
    )


def normalize_metadata(
    metadata: Mapping[str, Any] | None, *, allow_invalid: bool = False
) -> dict[str, MetadataValue[Any]]:
    """Coerce every value of ``metadata`` to a MetadataValue, keeping the key order.

    With ``allow_invalid``, a value that cannot be coerced becomes the text ``"[TypeName] (unserializable)"``.
    """
    if not metadata:
        return {}
    if type(metadata) is not dict and not isinstance(metadata, Mapping):
        raise InvalidMetadataError(
            f"Metadata must be a mapping of str keys to values; got {type(metadata).__name__}."
        )
    out: dict[str, MetadataValue[Any]] = {}
    for key, raw in metadata.items():
        if type(key) is not str and not isinstance(key, str):
            raise InvalidMetadataError(f"Metadata keys must be strings; got {key!r} ({type(key).__name__}).")
        try:
            make = _BY_EXACT_TYPE.get(type(raw))
            if make is not None:
                out[key] = make(raw)
            elif isinstance(raw, MetadataValue):
                out[key] = raw
            else:
                out[key] = normalize_metadata_value(raw)
        except InvalidMetadataError as exc:
            if not allow_invalid:
                raise InvalidMetadataError(
                    f'Could not resolve the metadata value for "{key}" to a known type. {exc}'
                ) from None
            out[key] = TextMetadataValue(f"[{type(raw).__name__}] (unserializable)")
    return out
