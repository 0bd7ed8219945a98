"""Dagster types: a name and a type check, resolved from Python annotations."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any


class _NothingMarker:
    """``Nothing``: an input or output that carries ordering, not data."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Nothing"


Nothing: Any = _NothingMarker()


class DagsterType:
    """A named type check applied to inputs and outputs."""

    __slots__ = ("description", "is_nothing", "name", "type_check_fn")

    def __init__(
        self,
        type_check_fn: Callable[[Any, Any], bool] | None = None,
        name: str | None = None,
        description: str | None = None,
        *,
        is_nothing: bool = False,
    ) -> None:
        self.type_check_fn = type_check_fn
        self.name = name or "Any"
        self.description = description
        self.is_nothing = is_nothing

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def is_any(self) -> bool:
        return self.type_check_fn is None and not self.is_nothing

    def type_check(self, context: Any, value: Any) -> bool:
        if self.type_check_fn is None:
            return True
        return bool(self.type_check_fn(context, value))

    def __repr__(self) -> str:
        return f"DagsterType({self.name})"


ANY_TYPE = DagsterType(None, "Any")
NOTHING_TYPE = DagsterType(None, "Nothing", is_nothing=True)

_BUILTINS: dict[Any, DagsterType] = {}


def _isinstance_check(py_type: type, name: str, *, exclude_bool: bool = False) -> DagsterType:
    if exclude_bool:
        return DagsterType(lambda _c, v: isinstance(v, py_type) and not isinstance(v, bool), name)
    return DagsterType(lambda _c, v: isinstance(v, py_type), name)


_BUILTINS.update(
    {
        int: _isinstance_check(int, "Int", exclude_bool=True),
        float: DagsterType(lambda _c, v: isinstance(v, (int, float)) and not isinstance(v, bool), "Float"),
        str: _isinstance_check(str, "String"),
        bool: _isinstance_check(bool, "Bool"),
        list: _isinstance_check(list, "List"),
        dict: _isinstance_check(dict, "Dict"),
        set: _isinstance_check(set, "Set"),
        tuple: _isinstance_check(tuple, "Tuple"),
    }
)


def resolve_dagster_type(annotation: Any) -> DagsterType:
    """Turn a Python annotation (or a DagsterType, or Nothing) into a DagsterType."""
    if annotation is None or annotation is type(None):
        return NOTHING_TYPE
    if annotation is Nothing or annotation is _NothingMarker:
        return NOTHING_TYPE
    if isinstance(annotation, DagsterType):
        return annotation
    if annotation is Any or annotation is typing.Any or annotation is object:
        return ANY_TYPE
    builtin = _BUILTINS.get(annotation)
    if builtin is not None:
        return builtin
    origin = typing.get_origin(annotation)
    if origin is typing.Union or (origin is not None and str(origin) == "<class 'types.UnionType'>"):
        args = typing.get_args(annotation)
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1 and len(args) == 2:
            inner = resolve_dagster_type(non_none[0])
            if inner.type_check_fn is None:
                return DagsterType(None, f"Optional[{inner.name}]")
            check = inner.type_check_fn
            return DagsterType(lambda c, v: v is None or check(c, v), f"Optional[{inner.name}]")
        return ANY_TYPE
    if origin is not None and origin in _BUILTINS:
        base = _BUILTINS[origin]
        return DagsterType(base.type_check_fn, f"{base.name}[...]")
    if isinstance(annotation, type):
        py_type = annotation
        return DagsterType(lambda _c, v: isinstance(v, py_type), py_type.__name__)
    return ANY_TYPE
