"""Tracing graph and job bodies: naming, aliases, tags, outputs, and composition errors (Dagster's text)."""

from __future__ import annotations

import pytest

import headwater as hw


@hw.op
def x(i: int) -> int:
    return i


@hw.op
def y() -> int:
    return 1


@hw.op(out={"a": hw.Out(), "b": hw.Out()})
def two() -> tuple[int, int]:
    return 1, 2


def test_repeated_calls_are_numbered() -> None:
    @hw.job
    def j() -> None:
        x(x(y()))
        x(y())

    assert sorted(j.graph.invocations) == ["x", "x_2", "x_3", "y", "y_2"]


def test_alias_tag_and_hooks_on_invocations() -> None:
    @hw.success_hook
    def h(context: hw.HookContext) -> None: ...

    @hw.job
    def j() -> None:
        x.alias("first").tag({"k": "v"}).with_hooks({h})(y())

    inv = j.graph.invocations["first"]
    assert inv.tags == {"k": "v"} and inv.hooks == {h}
    assert j.spec.nodes[1].tags == {"k": "v"}


def test_duplicate_alias_is_an_error() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"two nodes named 'a'"):

        @hw.job
        def j() -> None:
            x.alias("a")(y())
            x.alias("a")(y())


def test_multiple_outputs_by_name() -> None:
    @hw.job
    def j() -> None:
        out = two()
        x.alias("from_b")(out.b)

    assert j.execute_in_process().output_for_node("from_b") == 2


def test_unknown_keyword_input() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.job
        def j() -> None:
            x(zzz=y())

    assert (
        str(info.value) == 'Invalid dependencies: op "x" does not have input "zzz". Available inputs: [\'i\']'
    )


def test_too_many_positional_inputs() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.job
        def j() -> None:
            x(y(), y())

    assert (
        str(info.value) == "In @job j, received too many inputs for invocation x. Only 1 defined, received 2"
    )


def test_constant_passed_as_input() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.graph
        def g() -> None:
            x(5)

    assert str(info.value) == (
        'In @graph g, received invalid type <class \'int\'> for input "i" in op invocation "x". Must pass '
        "the "
        "output from previous node invocations or inputs to the composition function as inputs when "
        "invoking nodes "
        "during composition."
    )


def test_iterating_a_single_output() -> None:
    with pytest.raises(hw.InvariantViolationError) as info:

        @hw.job
        def j() -> None:
            a, b = y()  # noqa: RUF059

    assert str(info.value) == (
        'Attempted to iterate over an InvokedNodeOutputHandle. This object represents the output "result" '
        "from the "
        'op/graph "y". Consider defining multiple Outs if you seek to pass different parts of this output to '
        "different op/graph."
    )


def test_mapping_a_static_output_is_an_error() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"is not dynamic"):

        @hw.job
        def j() -> None:
            y().map(x)


def test_graph_returning_dict_of_outputs() -> None:
    @hw.graph(out={"p": hw.GraphOut(), "q": hw.GraphOut()})
    def g():  # type: ignore[no-untyped-def]
        a, b = two()
        return {"p": a, "q": b}

    assert g.output_mappings["p"].node == "two"
    assert g.output_names == ["p", "q"]
