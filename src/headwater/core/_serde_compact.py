"""The compact tagged encoder behind ``core.serde.encode(value, compact=True)`` (see there).

It writes the shapes of the full form, so one ``decode`` reads both; what differs: a class with a
registered short name (``core._serde_names``) is tagged by it, and fields of a dataclass or NamedTuple
equal to their default are left out (the reader's default is the same). What to do with a class (its
kind, tag, fields and defaults) is worked out once and cached.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import Enum
from typing import Any

from headwater.core._serde_names import SHORT_NAME_OF_PATH
from headwater.core.asset_key import AssetKey

Fn = Callable[[Any], Any]
_MISSING = object()
_PRIMITIVES = (str, int, float, bool, type(None))
_encoders: dict[type[Any], Fn] = {}


def encode(value: Any) -> Any:
    cls = type(value)
    fn = _encoders.get(cls)
    if fn is None:
        fn = _build(cls, value)
        _encoders[cls] = fn
    return fn(value)


def _identity(value: Any) -> Any:
    return value


def _list(value: list[Any]) -> list[Any]:
    return [encode(v) for v in value]


def _dict(value: dict[Any, Any]) -> dict[str, Any]:
    for k in value:
        if not isinstance(k, str) or k.startswith("__"):
            return {"__m": [[encode(k), encode(v)] for k, v in value.items()]}
    return {k: encode(v) for k, v in value.items()}


def _asset_key(value: AssetKey) -> dict[str, Any]:
    return {"__k": value.path}


def _tuple(value: tuple[Any, ...]) -> dict[str, Any]:
    return {"__tu": [encode(v) for v in value]}


def _set(value: frozenset[Any]) -> dict[str, Any]:
    return {"__set": [encode(v) for v in value]}


def _tag(cls: type[Any], value: object) -> str:
    from headwater.core.serde import _check_headwater

    path = _check_headwater(cls, value)
    return SHORT_NAME_OF_PATH.get(path, path)


def _is_default(value: Any, default: Any) -> bool:
    # Same type as well as equal: 0 is not left out for a default of False.
    return value is default or (type(value) is type(default) and value == default)


def _fields_encoder(tag: str, plan: list[tuple[str, Any]]) -> Fn:
    def encode_fields(value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, default in plan:
            x = getattr(value, name)
            if default is _MISSING or not _is_default(x, default):
                out[name] = encode(x)
        return {"__t": tag, "__f": out}

    return encode_fields


def _dataclass_default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return _MISSING


def _build(cls: type[Any], value: Any) -> Fn:
    """The encoder of values of ``cls`` (the checks, in order, of the full form's ``encode``)."""
    if issubclass(cls, _PRIMITIVES):
        return _identity
    if issubclass(cls, list):
        return _list
    if issubclass(cls, dict):
        return _dict
    if issubclass(cls, AssetKey):
        return _asset_key
    if issubclass(cls, Enum):
        enum_tag = _tag(cls, value)
        return lambda v: {"__e": enum_tag, "v": v.value}
    if hasattr(cls, "to_json") and hasattr(cls, "from_json"):
        json_tag = _tag(cls, value)
        return lambda v: {"__t": json_tag, "__j": v.to_json()}
    if issubclass(cls, tuple) and hasattr(cls, "_fields") and cls is not tuple:
        defaults = cls._field_defaults  # type: ignore[attr-defined]
        plan = [(name, defaults.get(name, _MISSING)) for name in cls._fields]  # type: ignore[attr-defined]
        return _fields_encoder(_tag(cls, value), plan)
    if issubclass(cls, tuple):
        return _tuple
    if issubclass(cls, (set, frozenset)):
        return _set
    if dataclasses.is_dataclass(cls):
        plan = [(f.name, _dataclass_default(f)) for f in dataclasses.fields(cls) if f.init]
        return _fields_encoder(_tag(cls, value), plan)
    if hasattr(cls, "_fields") and hasattr(cls, "__setstate__") and hasattr(cls, "__getstate__"):
        state_tag = _tag(cls, value)
        return lambda v: {"__t": state_tag, "__s": [encode(x) for x in v.__getstate__()]}
    from headwater.core.serde import SerdeError, _path

    raise SerdeError(
        f"Cannot store {value!r} ({_path(cls)}): not a JSON value, dataclass, NamedTuple, Enum or a "
        "class with to_json()/from_json()."
    )
