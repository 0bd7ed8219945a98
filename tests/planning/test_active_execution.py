"""ActiveExecution: ready steps, skips from unproduced outputs, abandonment after failure, dynamic "
"expansion."""

from __future__ import annotations

import headwater as hw
from headwater.planning.active_execution import ActiveExecution, StepOutcome
from headwater.planning.plan import build_plan


@hw.op
def a() -> int:
    return 1


@hw.op
def b(x: int) -> int:
    return x


@hw.op(out={"p": hw.Out(is_required=False), "q": hw.Out(is_required=False)})
def branch():  # type: ignore[no-untyped-def]
    yield hw.Output(1, "p")


@hw.op(out=hw.DynamicOut())
def fan():  # type: ignore[no-untyped-def]
    yield hw.DynamicOutput(1, "k")


@hw.op
def total(xs: list) -> int:  # type: ignore[type-arg]
    return sum(xs)


def keys(active: ActiveExecution) -> list[str]:
    return [i.key for i in active.pop_ready()]


def test_chain_releases_one_step_at_a_time() -> None:
    @hw.job
    def j() -> None:
        b.alias("c")(b(a()))

    active = ActiveExecution(build_plan(j.spec))
    assert keys(active) == ["a"]
    assert keys(active) == []
    assert active.in_flight == 1 and not active.is_complete
    active.mark_success("a", {"result"})
    assert keys(active) == ["b"]
    active.mark_success("b", {"result"})
    assert keys(active) == ["c"]
    active.mark_success("c", {"result"})
    assert active.is_complete
    assert active.outcome("c") is StepOutcome.SUCCESS


def test_unproduced_output_skips_downstream() -> None:
    @hw.job
    def j() -> None:
        p, q = branch()
        b.alias("on_p")(p)
        b.alias("after_q")(b.alias("on_q")(q))

    active = ActiveExecution(build_plan(j.spec))
    assert keys(active) == ["branch"]
    active.mark_success("branch", {"p"})
    decisions = [(i.key, o) for i, o in active.decisions]
    assert decisions == [("on_q", StepOutcome.SKIPPED), ("after_q", StepOutcome.SKIPPED)]
    assert keys(active) == ["on_p"]


def test_failure_abandons_downstream() -> None:
    @hw.job
    def j() -> None:
        x = a()
        b.alias("c")(b(x))
        b.alias("other")(a.alias("a2")())

    active = ActiveExecution(build_plan(j.spec))
    assert keys(active) == ["a", "a2"]
    active.mark_failed("a")
    assert active.outcome("b") is StepOutcome.ABANDONED
    assert active.outcome("c") is StepOutcome.ABANDONED
    active.mark_success("a2", {"result"})
    assert keys(active) == ["other"]


def test_dynamic_expansion_and_collect() -> None:
    @hw.job
    def j() -> None:
        total(fan().map(b).collect())

    active = ActiveExecution(build_plan(j.spec))
    assert keys(active) == ["fan"]
    active.mark_success("fan", set(), {"result": ["x", "y"]})
    ready = active.pop_ready()
    assert [(i.key, i.mapping_key) for i in ready] == [("b[x]", "x"), ("b[y]", "y")]
    assert active.instances_of("b") == ["b[x]", "b[y]"]
    active.mark_success("b[x]", {"result"})
    assert keys(active) == []
    active.mark_success("b[y]", {"result"})
    total_inst = active.pop_ready()[0]
    assert total_inst.key == "total"
    ref = total_inst.step.inputs[0].sources[0]
    assert active.source_keys(total_inst, ref) == ["b[x]", "b[y]"]


def test_empty_dynamic_output_releases_collector() -> None:
    @hw.job
    def j() -> None:
        total(fan().map(b).collect())

    active = ActiveExecution(build_plan(j.spec))
    keys(active)
    active.mark_success("fan", set(), {"result": []})
    assert keys(active) == ["total"]


def test_5000_step_chain_is_handled_iteratively() -> None:
    @hw.job
    def chain() -> None:
        v = a()
        for _ in range(5000):
            v = b(v)

    active = ActiveExecution(build_plan(chain.spec))
    count = 0
    while True:
        ready = active.pop_ready()
        if not ready:
            break
        for inst in ready:
            active.mark_success(inst.key, {"result"})
            count += 1
    assert count == 5001
    # a failure at the head abandons the whole chain without recursion
    active = ActiveExecution(build_plan(chain.spec))
    active.pop_ready()
    active.mark_failed("a")
    assert active.outcome("b_5000") is StepOutcome.ABANDONED
