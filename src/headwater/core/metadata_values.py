"""MetadataValue and its typed subclasses, with Dagster's class, attribute and constructor names.

Each value class is a tagged :class:`~headwater.core.value.Value`: its JSON form is
``{"type": <tag>, <field>: ...}`` (``{"type": "int", "value": 3}``), and the union of all of them is
``core.metadata.AnyMetadataValue``. Constructors check and normalise their arguments in
``__post_init__``, which also runs when a value is decoded.
"""

from __future__ import annotations

import builtins
import math
import numbers
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from headwater.core.asset_key import AssetKey
from headwater.core.codec import finite_or_marked, float_from_json
from headwater.core.value import Value, describe, set_field
from headwater.errors import InvalidMetadataError

if TYPE_CHECKING:
    from headwater.core.code_references import CodeReference
    from headwater.core.structured_metadata import (
        CodeReferencesMetadataValue,
        DagsterAssetMetadataValue,
        DagsterJobMetadataValue,
        DagsterRunMetadataValue,
        TableColumnLineageMetadataValue,
        TableMetadataValue,
        TableSchemaMetadataValue,
    )
    from headwater.core.table import TableColumnLineage, TableRecord, TableSchema

T = TypeVar("T", covariant=True)

_json_encode = msgspec.json.encode
_json_decode = msgspec.json.decode


def _fail(owner: str, field: str, expected: str, value: object) -> InvalidMetadataError:
    return InvalidMetadataError(f"{owner}.{field} must be {expected}; got {describe(value)}.")


def _opt_str(value: object, owner: str, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _fail(owner, field, "a str or None", value)


def _req_str(value: object, owner: str, field: str) -> str:
    if isinstance(value, str):
        return value
    raise _fail(owner, field, "a str", value)


def _fspath(value: object, owner: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise _fail(owner, "path", "a str or an os.PathLike of str", value)


def _json_default(value: object) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _to_float(value: object, owner: str, *, optional: bool) -> float | None:
    if type(value) is float:
        return finite_or_marked(value)
    if optional and value is None:
        return None
    if isinstance(value, str):  # as stored: "NaN", "Infinity", "-Infinity"
        try:
            return float_from_json(value)
        except ValueError:
            pass
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        return finite_or_marked(float(value))
    raise _fail(owner, "value", "a float or None" if optional else "a float", value)


class MetadataValue(Value, Generic[T], tag_field="type", omit_defaults=True, frozen=True):
    """A typed metadata value; build one with the static constructors, e.g. ``MetadataValue.int(3)``."""

    @property
    def value(self) -> T:
        """The wrapped Python value."""
        raise NotImplementedError

    # --- static constructors (Dagster's names) -----------------------------------------------------

    @staticmethod
    def text(text: builtins.str) -> TextMetadataValue:
        return TextMetadataValue(text)

    @staticmethod
    def url(url: builtins.str) -> UrlMetadataValue:
        return UrlMetadataValue(url)

    @staticmethod
    def path(path: builtins.str | os.PathLike[builtins.str]) -> PathMetadataValue:
        return PathMetadataValue(path)

    @staticmethod
    def notebook(path: builtins.str | os.PathLike[builtins.str]) -> NotebookMetadataValue:
        return NotebookMetadataValue(path)

    @staticmethod
    def json(data: Sequence[Any] | Mapping[builtins.str, Any]) -> JsonMetadataValue:
        return JsonMetadataValue(data)

    @staticmethod
    def md(data: builtins.str) -> MarkdownMetadataValue:
        return MarkdownMetadataValue(data)

    @staticmethod
    def python_artifact(python_artifact: Callable[..., Any]) -> PythonArtifactMetadataValue:
        """A reference to a Python class or function, by module and name."""
        if not callable(python_artifact):
            raise _fail("MetadataValue", "python_artifact", "a class or function", python_artifact)
        return PythonArtifactMetadataValue(python_artifact.__module__, python_artifact.__name__)

    @staticmethod
    def float(value: builtins.float) -> FloatMetadataValue:
        return FloatMetadataValue(value)

    @staticmethod
    def int(value: builtins.int) -> IntMetadataValue:
        return IntMetadataValue(value)

    @staticmethod
    def bool(value: builtins.bool) -> BoolMetadataValue:
        return BoolMetadataValue(value)

    @staticmethod
    def timestamp(value: builtins.float | datetime) -> TimestampMetadataValue:
        """A UNIX timestamp, from seconds or a timezone-aware datetime."""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidMetadataError(
                    "Datetime values provided to MetadataValue.timestamp must have timezones, "
                    f"but {value.isoformat()} does not; e.g. use value.replace(tzinfo=timezone.utc)."
                )
            return TimestampMetadataValue(value.timestamp())
        return TimestampMetadataValue(value)

    @staticmethod
    def dagster_run(run_id: builtins.str) -> DagsterRunMetadataValue:
        from headwater.core.structured_metadata import DagsterRunMetadataValue

        return DagsterRunMetadataValue(run_id)

    @staticmethod
    def asset(asset_key: AssetKey) -> DagsterAssetMetadataValue:
        from headwater.core.structured_metadata import DagsterAssetMetadataValue

        return DagsterAssetMetadataValue(asset_key)

    @staticmethod
    def job(
        job_name: builtins.str, location_name: builtins.str, *, repository_name: builtins.str | None = None
    ) -> DagsterJobMetadataValue:
        from headwater.core.structured_metadata import DagsterJobMetadataValue

        return DagsterJobMetadataValue(job_name, location_name, repository_name)

    @staticmethod
    def table(records: Sequence[TableRecord], schema: TableSchema | None = None) -> TableMetadataValue:
        from headwater.core.structured_metadata import TableMetadataValue

        return TableMetadataValue(records, schema)

    @staticmethod
    def table_schema(schema: TableSchema) -> TableSchemaMetadataValue:
        from headwater.core.structured_metadata import TableSchemaMetadataValue

        return TableSchemaMetadataValue(schema)

    @staticmethod
    def column_lineage(lineage: TableColumnLineage) -> TableColumnLineageMetadataValue:
        from headwater.core.structured_metadata import TableColumnLineageMetadataValue

        return TableColumnLineageMetadataValue(lineage)

    @staticmethod
    def null() -> NullMetadataValue:
        return NullMetadataValue()

    @staticmethod
    def pool(pool: builtins.str) -> PoolMetadataValue:
        return PoolMetadataValue(pool)

    @staticmethod
    def code_references(code_references: Sequence[CodeReference]) -> CodeReferencesMetadataValue:
        from headwater.core.structured_metadata import CodeReferencesMetadataValue

        return CodeReferencesMetadataValue(code_references)


class TextMetadataValue(MetadataValue[str], tag="text", frozen=True):
    text: str | None = ""  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.text is not None and type(self.text) is not str:
            _opt_str(self.text, "TextMetadataValue", "text")

    @property
    def value(self) -> str:
        return self.text if self.text is not None else ""


class UrlMetadataValue(MetadataValue[str], tag="url", frozen=True):
    url: str | None = ""  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.url is not None and type(self.url) is not str:
            _opt_str(self.url, "UrlMetadataValue", "url")

    @property
    def value(self) -> str:
        return self.url if self.url is not None else ""


class _FsPathMetadataValue(MetadataValue[str], frozen=True):
    # Dagster's constructor takes ``path``; its attribute (and JSON field) is ``fspath``.
    path: str = msgspec.field(name="fspath")  # type: ignore[assignment]

    if TYPE_CHECKING:

        def __init__(self, path: str | os.PathLike[str] | None) -> None: ...

    def __post_init__(self) -> None:
        if type(self.path) is not str:
            set_field(self, "path", _fspath(self.path, type(self).__name__))

    @property
    def value(self) -> str:
        return self.path

    @property
    def fspath(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f"{type(self).__name__}(fspath={self.path!r})"


class PathMetadataValue(_FsPathMetadataValue, tag="path", frozen=True):
    if TYPE_CHECKING:

        def __init__(self, path: str | os.PathLike[str] | None) -> None: ...


class NotebookMetadataValue(_FsPathMetadataValue, tag="notebook", frozen=True):
    if TYPE_CHECKING:

        def __init__(self, path: str | os.PathLike[str] | None) -> None: ...


class JsonMetadataValue(MetadataValue[Sequence[Any] | Mapping[str, Any] | None], tag="json", frozen=True):
    """JSON data; held as what its JSON reads back as (tuples → lists, keys → str, NaN → None)."""

    data: list[Any] | dict[str, Any] | None

    if TYPE_CHECKING:

        def __init__(self, data: Sequence[Any] | Mapping[str, Any] | None) -> None: ...

    def __post_init__(self) -> None:
        data = self.data
        if data is not None and not isinstance(data, (Mapping, Sequence)):
            raise _fail("JsonMetadataValue", "data", "a dict, a list or None", data)
        try:
            normalized = _json_decode(_json_encode(data, enc_hook=_json_default))
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidMetadataError(f"Value is not JSON serializable: {exc}.") from exc
        set_field(self, "data", normalized)

    @property
    def value(self) -> Sequence[Any] | Mapping[str, Any] | None:
        return self.data


class MarkdownMetadataValue(MetadataValue[str], tag="md", frozen=True):
    md_str: str | None = ""

    def __post_init__(self) -> None:
        if self.md_str is not None and type(self.md_str) is not str:
            _opt_str(self.md_str, "MarkdownMetadataValue", "md_str")

    @property
    def value(self) -> str:
        return self.md_str if self.md_str is not None else ""


class PythonArtifactMetadataValue(
    MetadataValue["PythonArtifactMetadataValue"], tag="python_artifact", frozen=True
):
    module: str
    name: str

    def __post_init__(self) -> None:
        _req_str(self.module, "PythonArtifactMetadataValue", "module")
        _req_str(self.name, "PythonArtifactMetadataValue", "name")

    @property
    def value(self) -> PythonArtifactMetadataValue:
        return self


class FloatMetadataValue(MetadataValue[float | None], tag="float", frozen=True):
    """A float; NaN and infinities are kept (as ``NonFiniteFloat``, written as strings in JSON)."""

    if TYPE_CHECKING:
        value: float | None
    else:
        value: float | str | None

    def __post_init__(self) -> None:
        value = self.value
        if type(value) is not float or not math.isfinite(value):
            set_field(self, "value", _to_float(value, "FloatMetadataValue", optional=True))


class IntMetadataValue(MetadataValue[int | None], tag="int", frozen=True):
    value: int | None

    def __post_init__(self) -> None:
        value = self.value
        if type(value) is not int and value is not None:
            if not isinstance(value, numbers.Integral):
                raise _fail("IntMetadataValue", "value", "an int or None", value)
            set_field(self, "value", int(value))


class BoolMetadataValue(MetadataValue[bool | None], tag="bool", frozen=True):
    value: bool | None

    def __post_init__(self) -> None:
        if self.value is not None and not isinstance(self.value, bool):
            raise _fail("BoolMetadataValue", "value", "a bool or None", self.value)


class TimestampMetadataValue(MetadataValue[float], tag="timestamp", frozen=True):
    """Seconds since the UNIX epoch."""

    if TYPE_CHECKING:
        value: float
    else:
        value: float | str

    def __post_init__(self) -> None:
        value = self.value
        if type(value) is not float or not math.isfinite(value):
            set_field(self, "value", _to_float(value, "TimestampMetadataValue", optional=False))


class NullMetadataValue(MetadataValue[None], tag="null", frozen=True):
    @property
    def value(self) -> None:
        return None


class PoolMetadataValue(MetadataValue[str], tag="pool", frozen=True):
    """The name of a concurrency pool (Dagster's attribute and JSON field: ``name``)."""

    pool: str = msgspec.field(name="name")  # type: ignore[assignment]

    def __post_init__(self) -> None:
        _req_str(self.pool, "PoolMetadataValue", "pool")

    @property
    def value(self) -> str:
        return self.pool

    @property
    def name(self) -> str:
        return self.pool

    def __repr__(self) -> str:
        return f"PoolMetadataValue(name={self.pool!r})"
