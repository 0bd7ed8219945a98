"""``serialize_value`` / ``deserialize_value``: a Headwater value as a JSON string and back.

Through the one codec (``core.codec``). Plain JSON data stays plain JSON; a Headwater value -- an asset
key, an asset check key, a metadata value, an event payload, an error -- is written as an object naming
its class, ``{"__class__": "AssetKey", "path": ["a"]}``, as Dagster writes its own serializable values
(the class names are Headwater's; Dagster's stored strings are not promised to load). Nothing else is
serializable: a value of another class is refused rather than pickled.
"""

from __future__ import annotations

import json
import typing
from functools import cache
from typing import Any, TypeVar

import msgspec

from headwater.core import codec
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo
from headwater.core.metadata import AnyMetadataValue
from headwater.events.payloads import EventPayload

T = TypeVar("T")
_CLASS = "__class__"


class SerializationError(codec.SerdeError):
    """A value cannot be serialized (neither JSON data nor a Headwater value type)."""


class DeserializationError(codec.SerdeError):
    """The text is not what was asked for (``as_type``), or names a class Headwater does not serialize."""


@cache
def _classes() -> dict[str, type[Any]]:
    classes: list[type[Any]] = [AssetCheckKey, ErrorInfo]
    for union in (EventPayload, AnyMetadataValue):
        classes.extend(typing.get_args(union))
    return {cls.__name__: cls for cls in classes}


def _builtins(value: Any) -> Any:
    if isinstance(value, AssetKey):
        return {_CLASS: "AssetKey", "path": list(value.path)}
    if type(value).__name__ in _classes() and _classes()[type(value).__name__] is type(value):
        body = codec.to_builtins(value)
        return {_CLASS: type(value).__name__, "value": body}
    if isinstance(value, dict):
        return {str(k): _builtins(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_builtins(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise SerializationError(
        f"Unhandled value type {type(value)}: serialize_value writes JSON data and Headwater's value types "
        f"(AssetKey, metadata values, event payloads, ...)."
    )


def _values(data: Any) -> Any:
    if isinstance(data, list):
        return [_values(v) for v in data]
    if not isinstance(data, dict):
        return data
    name = data.get(_CLASS)
    if name is None:
        return {k: _values(v) for k, v in data.items()}
    if name == "AssetKey":
        return AssetKey(data["path"])
    cls = _classes().get(name)
    if cls is None:
        raise DeserializationError(f"The text names class {name!r}, which Headwater does not serialize.")
    return codec.convert(data.get("value"), cls, what=name)


def serialize_value(val: Any, whitelist_map: Any = None) -> str:
    """``val`` as a JSON string (``whitelist_map`` is accepted for Dagster's signature and ignored)."""
    return json.dumps(_builtins(val), separators=(",", ":"), ensure_ascii=False)


def deserialize_value(
    val: str | bytes, as_type: type[T] | tuple[type, ...] | None = None, whitelist_map: Any = None
) -> Any:
    """The value ``serialize_value`` wrote; with ``as_type``, checked to be an instance of it."""
    try:
        value = _values(json.loads(val))
    except (ValueError, KeyError, TypeError, msgspec.ValidationError) as exc:
        raise DeserializationError(f"Cannot deserialize the value: {exc}") from exc
    except codec.SerdeError as exc:
        raise DeserializationError(str(exc)) from exc
    if as_type is not None and not isinstance(value, as_type):
        raise DeserializationError(f"Deserialized object was not expected type {as_type}, got {type(value)}")
    return value
