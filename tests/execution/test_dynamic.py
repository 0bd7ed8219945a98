"""DynamicOut: map, collect, mapping keys in step keys, output_for_node of mapped nodes (Dagster 1.13)."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.events.event_type import EventType as ET


def step_events(result: hw.ExecuteInProcessResult) -> list[tuple[str, str]]:
    return [(e.event_type.name, e.step_key) for e in result.all_events if e.step_key is not None]


@hw.op(out=hw.DynamicOut())
def fan():  # type: ignore[no-untyped-def]
    for i in range(3):
        yield hw.DynamicOutput(i * 10, mapping_key=f"k{i}")


@hw.op
def add1(x: int) -> int:
    return x + 1


@hw.op
def dbl(x: int) -> int:
    return x * 2


@hw.op
def total(xs: list) -> int:  # type: ignore[type-arg]
    return sum(xs)


def test_map_map_collect() -> None:
    @hw.job
    def j() -> None:
        total(fan().map(add1).map(dbl).collect())

    result = j.execute_in_process()
    assert sorted({k for _, k in step_events(result)}) == [
        "add1[k0]",
        "add1[k1]",
        "add1[k2]",
        "dbl[k0]",
        "dbl[k1]",
        "dbl[k2]",
        "fan",
        "total",
    ]
    assert result.output_for_node("fan") == {"k0": 0, "k1": 10, "k2": 20}
    assert result.output_for_node("add1") == {"k0": 1, "k1": 11, "k2": 21}
    assert result.output_for_node("dbl") == {"k0": 2, "k1": 22, "k2": 42}
    assert result.output_for_node("total") == 66
    assert [s for s in step_events(result) if s[1] in ("fan", "add1[k0]")] == [
        ("STEP_START", "fan"),
        ("STEP_OUTPUT", "fan"),
        ("HANDLED_OUTPUT", "fan"),
        ("STEP_OUTPUT", "fan"),
        ("HANDLED_OUTPUT", "fan"),
        ("STEP_OUTPUT", "fan"),
        ("HANDLED_OUTPUT", "fan"),
        ("STEP_SUCCESS", "fan"),
        ("STEP_START", "add1[k0]"),
        ("LOADED_INPUT", "add1[k0]"),
        ("STEP_INPUT", "add1[k0]"),
        ("STEP_OUTPUT", "add1[k0]"),
        ("HANDLED_OUTPUT", "add1[k0]"),
        ("STEP_SUCCESS", "add1[k0]"),
    ]
    assert [
        e.message for e in result.all_events if e.step_key == "fan" and e.event_type is ET.STEP_OUTPUT
    ] == [f'Yielded output "result" mapping key "k{i}" of type "Any". (Type check passed).' for i in range(3)]
    assert [
        e.message for e in result.all_events if e.step_key == "total" and e.event_type is ET.LOADED_INPUT
    ] == [
        f'Loaded input "xs" using input manager "io_manager", from output "result" of step "dbl[k{i}]"'
        for i in range(3)
    ]
    assert result.is_node_success("add1")
    assert len(result.events_for_node("add1")) == 18


class _RecordingIO(hw.IOManager):
    """Records the identifiers Dagster gives step outputs: the mapping key only on the dynamic output."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, ...], Any] = {}
        self.writes: list[list[str]] = []

    def handle_output(self, context: Any, obj: Any) -> None:
        ident = context.get_identifier()
        self.writes.append(ident[1:])
        self.values[tuple(ident)] = obj

    def load_input(self, context: Any) -> Any:
        return self.values[tuple(context.get_identifier())]


@pytest.mark.parametrize("io_manager", ["fs", "custom"])
def test_mapped_values_round_trip_through_io_managers(io_manager: str, tmp_path: Any) -> None:
    recorder = _RecordingIO()
    resources = (
        {"io_manager": recorder}
        if io_manager == "custom"
        else {"io_manager": hw.FilesystemIOManager(base_dir=str(tmp_path))}
    )

    @hw.job(resource_defs=resources)
    def j() -> None:
        f = fan()
        total(f.map(add1).map(add1).collect())
        total.alias("direct")(f.collect())

    result = j.execute_in_process()
    assert (result.output_for_node("total"), result.output_for_node("direct")) == (36, 30)
    if io_manager == "custom":
        assert recorder.writes[:4] == [
            ["fan", "result", "k0"],
            ["fan", "result", "k1"],
            ["fan", "result", "k2"],
            ["add1[k0]", "result"],
        ]


def test_map_with_a_graph_body_and_a_static_input() -> None:
    @hw.op
    def const() -> int:
        return 100

    @hw.op
    def plus(x: int, y: int) -> int:
        return x + y

    @hw.job
    def j() -> None:
        c = const()
        total(fan().map(lambda x: dbl(plus(x, c))).collect())

    result = j.execute_in_process()
    assert result.output_for_node("plus") == {"k0": 100, "k1": 110, "k2": 120}
    assert result.output_for_node("total") == 660


def test_empty_dynamic_output_collects_empty_list() -> None:
    @hw.op(out=hw.DynamicOut())
    def none():  # type: ignore[no-untyped-def]
        return
        yield

    @hw.job
    def j() -> None:
        total(none().map(add1).collect())

    result = j.execute_in_process()
    assert step_events(result) == [
        ("STEP_START", "none"),
        ("STEP_SUCCESS", "none"),
        ("STEP_START", "total"),
        ("STEP_INPUT", "total"),
        ("STEP_OUTPUT", "total"),
        ("HANDLED_OUTPUT", "total"),
        ("STEP_SUCCESS", "total"),
    ]
    assert result.output_for_node("total") == 0


def test_one_mapped_failure_leaves_siblings_running_and_collect_untouched() -> None:
    @hw.op
    def maybe_fail(x: int) -> int:
        if x == 10:
            raise ValueError("bad")
        return x

    @hw.job
    def j() -> None:
        total(fan().map(maybe_fail).collect())

    result = j.execute_in_process(raise_on_error=False)
    assert not result.success
    assert [(t, k) for t, k in step_events(result) if t in ("STEP_SUCCESS", "STEP_FAILURE")] == [
        ("STEP_SUCCESS", "fan"),
        ("STEP_SUCCESS", "maybe_fail[k0]"),
        ("STEP_FAILURE", "maybe_fail[k1]"),
        ("STEP_SUCCESS", "maybe_fail[k2]"),
    ]
    assert result.is_node_untouched("total")
    assert result.is_node_failed("maybe_fail")


def test_dynamic_op_may_return_a_list_and_context_knows_mapping_key() -> None:
    @hw.op(out=hw.DynamicOut())
    def ret() -> list[hw.DynamicOutput]:
        return [hw.DynamicOutput(1, "a"), hw.DynamicOutput(2, "b")]

    @hw.op
    def key(context: hw.OpExecutionContext, x: int) -> str | None:
        return context.get_mapping_key()

    @hw.job
    def j() -> None:
        total(ret().map(add1).collect())
        ret.alias("r2")().map(key)

    result = j.execute_in_process()
    assert result.output_for_node("total") == 5
    assert result.output_for_node("key") == {"a": "a", "b": "b"}


def test_duplicate_mapping_key_fails_the_step() -> None:
    @hw.op(out=hw.DynamicOut())
    def dup():  # type: ignore[no-untyped-def]
        yield hw.DynamicOutput(1, "a")
        yield hw.DynamicOutput(2, "a")

    @hw.job
    def j() -> None:
        dup().map(add1)

    result = j.execute_in_process(raise_on_error=False)
    error = result.failure_data_for_node("dup").error
    assert error.cls_name == "DagsterInvariantViolationError"
    assert error.message.strip().endswith(
        'Compute for op "dup" yielded a DynamicOutput with mapping_key "a" multiple times.'
    )


def test_invalid_mapping_key() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:
        hw.DynamicOutput(1, "a-b")
    assert (
        str(info.value) == '"a-b" is not a valid name in Headwater. Names must be in regex ^[A-Za-z0-9_]+$.'
    )


def test_passing_a_dynamic_output_directly_is_a_definition_error() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.job
        def j() -> None:
            add1(fan())

    assert str(info.value) == (
        "In @job j, received the dynamic output result from op 'fan' directly. Dynamic output must be "
        "unpacked by "
        "invoking map or collect."
    )


def test_op_selection_keeps_mapped_steps() -> None:
    @hw.job
    def j() -> None:
        total(fan().map(add1).collect())

    result = j.execute_in_process(op_selection=["fan", "add1"])
    assert sorted({k for _, k in step_events(result)}) == ["add1[k0]", "add1[k1]", "add1[k2]", "fan"]
