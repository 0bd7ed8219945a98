"""Collection types: ``List[T]``, ``Optional[T]``, ``Dict[K, V]``, ``Set[T]``, ``Tuple[A, B]``, named and
checked as Dagster names and checks them (``[Int]``, ``Int?``, ``Dict[String,Int]``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.definitions.types import (
    ANY_TYPE,
    DagsterType,
    DagsterTypeKind,
    PythonObjectDagsterType,
    TypeCheck,
)

_PASSED = TypeCheck(True)


def list_type(inner: DagsterType) -> DagsterType:
    def check(context: Any, value: Any) -> TypeCheck:
        if not isinstance(value, list):
            kind = type(value).__name__
            return TypeCheck(False, f'Value "{value}" of python type "{kind}" must be a list.')
        if inner.type_check_fn is not None:
            for item in value:
                item_check = inner.type_check(context, item)
                if not item_check.success:
                    return item_check
        return _PASSED

    return DagsterType(check, f"[{inner.display_name}]", kind=DagsterTypeKind.LIST, typing_type=list)


def optional_type(inner: DagsterType) -> DagsterType:
    def check(context: Any, value: Any) -> TypeCheck:
        return _PASSED if value is None else inner.type_check(context, value)

    fn = None if inner.type_check_fn is None else check
    return DagsterType(fn, f"{inner.display_name}?", kind=DagsterTypeKind.NULLABLE)


def _items_check(inners: list[DagsterType], context: Any, values: Any) -> TypeCheck:
    for inner, item in zip(inners, values, strict=False):
        item_check = inner.type_check(context, item)
        if not item_check.success:
            return item_check
    return _PASSED


def dict_type(key: DagsterType, value_type: DagsterType) -> DagsterType:
    def check(context: Any, value: Any) -> TypeCheck:
        if not isinstance(value, dict):
            return TypeCheck(False, f"Value should be a dict, got a {type(value)}")
        for k, v in value.items():
            item_check = _items_check([key, value_type], context, (k, v))
            if not item_check.success:
                return item_check
        return _PASSED

    return DagsterType(check, f"Dict[{key.display_name},{value_type.display_name}]", typing_type=dict)


def set_type(inner: DagsterType) -> DagsterType:
    def check(context: Any, value: Any) -> TypeCheck:
        if not isinstance(value, set):
            # sic: Dagster's message has no space before the class
            return TypeCheck(False, f"Value should be a set, got a{type(value)}")
        return _items_check([inner] * len(value), context, value)

    return DagsterType(check, f"Set[{inner.display_name}]", typing_type=set)


def tuple_type(inners: list[DagsterType]) -> DagsterType:
    names = [t.display_name for t in inners]

    def check(context: Any, value: Any) -> TypeCheck:
        if not isinstance(value, tuple):
            return TypeCheck(False, f"Value should be a tuple, got a {type(value)}")
        if len(value) != len(inners):
            return TypeCheck(
                False,
                f"Tuple with key TypedPythonTuple{'.'.join(names)} requires {len(inners)} entries, received "
                f"{len(value)} values",
            )
        return _items_check(inners, context, value)

    return DagsterType(check, f"Tuple[{','.join(names)}]", typing_type=tuple)


BARE_TYPES: dict[type, DagsterType] = {
    list: list_type(ANY_TYPE),
    dict: PythonObjectDagsterType(dict, name="dict"),
    set: PythonObjectDagsterType(set, name="set"),
    tuple: PythonObjectDagsterType(tuple, name="tuple"),
}


class CollectionTypeApi:
    """``List``, ``Dict``, ``Optional``, ``Set``, ``Tuple``: subscript for a typed collection, or use bare."""

    __slots__ = ("_build", "_name", "bare")

    def __init__(self, name: str, bare: DagsterType | None, build: Callable[[tuple[Any, ...]], DagsterType]):
        self._name = name
        self.bare = bare
        self._build = build

    def __getitem__(self, args: Any) -> DagsterType:
        return self._build(args if isinstance(args, tuple) else (args,))

    def __repr__(self) -> str:
        return self._name
