"""From Python annotations to Dagster types: builtins, typing generics, registered classes, inferred
classes; ``check_dagster_type``; ``usable_as_dagster_type`` and its registry."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar, overload

from headwater.definitions.type_collections import (
    BARE_TYPES,
    CollectionTypeApi,
    dict_type,
    list_type,
    optional_type,
    set_type,
    tuple_type,
)
from headwater.definitions.types import (
    ANY_TYPE,
    NOTHING_TYPE,
    DagsterType,
    Nothing,
    PythonObjectDagsterType,
    StandaloneTypeCheckContext,
    TypeCheck,
    _NothingMarker,
    scalar_type,
)
from headwater.errors import InvalidDefinitionError, InvariantViolationError

T = TypeVar("T", bound=type)

_BUILTINS: dict[Any, DagsterType] = {
    int: scalar_type(lambda v: isinstance(v, int), "Int", "int", int),
    float: scalar_type(lambda v: isinstance(v, float), "Float", "float", float),
    str: scalar_type(lambda v: isinstance(v, str), "String", "string", str),
    bool: scalar_type(lambda v: isinstance(v, bool), "Bool", "bool", bool),
    **BARE_TYPES,
}

# make_python_type_usable_as_dagster_type / @usable_as_dagster_type: one Dagster type per class.
_REGISTERED: dict[type, DagsterType] = {}
# Classes used as annotations without registration get a type inferred once and reused.
_INFERRED: dict[type, DagsterType] = {}


def _args(items: tuple[Any, ...], count: int, api: str) -> list[DagsterType]:
    if len(items) != count:
        raise InvalidDefinitionError(f"{api}[...] takes {count} type argument(s); got {len(items)}.")
    return [resolve_dagster_type(i) for i in items]


List = CollectionTypeApi("List", BARE_TYPES[list], lambda a: list_type(_args(a, 1, "List")[0]))
Optional = CollectionTypeApi("Optional", None, lambda a: optional_type(_args(a, 1, "Optional")[0]))
Dict = CollectionTypeApi("Dict", BARE_TYPES[dict], lambda a: dict_type(*_args(a, 2, "Dict")))
Set = CollectionTypeApi("Set", BARE_TYPES[set], lambda a: set_type(_args(a, 1, "Set")[0]))
Tuple = CollectionTypeApi("Tuple", BARE_TYPES[tuple], lambda a: tuple_type(_args(a, len(a), "Tuple")))


def _inferred(py_type: type) -> DagsterType:
    found = _INFERRED.get(py_type)
    if found is None:
        module = py_type.__module__
        label = py_type.__qualname__ if module == "builtins" else f"{module}.{py_type.__qualname__}"
        found = PythonObjectDagsterType(py_type, name=py_type.__name__, type_label=label)
        _INFERRED[py_type] = found
    return found


def _from_typing(annotation: Any, origin: Any) -> DagsterType | None:
    args = typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1 and len(args) == 2:
            return optional_type(resolve_dagster_type(non_none[0]))
        return ANY_TYPE
    if origin is list:
        return list_type(resolve_dagster_type(args[0]) if args else ANY_TYPE)
    if origin is dict and len(args) == 2:
        return dict_type(resolve_dagster_type(args[0]), resolve_dagster_type(args[1]))
    if origin is set and len(args) == 1:
        return set_type(resolve_dagster_type(args[0]))
    if origin is tuple and args and Ellipsis not in args:
        return tuple_type([resolve_dagster_type(a) for a in args])
    if isinstance(origin, type):
        return resolve_dagster_type(origin)
    return None


def resolve_dagster_type(annotation: Any) -> DagsterType:
    """Turn a Python annotation (or a DagsterType, or Nothing) into a DagsterType, named as Dagster
    names it (``Int``, ``String``, ``[Int]``, ``Int?``, ``Dict[String,Int]``, the class name)."""
    if annotation is None or annotation is type(None):
        return NOTHING_TYPE
    if annotation is Nothing or annotation is _NothingMarker:
        return NOTHING_TYPE
    if isinstance(annotation, DagsterType):
        return annotation
    if isinstance(annotation, CollectionTypeApi):
        if annotation.bare is None:
            raise InvalidDefinitionError(f"{annotation!r} needs a type argument: {annotation!r}[int].")
        return annotation.bare
    if annotation is Any or annotation is object:
        return ANY_TYPE
    if isinstance(annotation, type):
        found = _BUILTINS.get(annotation) or _REGISTERED.get(annotation)
        if found is not None:
            return found
    origin = typing.get_origin(annotation)
    if origin is not None:
        resolved = _from_typing(annotation, origin)
        if resolved is not None:
            return resolved
    if isinstance(annotation, type):
        return _inferred(annotation)
    return ANY_TYPE


def make_python_type_usable_as_dagster_type(python_type: type, dagster_type: DagsterType) -> None:
    """Map ``python_type`` to ``dagster_type``: annotations of that class then use it. Once per class."""
    if not isinstance(python_type, type) or not isinstance(dagster_type, DagsterType):
        raise InvalidDefinitionError(
            "make_python_type_usable_as_dagster_type(python_type, dagster_type) takes a class and a "
            f"DagsterType; got {python_type!r} and {dagster_type!r}."
        )
    registered = _REGISTERED.get(python_type)
    if registered is None:
        _REGISTERED[python_type] = dagster_type
    elif registered is not dagster_type:
        raise InvalidDefinitionError(
            f"A Dagster type has already been registered for the Python type {python_type}. "
            "make_python_type_usable_as_dagster_type can only be called once on a python type as it is "
            "registering a 1:1 mapping between that python type and a dagster type."
        )


@overload
def usable_as_dagster_type(name: T) -> T: ...


@overload
def usable_as_dagster_type(
    name: str | None = None, description: str | None = None, loader: Any = None
) -> Callable[[T], T]: ...


def usable_as_dagster_type(name: Any = None, description: str | None = None, loader: Any = None) -> Any:
    """Decorate a class so that annotations of it are checked as a Dagster type of that name."""

    def register(cls: T) -> T:
        type_name = name if isinstance(name, str) else cls.__name__
        dagster_type = PythonObjectDagsterType(cls, name=type_name, description=description, loader=loader)
        make_python_type_usable_as_dagster_type(cls, dagster_type)
        return cls

    if isinstance(name, type):
        cls, name = name, None
        return register(cls)
    return register


def check_dagster_type(dagster_type: Any, value: Any) -> TypeCheck:
    """Run ``dagster_type``'s check on ``value`` outside a run (for tests); returns the TypeCheck."""
    if typing.get_origin(dagster_type) is not None and getattr(dagster_type, "__module__", "") == "typing":
        raise InvariantViolationError(
            f"Must pass in a type from dagster module. You passed {dagster_type} which is part of python's "
            "typing module."
        )
    return resolve_dagster_type(dagster_type).type_check(StandaloneTypeCheckContext(), value)
