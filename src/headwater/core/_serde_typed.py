"""Compiled per-type encoders and decoders behind ``core.serde.to_data``/``from_data`` (see there).

An encoder or decoder is built once per type from its annotations and cached; building one for a
recursive type goes through a trampoline placed in the cache first.
"""

from __future__ import annotations

import collections.abc as abc
import dataclasses
import json
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from headwater.core.asset_key import AssetKey

Fn = Callable[[Any], Any]
_PRIMITIVES: frozenset[Any] = frozenset({str, int, float, bool, type(None)})
_SEQUENCES = frozenset({list, abc.Sequence, abc.MutableSequence, abc.Iterable, abc.Collection})
_SETS = frozenset({set, frozenset, abc.Set, abc.MutableSet})
_MAPPINGS = frozenset({dict, abc.Mapping, abc.MutableMapping})
_MISSING = object()
_encoders: dict[Any, Fn] = {}
_decoders: dict[Any, Fn] = {}


def _identity(value: Any) -> Any:
    return value


def encoder_for(tp: Any) -> Fn:
    fn = _encoders.get(tp)
    if fn is None:
        fn = _cached(tp, _encoders, _build_encoder)
    return fn


def decoder_for(tp: Any) -> Fn:
    fn = _decoders.get(tp)
    if fn is None:
        fn = _cached(tp, _decoders, _build_decoder)
    return fn


def _cached(tp: Any, cache: dict[Any, Fn], build: Callable[[Any], Fn]) -> Fn:
    cell: list[Fn] = []
    cache[tp] = lambda value: cell[0](value)  # trampoline while ``tp`` refers to itself
    try:
        fn = build(tp)
    except BaseException:
        del cache[tp]
        raise
    cell.append(fn)
    cache[tp] = fn
    return fn


def _fallback() -> tuple[Fn, Fn]:
    from headwater.core.serde import decode, encode

    return encode, decode


def _optional_inner(tp: Any) -> tuple[bool, list[Any]]:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return len(args) != len(typing.get_args(tp)), args


def _is_union(origin: Any) -> bool:
    return origin is typing.Union or origin is types.UnionType


def _unsupported(tp: Any) -> TypeError:
    return TypeError(
        f"type {tp!r} has no JSON form (supported: dataclasses, NamedTuples, Enums, AssetKey, "
        "containers of those, JSON primitives, Any, and classes with to_json()/from_json())"
    )


def _sort_key(value: Any) -> Any:
    return value if isinstance(value, (str, int, float)) else json.dumps(value, sort_keys=True)


# -- encoders -------------------------------------------------------------------------------------------
def _build_encoder(tp: Any) -> Fn:
    if tp is Any or tp is object:
        return _fallback()[0]
    if tp in _PRIMITIVES:
        return _identity
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if _is_union(origin):
        has_none, rest = _optional_inner(tp)
        if all(a in _PRIMITIVES for a in rest):
            return _identity
        if has_none and len(rest) == 1:
            inner = encoder_for(rest[0])
            return lambda v: None if v is None else inner(v)
        return _fallback()[0]
    cls = origin or tp
    if cls is tuple:
        if not args:
            return _fallback()[0]
        if len(args) == 2 and args[1] is Ellipsis:
            return _list_encoder(args[0])
        encs = [encoder_for(a) for a in args]
        return lambda v: [e(x) for e, x in zip(encs, v, strict=True)]
    if cls in _SEQUENCES:
        return _list_encoder(args[0] if args else Any)
    if cls in _SETS:
        inner = encoder_for(args[0] if args else Any)
        return lambda v: sorted((inner(x) for x in v), key=_sort_key)
    if cls in _MAPPINGS:
        key_tp, val_tp = args or (str, Any)
        venc = encoder_for(val_tp)
        if key_tp is str:
            if venc is _identity:
                return dict
            return lambda v: {k: venc(x) for k, x in v.items()}
        kenc = encoder_for(key_tp)
        return lambda v: [[kenc(k), venc(x)] for k, x in v.items()]
    if not isinstance(cls, type):
        raise _unsupported(tp)
    if issubclass(cls, AssetKey):
        return lambda v: v.path
    if issubclass(cls, Enum):
        return lambda v: v.value
    if hasattr(cls, "to_json") and hasattr(cls, "from_json"):
        return lambda v: v.to_json()
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):
        hints = typing.get_type_hints(cls)
        encs = [encoder_for(hints.get(name, Any)) for name in cls._fields]
        return lambda v: [e(x) for e, x in zip(encs, v, strict=True)]
    if dataclasses.is_dataclass(cls):
        return _dataclass_encoder(cls)
    raise _unsupported(tp)


def _list_encoder(item: Any) -> Fn:
    inner = encoder_for(item)
    if inner is _identity:
        return list
    return lambda v: [inner(x) for x in v]


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return _MISSING


def _dataclass_encoder(cls: type[Any]) -> Fn:
    hints = typing.get_type_hints(cls)
    plan = [(f.name, encoder_for(hints[f.name]), _default(f)) for f in dataclasses.fields(cls) if f.init]

    def encode_dataclass(value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, enc, default in plan:
            x = getattr(value, name)
            if default is not _MISSING and x == default:
                continue  # left out: the reader's default is the same
            out[name] = enc(x)
        return out

    return encode_dataclass


# -- decoders -------------------------------------------------------------------------------------------
def _build_decoder(tp: Any) -> Fn:
    if tp is Any or tp is object:
        return _fallback()[1]
    if tp in _PRIMITIVES:
        return _identity
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if _is_union(origin):
        has_none, rest = _optional_inner(tp)
        if all(a in _PRIMITIVES for a in rest):
            return _identity
        if has_none and len(rest) == 1:
            inner = decoder_for(rest[0])
            return lambda d: None if d is None else inner(d)
        return _fallback()[1]
    cls = origin or tp
    if cls is tuple:
        if not args:
            return _fallback()[1]
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder_for(args[0])
            return tuple if item is _identity else (lambda d: tuple([item(x) for x in d]))
        decs = [decoder_for(a) for a in args]
        return lambda d: tuple([f(x) for f, x in zip(decs, d, strict=True)])
    if cls in _SEQUENCES:
        item = decoder_for(args[0] if args else Any)
        return list if item is _identity else (lambda d: [item(x) for x in d])
    if cls in _SETS:
        item = decoder_for(args[0] if args else Any)
        make: Fn = set if cls in (set, abc.MutableSet) else frozenset
        return make if item is _identity else (lambda d: make([item(x) for x in d]))
    if cls in _MAPPINGS:
        key_tp, val_tp = args or (str, Any)
        vdec = decoder_for(val_tp)
        if key_tp is str:
            return dict if vdec is _identity else (lambda d: {k: vdec(x) for k, x in d.items()})
        kdec = decoder_for(key_tp)
        return lambda d: {kdec(k): vdec(x) for k, x in d}
    if not isinstance(cls, type):
        raise _unsupported(tp)
    if issubclass(cls, AssetKey):
        return cls
    if issubclass(cls, Enum):
        return cls
    if hasattr(cls, "to_json") and hasattr(cls, "from_json"):
        return cls.from_json  # type: ignore[no-any-return]
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):
        hints = typing.get_type_hints(cls)
        decs = [decoder_for(hints.get(name, Any)) for name in cls._fields]
        return lambda d: cls(*[f(x) for f, x in zip(decs, d, strict=True)])
    if dataclasses.is_dataclass(cls):
        return _dataclass_decoder(cls)
    raise _unsupported(tp)


def _dataclass_decoder(cls: type[Any]) -> Fn:
    hints = typing.get_type_hints(cls)
    fields = {f.name: decoder_for(hints[f.name]) for f in dataclasses.fields(cls) if f.init}

    def decode_dataclass(data: Any) -> Any:
        kwargs = {}
        for name, x in data.items():
            dec = fields.get(name)
            if dec is not None:  # unknown fields (from a newer writer) are ignored
                kwargs[name] = dec(x)
        return cls(**kwargs)

    return decode_dataclass
