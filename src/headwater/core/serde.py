"""The one JSON serde of Headwater: stored events and runs, specs on the wire (versioned, stdlib only).

One set of rules, two entry points:

* **typed** — ``to_data(value, tp)`` / ``from_data(data, tp)``: the static type ``tp`` says what to
  expect, so the JSON carries no type names. Used for specs (``LocationSpec``, ``JobSpec``, plans).
  A dataclass becomes an object of its fields (fields equal to their default are left out), a NamedTuple
  a list, a tuple or list a list, a set a sorted list, an Enum its value, an AssetKey its path, a mapping
  with non-string keys a list of pairs, a class with ``to_json()``/``from_json()`` (metadata) its JSON.
  Encoders and decoders are compiled once per type and cached. A field typed ``Any`` falls back to:
* **tagged** — ``encode(value)`` / ``decode(data)``: for values whose type is not known statically (event
  payloads). The JSON names the Headwater class:

  * a class with ``to_json()``/``from_json()`` -> ``{"__t": path, "__j": ...}``
  * a dataclass or NamedTuple -> ``{"__t": path, "__f": {field: value}}``
  * a ``core._record.Record`` -> ``{"__t": path, "__s": [values]}`` (restored without ``__init__``)
  * an Enum -> ``{"__e": path, "v": value}``; an AssetKey -> ``{"__k": path}``; a tuple -> ``{"__tu": [...]}``
  * a dict whose keys are strings not starting with ``__`` -> itself; other dicts -> ``{"__m": pairs}``

  Only classes under ``headwater.`` are ever imported on decode, so data cannot name arbitrary code.

  ``encode(value, compact=True)`` (stored event payloads) writes the same shapes, smaller: a class with a
  registered short name (``core._serde_names``) is tagged by it (``"StepInputData"``), and fields of a
  dataclass or NamedTuple equal to their default are left out. ``decode`` reads both forms.

Each top-level document carries a format version (``"v"``); readers refuse versions newer than theirs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import importlib
import json
from collections.abc import Iterator
from enum import Enum
from typing import Any

from headwater.core import _serde_compact, _serde_typed
from headwater.core._serde_names import SHORT_NAMES
from headwater.core.asset_key import AssetKey
from headwater.errors import HeadwaterError

FORMAT_VERSION = 1
_PRIMITIVES = (str, int, float, bool, type(None))
_classes: dict[str, type[Any]] = {}


class SerdeError(HeadwaterError):
    """A value cannot be turned into JSON, or JSON cannot be read back as the expected type."""


def dumps(data: Any) -> str:
    """Compact JSON text of JSON-able ``data``."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def canonical_dumps(data: Any) -> str:
    """JSON text with sorted keys: equal data gives equal text (for content hashes)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def loads(text: str | bytes) -> Any:
    """Parse JSON text (with the collector paused: a large document is many objects that all stay alive)."""
    with paused_gc():
        return json.loads(text)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    Otherwise it rescans the whole heap several times per document: at 5,000 assets that made reading
    a location spec ten times slower.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# -- typed ----------------------------------------------------------------------------------------------
def to_data(value: Any, tp: Any) -> Any:
    """``value`` (of static type ``tp``) as JSON-able data, without type names."""
    try:
        with paused_gc():
            return _serde_typed.encoder_for(tp)(value)
    except SerdeError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:
        raise SerdeError(f"Cannot serialize {_describe(value)} as {_type_name(tp)}: {exc}") from exc


def from_data(data: Any, tp: Any) -> Any:
    """Inverse of :func:`to_data`; a malformed document raises SerdeError naming the type."""
    try:
        with paused_gc():
            return _serde_typed.decoder_for(tp)(data)
    except SerdeError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, HeadwaterError) as exc:
        raise SerdeError(
            f"Cannot read {_type_name(tp)} from JSON: {type(exc).__name__}: {exc}. The document was written "
            "by another tool or version, or was damaged."
        ) from exc


def check_version(body: Any, what: str) -> None:
    """Refuse a document whose format version this Headwater cannot read."""
    if not isinstance(body, dict):
        raise SerdeError(f"Cannot read {what}: expected a JSON object, got {type(body).__name__}.")
    version = body.get("v")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise SerdeError(
            f"Cannot read {what}: it has format version {version!r}, and this Headwater reads versions up to "
            f"{FORMAT_VERSION}. Upgrade Headwater on this side (all processes should run the same version)."
        )


def _type_name(tp: Any) -> str:
    return getattr(tp, "__qualname__", None) or repr(tp)


def _describe(value: object) -> str:
    text = repr(value)
    return (text[:120] + "...") if len(text) > 120 else text


# -- tagged ---------------------------------------------------------------------------------------------
def _path(cls: type[Any]) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _resolve(tag: str) -> type[Any]:
    """The class a stored tag names: a registered short name or a ``module:qualname`` path."""
    cls = _classes.get(tag)
    if cls is not None:
        return cls
    path = tag if ":" in tag else SHORT_NAMES.get(tag)
    if path is None:
        raise SerdeError(
            f"Stored data names type {tag!r}, which this version of Headwater does not have (no such "
            "short type name)."
        )
    module_name, _, qualname = path.partition(":")
    if not module_name.startswith("headwater.") or not qualname:
        raise SerdeError(
            f"Stored data names type {path!r}, which is not a Headwater type; refusing to load it."
        )
    try:
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise SerdeError(
            f"Stored data names type {path!r}, which this version of Headwater does not have ({exc})."
        ) from exc
    if not isinstance(obj, type):
        raise SerdeError(f"Stored data names {path!r}, which is not a class.")
    _classes[tag] = obj
    return obj


def _check_headwater(cls: type[Any], value: object) -> str:
    path = _path(cls)
    if not cls.__module__.startswith("headwater."):
        raise SerdeError(
            f"Cannot store {value!r}: its type {path} is not a Headwater type. Event data must be built "
            "from Headwater types, JSON values (str, int, float, bool, None, list, dict) and tuples."
        )
    return path


def _asdict(value: Any) -> dict[str, Any]:
    return dict(value._asdict())


def encode(value: Any, *, compact: bool = False) -> Any:
    """``value`` as JSON-able data with type tags (see the module docstring); ``compact``: short type
    names, default-valued fields left out."""
    if compact:
        return _serde_compact.encode(value)
    if isinstance(value, _PRIMITIVES):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"__m": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, AssetKey):
        return {"__k": value.path}
    if isinstance(value, Enum):
        return {"__e": _check_headwater(type(value), value), "v": value.value}
    cls = type(value)
    if hasattr(cls, "to_json") and hasattr(cls, "from_json"):
        return {"__t": _check_headwater(cls, value), "__j": value.to_json()}
    if isinstance(value, tuple) and hasattr(cls, "_fields") and cls is not tuple:
        return {
            "__t": _check_headwater(cls, value),
            "__f": {k: encode(v) for k, v in _asdict(value).items()},
        }
    if isinstance(value, tuple):
        return {"__tu": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"__set": [encode(v) for v in value]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"__t": _check_headwater(cls, value), "__f": fields}
    state = getattr(value, "__getstate__", None)
    if hasattr(cls, "_fields") and hasattr(cls, "__setstate__") and state is not None:
        return {"__t": _check_headwater(cls, value), "__s": [encode(v) for v in state()]}
    raise SerdeError(
        f"Cannot store {value!r} ({_path(cls)}): not a JSON value, dataclass, NamedTuple, Enum or a "
        "class with to_json()/from_json()."
    )


def decode(data: Any) -> Any:
    """Inverse of :func:`encode`."""
    if isinstance(data, _PRIMITIVES):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if "__t" in data:
        cls = _resolve(data["__t"])
        if "__j" in data:
            return cls.from_json(data["__j"])
        if "__f" in data:
            return cls(**{k: decode(v) for k, v in data["__f"].items()})
        obj = object.__new__(cls)
        obj.__setstate__(tuple(decode(v) for v in data["__s"]))
        return obj
    if "__k" in data:
        return AssetKey(data["__k"])
    if "__e" in data:
        return _resolve(data["__e"])(data["v"])
    if "__tu" in data:
        return tuple(decode(v) for v in data["__tu"])
    if "__set" in data:
        return frozenset(decode(v) for v in data["__set"])
    if "__m" in data:
        return {decode(k): decode(v) for k, v in data["__m"]}
    return {k: decode(v) for k, v in data.items()}


__all__ = [
    "FORMAT_VERSION",
    "SerdeError",
    "canonical_dumps",
    "check_version",
    "decode",
    "dumps",
    "encode",
    "from_data",
    "loads",
    "paused_gc",
    "to_data",
]
