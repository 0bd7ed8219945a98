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
    """A named type check applied to inputs and outputs.

    ``type_check_fn(context, value)`` returns a bool, or an object with ``success`` (and optionally
    ``description``), like Dagster's ``TypeCheck``.
    """

    __slots__ = ("_describe", "description", "is_nothing", "name", "type_check_fn")

    def __init__(
        self,
        type_check_fn: Callable[[Any, Any], Any] | None = None,
        name: str | None = None,
        description: str | None = None,
        *,
        is_nothing: bool = False,
        describe_failure: Callable[[Any], str] | None = None,
    ) -> None:
        self.type_check_fn = type_check_fn
        self.name = name or "Any"
        self.description = description
        self.is_nothing = is_nothing
        self._describe = describe_failure

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def is_any(self) -> bool:
        return self.type_check_fn is None and not self.is_nothing

    def type_check(self, context: Any, value: Any) -> bool:
        return self.check(context, value)[0]

    def check(self, context: Any, value: Any) -> tuple[bool, str | None]:
        """(passed, description of the failure) for ``value``."""
        if self.type_check_fn is None:
            return True, None
        result = self.type_check_fn(context, value)
        if isinstance(result, bool):
            passed, description = result, None
        else:
            passed = bool(getattr(result, "success", result))
            description = getattr(result, "description", None)
        if not passed and description is None and self._describe is not None:
            description = self._describe(value)
        return passed, description

    def __repr__(self) -> str:
        return f"DagsterType({self.name})"


ANY_TYPE = DagsterType(None, "Any")
NOTHING_TYPE = DagsterType(None, "Nothing", is_nothing=True)


def _scalar(check: Callable[[Any], bool], name: str, word: str) -> DagsterType:
    return DagsterType(
        lambda _c, v: check(v),
        name,
        describe_failure=lambda v: f'Value "{v}" of python type "{type(v).__name__}" must be a {word}.',
    )


def _python_class(py_type: type, name: str | None = None) -> DagsterType:
    module = py_type.__module__
    qualified = py_type.__qualname__ if module == "builtins" else f"{module}.{py_type.__qualname__}"
    type_name = name or py_type.__name__
    return DagsterType(
        lambda _c, v: isinstance(v, py_type),
        type_name,
        describe_failure=lambda v: (
            f"Value of type {type(v)} failed type check for Dagster type {type_name}, expected value to be "
            "of "
            f"Python type {qualified}."
        ),
    )


def _list_of(inner: DagsterType) -> DagsterType:
    inner_check = inner.type_check_fn

    def check(context: Any, value: Any) -> bool:
        if not isinstance(value, list):
            return False
        return inner_check is None or all(inner.type_check(context, item) for item in value)

    return DagsterType(
        check,
        f"[{inner.name}]",
        describe_failure=lambda v: f'Value "{v}" of python type "{type(v).__name__}" must be a list.',
    )


def _optional(inner: DagsterType) -> DagsterType:
    if inner.type_check_fn is None:
        return DagsterType(None, f"{inner.name}?")
    return DagsterType(
        lambda c, v: v is None or inner.type_check(c, v),
        f"{inner.name}?",
        describe_failure=lambda v: inner.check(None, v)[1] or "",
    )


_BUILTINS: dict[Any, DagsterType] = {
    int: _scalar(lambda v: isinstance(v, int), "Int", "int"),
    float: _scalar(lambda v: isinstance(v, float), "Float", "float"),
    str: _scalar(lambda v: isinstance(v, str), "String", "string"),
    bool: _scalar(lambda v: isinstance(v, bool), "Bool", "bool"),
    list: _list_of(ANY_TYPE),
}


def resolve_dagster_type(annotation: Any) -> DagsterType:
    """Turn a Python annotation (or a DagsterType, or Nothing) into a DagsterType, named as Dagster
    names it (``Int``, ``String``, ``[Int]``, ``Int?``, the class name for other classes)."""
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
            return _optional(resolve_dagster_type(non_none[0]))
        return ANY_TYPE
    if origin is list:
        args = typing.get_args(annotation)
        return _list_of(resolve_dagster_type(args[0]) if args else ANY_TYPE)
    if isinstance(origin, type):
        return _python_class(origin)
    if isinstance(annotation, type):
        return _python_class(annotation)
    return ANY_TYPE
