"""Optional outputs: downstream steps are skipped (STEP_SKIPPED), not failed; downstream of a failure is
left untouched (Dagster 1.13 behaviour)."""

from __future__ import annotations

import pytest

import headwater as hw


def step_events(result: hw.ExecuteInProcessResult) -> list[tuple[str, str]]:
    return [(e.event_type.name, e.step_key) for e in result.all_events if e.step_key is not None]


@hw.op
def add1(x: int) -> int:
    return x + 1


@hw.op(out={"a": hw.Out(is_required=False), "b": hw.Out(is_required=False)})
def branch():  # type: ignore[no-untyped-def]
    yield hw.Output(1, "a")


def test_unproduced_optional_output_skips_downstream_transitively() -> None:
    @hw.job
    def j() -> None:
        a, b = branch()
        add1.alias("on_a")(a)
        add1.alias("after_b")(add1.alias("on_b")(b))

    result = j.execute_in_process()
    assert result.success
    assert step_events(result) == [
        ("STEP_START", "branch"),
        ("STEP_OUTPUT", "branch"),
        ("HANDLED_OUTPUT", "branch"),
        ("STEP_SUCCESS", "branch"),
        ("STEP_SKIPPED", "on_b"),
        ("STEP_SKIPPED", "after_b"),
        ("STEP_START", "on_a"),
        ("LOADED_INPUT", "on_a"),
        ("STEP_INPUT", "on_a"),
        ("STEP_OUTPUT", "on_a"),
        ("HANDLED_OUTPUT", "on_a"),
        ("STEP_SUCCESS", "on_a"),
    ]
    assert result.is_node_skipped("on_b") and result.is_node_skipped("after_b")
    assert not result.is_node_untouched("on_b")
    assert result.is_node_success("on_a")
    assert [e.step_key for e in result.get_step_skipped_events()] == ["on_b", "after_b"]
    skipped = result.get_step_skipped_events()[0]
    assert skipped.message == 'Skipped execution of step "on_b".'
    with pytest.raises(hw.InvariantViolationError) as info:
        result.output_for_node("on_b")
    assert str(info.value) == "No outputs found for output 'result' from node 'on_b'."
    with pytest.raises(
        hw.InvariantViolationError, match=r"No outputs found for output 'b' from node 'branch'\."
    ):
        result.output_for_node("branch", "b")


def test_fan_in_ignores_skipped_sources() -> None:
    @hw.op
    def one() -> int:
        return 1

    @hw.op(out=hw.Out(is_required=False))
    def maybe():  # type: ignore[no-untyped-def]
        if False:
            yield hw.Output(1)

    @hw.op
    def total(xs: list) -> int:  # type: ignore[type-arg]
        return sum(xs)

    @hw.job
    def j() -> None:
        total([one(), maybe()])

    assert j.execute_in_process().output_for_node("total") == 1


def test_downstream_of_failure_is_untouched_not_skipped() -> None:
    @hw.op
    def fail() -> int:
        raise Exception("x")

    @hw.job
    def j() -> None:
        add1(add1.alias("mid")(fail()))

    result = j.execute_in_process(raise_on_error=False)
    assert step_events(result) == [("STEP_START", "fail"), ("STEP_FAILURE", "fail")]
    assert result.is_node_untouched("mid") and result.is_node_untouched("add1")
    assert not result.is_node_skipped("mid")


def test_nothing_dependency_on_skipped_output_skips() -> None:
    @hw.op(out=hw.Out(hw.Nothing, is_required=False))
    def maybe_signal():  # type: ignore[no-untyped-def]
        return
        yield

    @hw.op(ins={"after": hw.In(hw.Nothing)})
    def waits() -> int:
        return 1

    @hw.job
    def j() -> None:
        waits(after=maybe_signal())

    result = j.execute_in_process()
    assert result.is_node_skipped("waits")
