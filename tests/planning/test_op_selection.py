"""op_selection: Dagster's clause syntax over a job's nodes, resolved to the steps that run."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.planning.op_selection import resolve_op_selection


@hw.op
def a() -> int:
    return 1


@hw.op
def b(x: int) -> int:
    return x + 1


@hw.op
def c(x: int) -> int:
    return x + 1


@hw.op
def d(x: int, y: int) -> int:
    return x + y


@hw.job
def j() -> None:
    x = a()
    y = b(x)
    d(c(y), y)


@hw.graph
def g(x: int) -> int:
    return c(b(x))


@hw.job
def nested() -> None:
    d(g(a()), a())


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (["*c"], {"a", "b", "c"}),
        (["+c"], {"b", "c"}),
        (["c"], {"c"}),
        (["b+"], {"b", "c", "d"}),
        (["b*"], {"b", "c", "d"}),
        (["++d"], {"a", "b", "c", "d"}),
        (["*d"], {"a", "b", "c", "d"}),
        (["a*"], {"a", "b", "c", "d"}),
        (["a", "d"], {"a", "d"}),
    ],
)
def test_clauses(selection: list[str], expected: set[str]) -> None:
    assert resolve_op_selection(j.spec, selection) == expected


def test_graph_nodes_and_dotted_handles() -> None:
    assert resolve_op_selection(nested.spec, ["*g"]) == {"a", "g.b", "g.c"}
    assert resolve_op_selection(nested.spec, ["g.b"]) == {"g.b"}
    assert resolve_op_selection(nested.spec, ["g.b+"]) == {"g.b", "g.c"}


@pytest.mark.parametrize("selection", [["zzz"], ["b,c"]])
def test_no_match_is_an_error(selection: list[str]) -> None:
    with pytest.raises(hw.InvalidSubsetError) as info:
        resolve_op_selection(j.spec, selection)
    assert str(info.value) == f"No qualified ops to execute found for op_selection={selection}"


def test_execute_a_selection() -> None:
    result = j.execute_in_process(op_selection=["*c"])
    assert sorted({e.step_key for e in result.all_events if e.step_key}) == ["a", "b", "c"]
    assert result.output_for_node("c") == 3
    assert sorted(result.dagster_run.step_keys_to_execute or []) == ["a", "b", "c"]


def test_selected_step_with_unselected_upstream_reads_config() -> None:
    result = j.execute_in_process(
        op_selection=["c"], run_config={"ops": {"c": {"inputs": {"x": {"value": 5}}}}}
    )
    assert result.output_for_node("c") == 6
    with pytest.raises(hw.InvalidConfigError) as info:
        j.execute_in_process(op_selection=["c"])
    assert str(info.value) == (
        "Error in config for job j\n"
        '    Error 1: Missing required config entry "ops" at the root. You must provide this value in your '
        "run "
        "config. Example config for the missing entry: {'ops': {'c': {'inputs': {'x': 0}}}}"
    )


def test_selection_inside_a_graph_runs() -> None:
    result = nested.execute_in_process(
        op_selection=["g.b"], run_config={"ops": {"g": {"ops": {"b": {"inputs": {"x": {"value": 5}}}}}}}
    )
    assert result.output_for_node("g.b") == 6
