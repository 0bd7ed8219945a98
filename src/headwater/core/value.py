"""Value: the base of Headwater's immutable value classes (metadata values, asset events, payloads).

A ``Value`` is a frozen msgspec ``Struct``: fields in a fixed order (its constructor takes them
positionally or by name), equality field by field between instances of the same class, a repr of its
fields, pickling, and the JSON form of :mod:`headwater.core.codec`. On top of that its hash covers
dict and list fields (equal values hash equal), and a subclass normalises and checks its arguments in
``__post_init__`` with :func:`set_field`, which also runs when a value is decoded.

Values are never tracked by the cyclic garbage collector (``gc=False``): they hold no cycles, and
decoding many of them stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

#: Set a field of a frozen value (in ``__post_init__``, while it is being built).
set_field = msgspec.structs.force_setattr


def describe(value: object, limit: int = 200) -> str:
    """``repr(value)`` cut to ``limit`` characters, followed by the type name, for error messages."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} ({type(value).__name__})"


def freeze(value: Any) -> Any:
    """A hashable stand-in for ``value`` that compares equal whenever ``value`` does."""
    if isinstance(value, Mapping):
        return frozenset((k, freeze(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(freeze(v) for v in value)
    return value


class Value(msgspec.Struct, frozen=True, gc=False):
    """Base of immutable value classes; see the module docstring."""

    def __hash__(self) -> int:
        return hash((type(self).__name__, freeze(msgspec.structs.astuple(self))))
