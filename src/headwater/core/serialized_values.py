"""``serialize_value`` / ``deserialize_value``: any value Headwater stores (asset keys, metadata, events,
records, plain JSON data) as a JSON string and back, through the project's one serde (``core.serde``).

The text is Headwater's tagged JSON, not Dagster's (``{"__class__": ...}``): what is promised is the
round trip, as in Dagster; plain JSON data stays plain JSON.
"""

from __future__ import annotations

from typing import Any, TypeVar

from headwater.core import serde

T = TypeVar("T")


class SerializationError(serde.SerdeError):
    """A value cannot be serialized (not a JSON value, nor a type Headwater stores)."""


class DeserializationError(serde.SerdeError):
    """The text is not what was asked for (``as_type``), or names no type Headwater stores."""


def serialize_value(val: Any, whitelist_map: Any = None) -> str:
    """``val`` as a JSON string (``whitelist_map`` is accepted for Dagster's signature and ignored)."""
    try:
        return serde.dumps(serde.encode(val))
    except serde.SerdeError as exc:
        raise SerializationError(f"Unhandled value type {type(val)}: {exc}") from exc


def deserialize_value(
    val: str | bytes, as_type: type[T] | tuple[type, ...] | None = None, whitelist_map: Any = None
) -> Any:
    """The value ``serialize_value`` wrote; with ``as_type``, checked to be an instance of it."""
    try:
        value = serde.decode(serde.loads(val))
    except serde.SerdeError as exc:
        raise DeserializationError(str(exc)) from exc
    if as_type is not None and not isinstance(value, as_type):
        raise DeserializationError(f"Deserialized object was not expected type {as_type}, got {type(value)}")
    return value
