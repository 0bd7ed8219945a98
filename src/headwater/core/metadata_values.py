"""MetadataValue and its typed subclasses, with Dagster's class, attribute and constructor names."""

from __future__ import annotations

import builtins
import json as _json
import math
import numbers
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from headwater.core._record import Record, _setattr, describe
from headwater.core.asset_key import AssetKey
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

_VALUE_CLASSES: dict[str, type[MetadataValue[Any]]] = {}


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


def _encode_float(value: float | None) -> float | str | None:
    if value is None or math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _decode_float(value: float | str | None) -> float | None:
    return float(value) if isinstance(value, str) else value


def _to_float(value: object, owner: str, *, optional: bool) -> float | None:
    if type(value) is float or (optional and value is None):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise _fail(owner, "value", "a float or None" if optional else "a float", value)


class MetadataValue(Record, Generic[T]):
    """A typed metadata value; build one with the static constructors, e.g. ``MetadataValue.int(3)``."""

    __slots__ = ()
    _tag: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls._tag:
            _VALUE_CLASSES[cls._tag] = cls

    @property
    def value(self) -> T:
        """The wrapped Python value."""
        raise NotImplementedError

    # --- serialization -------------------------------------------------------------------------------

    def to_json(self) -> dict[builtins.str, Any]:
        """Plain JSON-able form, tagged with the value's type: ``{"type": "int", "value": 3}``."""
        out: dict[builtins.str, Any] = {"type": self._tag}
        out.update(self._payload())
        return out

    @staticmethod
    def from_json(data: Mapping[builtins.str, Any]) -> MetadataValue[Any]:
        """Inverse of :meth:`to_json`."""
        import headwater.core.structured_metadata  # noqa: F401 - registers the structured value tags

        tag = data.get("type") if isinstance(data, Mapping) else None
        cls = _VALUE_CLASSES.get(tag) if isinstance(tag, builtins.str) else None
        if cls is None:
            raise InvalidMetadataError(
                f"Cannot read stored metadata value {describe(data)}: unknown type tag {tag!r}; "
                f"known tags are {', '.join(sorted(_VALUE_CLASSES))}."
            )
        try:
            return cls._from_payload(data)
        except KeyError as exc:
            raise InvalidMetadataError(
                f"Cannot read stored metadata value {describe(data)}: missing field {exc.args[0]!r}."
            ) from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise InvalidMetadataError(f"Cannot read stored metadata value {describe(data)}: {exc}.") from exc

    def _payload(self) -> dict[builtins.str, Any]:
        return {name: getattr(self, name) for name in self._fields}

    @classmethod
    def _from_payload(cls, data: Mapping[builtins.str, Any]) -> MetadataValue[Any]:
        return cls(*[data[name] for name in cls._fields])

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


class TextMetadataValue(MetadataValue[str]):
    __slots__ = ("text",)
    _fields = ("text",)
    _tag = "text"
    text: str | None  # type: ignore[assignment]

    def __init__(self, text: str | None = "") -> None:
        _setattr(self, "text", _opt_str(text, "TextMetadataValue", "text"))

    @property
    def value(self) -> str:
        return self.text if self.text is not None else ""


class UrlMetadataValue(MetadataValue[str]):
    __slots__ = ("url",)
    _fields = ("url",)
    _tag = "url"
    url: str | None  # type: ignore[assignment]

    def __init__(self, url: str | None = "") -> None:
        _setattr(self, "url", _opt_str(url, "UrlMetadataValue", "url"))

    @property
    def value(self) -> str:
        return self.url if self.url is not None else ""


class _FsPathMetadataValue(MetadataValue[str]):
    __slots__ = ("fspath",)
    _fields = ("fspath",)
    fspath: str

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        _setattr(self, "fspath", _fspath(path, type(self).__name__))

    @property
    def value(self) -> str:
        return self.fspath

    @property
    def path(self) -> str:  # type: ignore[override]
        return self.fspath


class PathMetadataValue(_FsPathMetadataValue):
    __slots__ = ()
    _tag = "path"


class NotebookMetadataValue(_FsPathMetadataValue):
    __slots__ = ()
    _tag = "notebook"


class JsonMetadataValue(MetadataValue[Sequence[Any] | Mapping[str, Any] | None]):
    """JSON data; stored as what ``json.loads(json.dumps(data))`` gives (tuples → lists, keys → str)."""

    __slots__ = ("data",)
    _fields = ("data",)
    _tag = "json"
    data: Sequence[Any] | Mapping[str, Any] | None

    def __init__(self, data: Sequence[Any] | Mapping[str, Any] | None) -> None:
        if data is not None and not isinstance(data, (Mapping, Sequence)):
            raise _fail("JsonMetadataValue", "data", "a dict, a list or None", data)
        try:
            normalized = _json.loads(_json.dumps(data, default=_json_default))
        except (TypeError, ValueError) as exc:
            raise InvalidMetadataError(f"Value is not JSON serializable: {exc}.") from exc
        _setattr(self, "data", normalized)

    @property
    def value(self) -> Sequence[Any] | Mapping[str, Any] | None:
        return self.data


class MarkdownMetadataValue(MetadataValue[str]):
    __slots__ = ("md_str",)
    _fields = ("md_str",)
    _tag = "md"
    md_str: str | None

    def __init__(self, md_str: str | None = "") -> None:
        _setattr(self, "md_str", _opt_str(md_str, "MarkdownMetadataValue", "md_str"))

    @property
    def value(self) -> str:
        return self.md_str if self.md_str is not None else ""


class PythonArtifactMetadataValue(MetadataValue["PythonArtifactMetadataValue"]):
    __slots__ = ("module", "name")
    _fields = ("module", "name")
    _tag = "python_artifact"
    module: str
    name: str

    def __init__(self, module: str, name: str) -> None:
        _setattr(self, "module", _req_str(module, "PythonArtifactMetadataValue", "module"))
        _setattr(self, "name", _req_str(name, "PythonArtifactMetadataValue", "name"))

    @property
    def value(self) -> PythonArtifactMetadataValue:
        return self


class FloatMetadataValue(MetadataValue[float | None]):
    __slots__ = ("value",)
    _fields = ("value",)
    _tag = "float"
    value: float | None

    def __init__(self, value: float | None) -> None:
        _setattr(self, "value", _to_float(value, "FloatMetadataValue", optional=True))

    def _payload(self) -> dict[str, Any]:
        return {"value": _encode_float(self.value)}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> FloatMetadataValue:
        return cls(_decode_float(data["value"]))


class IntMetadataValue(MetadataValue[int | None]):
    __slots__ = ("value",)
    _fields = ("value",)
    _tag = "int"
    value: int | None

    def __init__(self, value: int | None) -> None:
        if type(value) is not int and value is not None:
            if not isinstance(value, numbers.Integral):
                raise _fail("IntMetadataValue", "value", "an int or None", value)
            value = int(value)
        _setattr(self, "value", value)


class BoolMetadataValue(MetadataValue[bool | None]):
    __slots__ = ("value",)
    _fields = ("value",)
    _tag = "bool"
    value: bool | None

    def __init__(self, value: bool | None) -> None:
        if value is not None and not isinstance(value, bool):
            raise _fail("BoolMetadataValue", "value", "a bool or None", value)
        _setattr(self, "value", value)


class TimestampMetadataValue(MetadataValue[float]):
    """Seconds since the UNIX epoch."""

    __slots__ = ("value",)
    _fields = ("value",)
    _tag = "timestamp"
    value: float

    def __init__(self, value: float) -> None:
        _setattr(self, "value", _to_float(value, "TimestampMetadataValue", optional=False))

    def _payload(self) -> dict[str, Any]:
        return {"value": _encode_float(self.value)}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> TimestampMetadataValue:
        return cls(_decode_float(data["value"]))  # type: ignore[arg-type]


class NullMetadataValue(MetadataValue[None]):
    __slots__ = ()
    _tag = "null"

    @property
    def value(self) -> None:
        return None


class PoolMetadataValue(MetadataValue[str]):
    """The name of a concurrency pool."""

    __slots__ = ("name",)
    _fields = ("name",)
    _tag = "pool"
    name: str

    def __init__(self, pool: str) -> None:
        _setattr(self, "name", _req_str(pool, "PoolMetadataValue", "pool"))

    @property
    def value(self) -> str:
        return self.name

    @property
    def pool(self) -> str:  # type: ignore[override]
        return self.name
