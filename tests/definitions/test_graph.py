"""GraphDefinition, @graph and explicit dependencies: validation at definition time (Dagster's messages)."""

from __future__ import annotations

import pytest

import headwater as hw


@hw.op
def x() -> int:
    return 1


@hw.op
def y(i: int) -> int:
    return i + 1


@hw.op
def s(xs: list) -> int:  # type: ignore[type-arg]
    return sum(xs)


def test_explicit_dependencies() -> None:
    g = hw.GraphDefinition(
        name="g", node_defs=[x, y], dependencies={"y": {"i": hw.DependencyDefinition("x")}}
    )
    assert g.execute_in_process().output_for_node("y") == 2
    fan_in = hw.GraphDefinition(
        name="g2",
        node_defs=[x, s],
        dependencies={
            hw.NodeInvocation("x", alias="x1"): {},
            hw.NodeInvocation("x", alias="x2"): {},
            "s": {
                "xs": hw.MultiDependencyDefinition(
                    [hw.DependencyDefinition("x1"), hw.DependencyDefinition("x2")]
                )
            },
        },
    )
    assert fan_in.execute_in_process().output_for_node("s") == 2
    aliased = hw.GraphDefinition(
        name="g3",
        node_defs=[x, y],
        dependencies={hw.NodeInvocation("y", alias="yy"): {"i": hw.DependencyDefinition("x")}},
    )
    assert aliased.execute_in_process().output_for_node("yy") == 2


def test_cycle_is_a_definition_error() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:
        hw.GraphDefinition(
            name="g",
            node_defs=[y],
            dependencies={
                hw.NodeInvocation("y", alias="y1"): {"i": hw.DependencyDefinition("y2")},
                hw.NodeInvocation("y", alias="y2"): {"i": hw.DependencyDefinition("y1")},
            },
        )
    assert isinstance(info.value, hw.CircularDependencyError)
    assert "y1" in str(info.value) and "y2" in str(info.value)


def test_unknown_input_name() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:
        hw.GraphDefinition(
            name="g", node_defs=[x, y], dependencies={"y": {"zzz": hw.DependencyDefinition("x")}}
        )
    assert (
        str(info.value) == 'Invalid dependencies: op "y" does not have input "zzz". Available inputs: [\'i\']'
    )


def test_unknown_upstream_node() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:
        hw.GraphDefinition(
            name="g", node_defs=[y], dependencies={"y": {"i": hw.DependencyDefinition("nope")}}
        )
    assert str(info.value) == (
        'Invalid dependencies: node "nope" not found in node list. Listed as dependency for node "y" input '
        '"i" '
    )


def test_duplicate_dependency_in_multi_dependency() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:
        hw.GraphDefinition(
            name="g",
            node_defs=[x, s],
            dependencies={"s": {"xs": hw.MultiDependencyDefinition([hw.DependencyDefinition("x")] * 2)}},
        )
    assert str(info.value) == (
        'Duplicate dependencies on node "x" output "result" used in the same MultiDependencyDefinition.'
    )


def test_graph_returning_a_constant() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.graph
        def g():  # type: ignore[no-untyped-def]
            return 5

    assert str(info.value) == (
        "@graph 'g' returned problematic value of type <class 'int'>. Expected return value from invoked "
        "node or "
        "dict mapping output name to return values from invoked nodes"
    )


def test_graph_called_outside_composition() -> None:
    @hw.graph
    def g(i: int) -> int:
        return y(i)

    with pytest.raises(hw.InvariantViolationError) as info:
        g(1)
    assert str(info.value) == (
        "Attempted to call graph 'g' outside of a composition function. Invoking graphs is only valid in a "
        "function "
        "decorated with @job or @graph."
    )


def test_graph_properties_and_to_job() -> None:
    @hw.graph(description="desc", tags={"a": "b"})
    def g(i: int) -> int:
        return y(y(i))

    assert g.input_names == ["i"]
    assert g.output_names == ["result"]
    assert [n.name for n in g.nodes] == ["y", "y_2"]
    assert g.node_defs == [y]
    job = g.to_job(name="gj", input_values={"i": 1})
    assert isinstance(job, hw.JobDefinition) and job.name == "gj"
    assert job.execute_in_process().output_value() == 3


def test_nested_graph_default_input_value() -> None:
    @hw.graph
    def inner(i: int = 4) -> int:
        return y(i)

    @hw.job
    def j() -> None:
        inner()

    assert j.execute_in_process().output_for_node("inner") == 5


def test_top_level_graph_input_needs_a_value() -> None:
    @hw.graph
    def g(i: int) -> int:
        return y(i)

    with pytest.raises(
        hw.InvalidConfigError, match=r"^Error in config for job g\n    Error 1: Missing required"
    ):
        g.execute_in_process()
