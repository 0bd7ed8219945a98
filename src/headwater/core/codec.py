"""The one codec of Headwater: msgspec JSON for specs, event payloads, stored rows and the wire.

Every shape that crosses a process or is stored is a typed msgspec ``Struct`` (or a dataclass, or a
NamedTuple), and where a value may be one of several classes, a closed tagged union: the JSON names
the class by a stable tag (``{"type": "int", "value": 3}``), never by a module path. ``encode`` turns
such a value into JSON bytes; ``decode(data, T)`` reads them back as ``T`` and checks them against
``T`` on the way. ``canonical`` writes sorted keys and sorted sets: equal values give equal bytes (for
content hashes).

Two classes are not Structs and go through hooks here: ``AssetKey`` (written as its path, a list of
strings) and ``NonFiniteFloat`` (a float metadata value that is NaN or infinite, which JSON has no
literal for: written as ``"NaN"``, ``"Infinity"`` or ``"-Infinity"``).

Each top-level document carries a format version (``"v"``); :func:`check_version` refuses a version
newer than the reader's, with a message saying what to do.
"""

from __future__ import annotations

import contextlib
import gc
import math
from collections.abc import Iterator
from typing import Any, TypeVar

import msgspec

from headwater.core.asset_key import AssetKey
from headwater.errors import HeadwaterError

T = TypeVar("T")


class SerdeError(HeadwaterError):
    """A value cannot be turned into JSON, or JSON cannot be read back as the expected type."""


class NonFiniteFloat(float):
    """NaN or an infinity held by a metadata value: a float that JSON writes as a string."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (NonFiniteFloat, (float(self),))


def finite_or_marked(value: float) -> float:
    """``value`` itself, or as a :class:`NonFiniteFloat` when it is NaN or infinite."""
    return value if math.isfinite(value) else NonFiniteFloat(value)


def float_from_json(value: float | str) -> float:
    """The float a stored number or ``"NaN"``/``"Infinity"``/``"-Infinity"`` stands for."""
    if isinstance(value, str):
        if value not in ("NaN", "Infinity", "-Infinity"):
            raise ValueError(f"expected a number, 'NaN', 'Infinity' or '-Infinity'; got {value!r}")
        return NonFiniteFloat(value.replace("Infinity", "inf"))
    return value


def _enc_hook(value: Any) -> Any:
    if isinstance(value, AssetKey):
        return value.path
    if isinstance(value, NonFiniteFloat):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    raise TypeError(
        f"{type(value).__module__}.{type(value).__qualname__} has no JSON form: event data, specs and "
        "stored rows hold Headwater's typed values (metadata values, payloads, specs) and JSON values"
    )


def dec_hook(tp: type[Any], value: Any) -> Any:
    """msgspec's decoding hook for the classes that are not Structs (``AssetKey``)."""
    if tp is AssetKey:
        if not isinstance(value, list):
            raise TypeError(f"an asset key is a list of strings, got {type(value).__name__}")
        return AssetKey(value)
    raise NotImplementedError(f"no JSON form for {tp!r}")


_encoder = msgspec.json.Encoder(enc_hook=_enc_hook)
_canonical_encoder = msgspec.json.Encoder(enc_hook=_enc_hook, order="sorted")
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def encode(value: Any) -> bytes:
    """``value`` as compact JSON bytes."""
    try:
        return _encoder.encode(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise SerdeError(f"Cannot serialize {_describe(value)}: {exc}.") from exc


def canonical(value: Any) -> bytes:
    """JSON bytes with every object's keys and every set sorted: equal values give equal bytes."""
    try:
        return _canonical_encoder.encode(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise SerdeError(f"Cannot serialize {_describe(value)}: {exc}.") from exc


def decoder(tp: type[T]) -> msgspec.json.Decoder[T]:
    """The cached decoder of ``tp`` (for a hot path that handles msgspec's errors itself)."""
    dec = _decoders.get(tp)
    if dec is None:
        dec = _decoders[tp] = msgspec.json.Decoder(tp, dec_hook=dec_hook)
    return dec


def decode(data: bytes | str, tp: type[T], what: str | None = None) -> T:
    """Read JSON ``data`` as ``tp``; a malformed document raises SerdeError naming ``what`` (default:
    the type) and where in the document the problem is."""
    try:
        return decoder(tp).decode(data)
    except (msgspec.DecodeError, HeadwaterError, TypeError, ValueError) as exc:
        raise _read_error(what or _type_name(tp), exc) from exc


def convert(data: Any, tp: type[T], what: str | None = None) -> T:
    """Read already-parsed JSON data (dicts, lists, ...) as ``tp``, with the checks of :func:`decode`."""
    try:
        return msgspec.convert(data, tp, dec_hook=dec_hook)
    except (msgspec.ValidationError, HeadwaterError, TypeError, ValueError) as exc:
        raise _read_error(what or _type_name(tp), exc) from exc


def to_builtins(value: Any, *, sorted_sets: bool = False) -> Any:
    """``value`` as plain JSON data (dicts, lists, str, numbers, None); ``sorted_sets``: sets (and
    dicts) in sorted order."""
    try:
        return msgspec.to_builtins(value, enc_hook=_enc_hook, order="deterministic" if sorted_sets else None)
    except (TypeError, ValueError) as exc:
        raise SerdeError(f"Cannot serialize {_describe(value)}: {exc}.") from exc


class _Version(msgspec.Struct):
    v: Any = None


def version_of(data: bytes | str, what: str) -> int:
    """The format version ``"v"`` of a JSON object document, without decoding the rest of it."""
    try:
        version = decoder(_Version).decode(data).v
    except msgspec.ValidationError as exc:
        raise SerdeError(
            f"Cannot read {what}: expected a JSON object with a format version ({exc})."
        ) from exc
    except msgspec.DecodeError as exc:
        raise SerdeError(f"Cannot read {what}: it is not JSON ({exc}).") from exc
    if not isinstance(version, int) or isinstance(version, bool):
        raise SerdeError(f'Cannot read {what}: it has no format version ("v"), got {version!r}.')
    return version


def check_version(version: int, what: str, newest: int, oldest: int = 1) -> None:
    """Refuse a document of a format version this Headwater cannot read."""
    if version > newest:
        raise SerdeError(
            f"Cannot read {what}: it has format version {version}, and this Headwater reads versions "
            f"{oldest} to {newest}. It was written by a newer Headwater: upgrade Headwater on this side "
            "(all processes should run the same version)."
        )
    if version < oldest:
        raise SerdeError(
            f"Cannot read {what}: it has format version {version}, and this Headwater reads versions "
            f"{oldest} to {newest}. It was written by an older Headwater: upgrade the other side "
            "(all processes should run the same version)."
        )


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


def _read_error(what: str, exc: BaseException) -> SerdeError:
    return SerdeError(
        f"Cannot read {what}: {exc}. The document was written by another tool or version, or was damaged."
    )


def _type_name(tp: Any) -> str:
    return getattr(tp, "__qualname__", None) or repr(tp)


def _describe(value: object) -> str:
    text = repr(value)
    return (text[:120] + "...") if len(text) > 120 else text


__all__ = [
    "NonFiniteFloat",
    "SerdeError",
    "canonical",
    "check_version",
    "convert",
    "decode",
    "decoder",
    "encode",
    "finite_or_marked",
    "float_from_json",
    "paused_gc",
    "to_builtins",
    "version_of",
]
