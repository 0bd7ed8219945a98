"""Dagster types: names resolved from annotations, TypeCheck results, the registry and check_dagster_type."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.compat import dagster as dg
from headwater.definitions.type_resolution import resolve_dagster_type


@pytest.mark.parametrize(
    ("annotation", "name"),
    [
        (int, "Int"),
        (str | None, "String?"),
        (list[int], "[Int]"),
        (dict[str, list[int]], "Dict[String,[Int]]"),
        (set[int], "Set[Int]"),
        (tuple[int, str], "Tuple[Int,String]"),
        (dict, "dict"),
        (list, "[Any]"),
        (Any, "Any"),
        (None, "Nothing"),
    ],
)
def test_annotations_are_named_as_dagster_names_them(annotation: Any, name: str) -> None:
    assert resolve_dagster_type(annotation).display_name == name


def test_type_check_metadata_and_descriptions() -> None:
    even = hw.DagsterType(
        lambda _c, v: hw.TypeCheck(v % 2 == 0, None if v % 2 == 0 else "odd", {"v": v}), name="Even"
    )
    failed = hw.check_dagster_type(even, 3)
    assert (failed.success, failed.description, failed.metadata["v"].value) == (False, "odd", 3)
    assert hw.check_dagster_type(dict[str, int], {"a": "b"}).description == (
        'Value "b" of python type "str" must be a int.'
    )
    assert hw.check_dagster_type(dg.Tuple[int, str], (1,)).success is False


def test_a_check_that_returns_neither_bool_nor_typecheck_is_an_error() -> None:
    bad = hw.DagsterType(lambda _c, _v: 3, name="Bad")
    with pytest.raises(hw.InvariantViolationError, match='type check function of type "Bad"'):
        hw.check_dagster_type(bad, 1)


def test_type_check_fn_must_take_two_arguments() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="must take 2 arguments, received 1"):
        hw.DagsterType(lambda v: True, name="One")


def test_usable_as_dagster_type_registers_the_class_once() -> None:
    @hw.usable_as_dagster_type(name="Pt")
    class Point:
        pass

    assert resolve_dagster_type(Point).display_name == "Pt"
    with pytest.raises(hw.InvalidDefinitionError, match="already been registered"):
        hw.make_python_type_usable_as_dagster_type(Point, hw.PythonObjectDagsterType(Point))


def test_typing_generics_are_refused_by_check_dagster_type_as_in_dagster() -> None:
    import typing

    with pytest.raises(hw.InvariantViolationError, match="Must pass in a type from dagster module"):
        hw.check_dagster_type(typing.Optional[int], None)  # noqa: UP045
