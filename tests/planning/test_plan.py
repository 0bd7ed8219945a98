"""build_plan: steps in dependency order, upstream sets, inputs resolved against a step selection."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.planning.plan import build_plan
from headwater.specs.job import InputKind


@hw.op
def a() -> int:
    return 1


@hw.op
def b(x: int) -> int:
    return x


@hw.op
def d(x: int, y: int) -> int:
    return x + y


@hw.op(out=hw.DynamicOut())
def fan():  # type: ignore[no-untyped-def]
    yield hw.DynamicOutput(1, "k")


@hw.op
def total(xs: list) -> int:  # type: ignore[type-arg]
    return sum(xs)


@hw.job
def j() -> None:
    x = a()
    d(b(x), x)


def test_full_plan() -> None:
    plan = build_plan(j.spec)
    assert plan.step_keys == ["a", "b", "d"]
    assert not plan.is_subset
    assert plan.step("d").upstream == frozenset({"a", "b"})
    assert [i.kind for i in plan.step("d").inputs] == [InputKind.SINGLE, InputKind.SINGLE]
    with pytest.raises(KeyError):
        plan.step("nope")


def test_subset_plan_turns_outside_sources_into_unconnected_inputs() -> None:
    plan = build_plan(j.spec, {"b", "d"})
    assert plan.is_subset
    assert plan.step_keys == ["b", "d"]
    b_in = plan.step("b").inputs[0]
    assert b_in.kind is InputKind.UNCONNECTED
    assert [s.node for s in b_in.unresolved_sources] == ["a"]
    assert plan.step("d").upstream == frozenset({"b"})


def test_unknown_step_in_selection() -> None:
    with pytest.raises(hw.InvalidSubsetError, match=r"not in job 'j'"):
        build_plan(j.spec, {"zzz"})


def test_dynamic_plan() -> None:
    @hw.job
    def dj() -> None:
        total(fan().map(b).collect())

    plan = build_plan(dj.spec)
    assert plan.step("b").mapped_over is not None and plan.step("b").mapped_over.node == "fan"
    assert plan.step("b").upstream == frozenset({"fan"})
    assert plan.step("total").collects == frozenset({"b"})
    with pytest.raises(hw.InvalidSubsetError, match=r"select that step too"):
        build_plan(dj.spec, {"b"})


def test_plan_of_a_long_chain_is_linear() -> None:
    @hw.job
    def chain() -> None:
        v = a()
        for _ in range(3000):
            v = b(v)

    plan = build_plan(chain.spec)
    assert len(plan.steps) == 3001
    assert plan.steps[-1].upstream == frozenset({"b_2999"})
