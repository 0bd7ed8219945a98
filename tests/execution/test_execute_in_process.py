"""execute_in_process end to end: values, the exact event sequence Dagster 1.13 emits, graphs, fan-in,
Nothing dependencies, aliases, input values, type checks, and a 5,000-op chain (no recursion on depth)."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.events.event_type import EventType as ET


def step_events(result: hw.ExecuteInProcessResult) -> list[tuple[str, str]]:
    return [(e.event_type.name, e.step_key) for e in result.all_events if e.step_key is not None]


@hw.op
def one() -> int:
    return 1


@hw.op
def add1(x: int) -> int:
    return x + 1


@hw.op
def total(xs: list) -> int:  # type: ignore[type-arg]
    return sum(xs)


def test_two_op_job_event_sequence_matches_dagster() -> None:
    @hw.job
    def j() -> None:
        add1(one())

    result = j.execute_in_process()
    assert result.success
    assert result.output_for_node("add1") == 2
    assert [e.event_type for e in result.all_events if e.step_key is None] == [
        ET.RUN_START,
        ET.ENGINE_EVENT,
        ET.RESOURCE_INIT_STARTED,
        ET.RESOURCE_INIT_SUCCESS,
        ET.ENGINE_EVENT,
        ET.RUN_SUCCESS,
    ]
    assert step_events(result) == [
        ("STEP_START", "one"),
        ("STEP_OUTPUT", "one"),
        ("HANDLED_OUTPUT", "one"),
        ("STEP_SUCCESS", "one"),
        ("STEP_START", "add1"),
        ("LOADED_INPUT", "add1"),
        ("STEP_INPUT", "add1"),
        ("STEP_OUTPUT", "add1"),
        ("HANDLED_OUTPUT", "add1"),
        ("STEP_SUCCESS", "add1"),
    ]
    messages = [e.message for e in result.all_events if e.step_key == "add1"]
    assert messages[:5] == [
        'Started execution of step "add1".',
        'Loaded input "x" using input manager "io_manager", from output "result" of step "one"',
        'Got input "x" of type "Int". (Type check passed).',
        'Yielded output "result" of type "Int". (Type check passed).',
        'Handled output "result" using IO manager "io_manager"',
    ]
    assert result.all_events[0].message == 'Started execution of run for "j".'
    assert result.all_events[-1].message == 'Finished execution of run for "j".'
    assert result.all_events[-2].message.startswith("Finished steps in process (pid: ")


def test_same_op_twice_gets_numbered_names_and_alias() -> None:
    @hw.job
    def j() -> None:
        add1(add1(one()))
        add1.alias("zz")(one())

    result = j.execute_in_process()
    assert sorted({k for _, k in step_events(result)}) == ["add1", "add1_2", "one", "one_2", "zz"]
    assert (
        result.output_for_node("add1_2"),
        result.output_for_node("zz"),
        result.output_for_node("one_2"),
    ) == (3, 2, 1)


def test_multiple_outputs_unpacked_in_composition() -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def two() -> tuple[int, int]:
        return 1, 2

    @hw.job
    def j() -> None:
        a, b = two()
        add1.alias("x")(a)
        add1.alias("y")(b)

    result = j.execute_in_process()
    assert (result.output_for_node("two", "a"), result.output_for_node("two", "b")) == (1, 2)
    assert result.output_for_node("y") == 3
    assert step_events(result)[:6] == [
        ("STEP_START", "two"),
        ("STEP_OUTPUT", "two"),
        ("HANDLED_OUTPUT", "two"),
        ("STEP_OUTPUT", "two"),
        ("HANDLED_OUTPUT", "two"),
        ("STEP_SUCCESS", "two"),
    ]


def test_fan_in_list_of_outputs() -> None:
    @hw.job
    def j() -> None:
        total([one(), one(), add1(one())])

    result = j.execute_in_process()
    assert result.output_for_node("total") == 4
    assert [t for t, k in step_events(result) if k == "total"] == [
        "STEP_START",
        "LOADED_INPUT",
        "LOADED_INPUT",
        "LOADED_INPUT",
        "STEP_INPUT",
        "STEP_OUTPUT",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]


def test_nested_graphs_with_input_and_output_mappings() -> None:
    @hw.graph
    def inner(x: int) -> int:
        return add1(add1(x))

    @hw.graph
    def outer() -> int:
        return inner(one())

    @hw.job
    def j() -> None:
        add1.alias("last")(outer())

    result = j.execute_in_process()
    assert sorted({k for _, k in step_events(result)}) == [
        "last",
        "outer.inner.add1",
        "outer.inner.add1_2",
        "outer.one",
    ]
    assert result.output_for_node("outer") == 3
    assert result.output_for_node("outer.inner") == 3
    assert result.output_for_node("outer.inner.add1_2") == 3
    assert result.output_for_node("last") == 4
    assert result.is_node_success("outer") and result.is_node_success("outer.inner.add1")
    assert len(result.events_for_node("outer")) == 16
    assert len(result.events_for_node("outer.inner")) == 12


def test_graph_with_several_outputs_and_output_value() -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def two() -> tuple[int, int]:
        return 1, 2

    @hw.graph(out={"p": hw.GraphOut(), "q": hw.GraphOut()})
    def g():  # type: ignore[no-untyped-def]
        a, b = two()
        return {"p": a, "q": add1(b)}

    result = g.execute_in_process()
    assert (result.output_value("p"), result.output_value("q")) == (1, 3)


def test_input_values_on_graph_and_job() -> None:
    @hw.graph
    def g(x: int) -> int:
        return add1(x)

    result = g.execute_in_process(input_values={"x": 5})
    assert result.output_value() == 6
    assert [t for t, _ in step_events(result)] == [
        "STEP_START",
        "STEP_INPUT",
        "STEP_OUTPUT",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    assert g.to_job(input_values={"x": 10}).execute_in_process().output_value() == 11


def test_nothing_dependency_orders_without_data() -> None:
    order: list[str] = []

    @hw.op
    def first() -> None:
        order.append("first")

    @hw.op(ins={"start": hw.In(hw.Nothing)})
    def second() -> int:
        order.append("second")
        return 5

    @hw.job
    def j() -> None:
        second(start=[first(), first()])

    result = j.execute_in_process()
    assert order == ["first", "first", "second"]
    assert [t for t, k in step_events(result) if k == "second"] == [
        "STEP_START",
        "STEP_OUTPUT",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    # an op returning None (annotated -> None) has a Nothing output: no HANDLED_OUTPUT
    assert [t for t, k in step_events(result) if k == "first"] == [
        "STEP_START",
        "STEP_OUTPUT",
        "STEP_SUCCESS",
    ]


def test_input_from_run_config() -> None:
    @hw.job
    def j() -> None:
        add1()

    result = j.execute_in_process(run_config={"ops": {"add1": {"inputs": {"x": 5}}}})
    assert result.output_for_node("add1") == 6
    result = j.execute_in_process(run_config={"ops": {"add1": {"inputs": {"x": {"value": 7}}}}})
    assert result.output_for_node("add1") == 8


def test_output_type_check_failure() -> None:
    @hw.op
    def bad() -> int:
        return "s"  # type: ignore[return-value]

    @hw.job
    def j() -> None:
        bad()

    result = j.execute_in_process(raise_on_error=False)
    assert step_events(result) == [("STEP_START", "bad"), ("STEP_OUTPUT", "bad"), ("STEP_FAILURE", "bad")]
    out = result.filter_events(ET.STEP_OUTPUT)[0]
    assert out.message == 'Yielded output "result" of type "Int". Warning! Type check failed.'
    error = result.failure_data_for_node("bad").error
    assert error.cls_name == "DagsterTypeCheckDidNotPass"  # stored under Dagster's name
    with pytest.raises(hw.TypeCheckDidNotPass) as info:
        j.execute_in_process()
    assert str(info.value) == (
        'Type check failed for step output "result" - expected type "Int". Description: Value "s" of python '
        'type "str" must be a int.'
    )


def test_input_type_check_failure() -> None:
    @hw.op
    def s() -> str:
        return "s"

    @hw.op
    def need_int(x: int) -> int:
        return x

    @hw.job
    def j() -> None:
        need_int(s())

    result = j.execute_in_process(raise_on_error=False)
    assert [t for t, k in step_events(result) if k == "need_int"] == [
        "STEP_START",
        "LOADED_INPUT",
        "STEP_INPUT",
        "STEP_FAILURE",
    ]
    assert result.filter_events(ET.STEP_INPUT)[0].message == (
        'Got input "x" of type "Int". Warning! Type check failed.'
    )
    with pytest.raises(hw.TypeCheckDidNotPass, match='step input "x" - expected type "Int"'):
        j.execute_in_process()


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (str, 1, 'expected type "String". Description: Value "1" of python type "int" must be a string.'),
        (float, 1, 'expected type "Float". Description: Value "1" of python type "int" must be a float.'),
        (bool, 1, 'expected type "Bool". Description: Value "1" of python type "int" must be a bool.'),
        (list, 1, 'expected type "[Any]". Description: Value "1" of python type "int" must be a list.'),
        (
            dict,
            1,
            "expected type \"dict\". Description: Value of type <class 'int'> failed type check for Dagster "
            "type "
            "dict, expected value to be of Python type dict.",
        ),
        (int | None, "s", 'expected type "Int?". Description: Value "s" of python type "str" must be a int.'),
    ],
)
def test_builtin_type_check_messages_match_dagster(annotation: object, value: object, expected: str) -> None:
    @hw.op(out=hw.Out(annotation))
    def o():  # type: ignore[no-untyped-def]
        return value

    @hw.job
    def j() -> None:
        o()

    with pytest.raises(hw.TypeCheckDidNotPass) as info:
        j.execute_in_process()
    assert str(info.value) == f'Type check failed for step output "result" - {expected}'


def test_int_accepts_bool_and_optional_accepts_none_like_dagster() -> None:
    @hw.op
    def t() -> int:
        return True

    @hw.op
    def n() -> int | None:
        return None

    @hw.op
    def li() -> list[int]:
        return [1]

    @hw.job
    def j() -> None:
        t()
        n()
        li()

    result = j.execute_in_process()
    assert [e.message for e in result.filter_events(ET.STEP_OUTPUT)] == [
        'Yielded output "result" of type "Int". (Type check passed).',
        'Yielded output "result" of type "Int?". (Type check passed).',
        'Yielded output "result" of type "[Int]". (Type check passed).',
    ]


def test_custom_dagster_type_failure_has_no_description() -> None:
    even = hw.DagsterType(name="Even", type_check_fn=lambda _, v: v % 2 == 0)

    @hw.op(out=hw.Out(even))
    def odd() -> int:
        return 3

    @hw.job
    def j() -> None:
        odd()

    with pytest.raises(hw.TypeCheckDidNotPass) as info:
        j.execute_in_process()
    assert (
        str(info.value)
        == 'Type check failed for step output "result" - expected type "Even". Description: None'
    )


def test_missing_resource_is_reported_before_the_run() -> None:
    @hw.op(required_resource_keys={"db"})
    def x(context) -> int:  # type: ignore[no-untyped-def]
        return 1

    @hw.job
    def j() -> None:
        x()

    with pytest.raises(hw.InvalidDefinitionError) as info:
        j.execute_in_process()
    assert str(info.value) == (
        "resource with key 'db' required by op 'x' was not provided. Please provide a ResourceDefinition to "
        "key "
        "'db', or change the required key to one of the following keys which points to an "
        "ResourceDefinition: "
        "['io_manager']"
    )


def test_output_object_and_generator_ops() -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def gen():  # type: ignore[no-untyped-def]
        yield hw.Output(1, "a")
        yield hw.Output(2, "b", metadata={"k": 1})

    @hw.job
    def j() -> None:
        gen()

    result = j.execute_in_process()
    assert (result.output_for_node("gen", "a"), result.output_for_node("gen", "b")) == (1, 2)
    outputs = result.filter_events(ET.STEP_OUTPUT)
    assert dict(outputs[1].event_specific_data.metadata) == {"k": hw.IntMetadataValue(1)}


def test_yielding_an_output_that_does_not_exist() -> None:
    @hw.op
    def f():  # type: ignore[no-untyped-def]
        yield hw.Output(1, "zz")

    @hw.job
    def j() -> None:
        f()

    with pytest.raises(hw.InvariantViolationError) as info:
        j.execute_in_process()
    assert str(info.value) == (
        'Core compute for op "f" returned an output "zz" that does not exist. The available outputs are '
        "['result']"
    )


def test_missing_required_output() -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def f():  # type: ignore[no-untyped-def]
        yield hw.Output(1, "a")

    @hw.job
    def j() -> None:
        f()

    result = j.execute_in_process(raise_on_error=False)
    assert step_events(result) == [
        ("STEP_START", "f"),
        ("STEP_OUTPUT", "f"),
        ("HANDLED_OUTPUT", "f"),
        ("STEP_FAILURE", "f"),
    ]
    with pytest.raises(hw.StepOutputNotFoundError) as info:
        j.execute_in_process()
    assert str(info.value) == 'Core compute for op "f" did not return an output for non-optional output "b"'


def test_async_op() -> None:
    @hw.op
    async def a() -> int:
        return 4

    @hw.job
    def j() -> None:
        add1(a())

    assert j.execute_in_process().output_for_node("add1") == 5


def test_chain_of_5000_ops_builds_and_runs() -> None:
    n = 5000

    @hw.job
    def chain() -> None:
        v = one()
        for _ in range(n):
            v = add1(v)

    from headwater.definitions.mem_io_manager import InMemoryIOManager

    result = chain.execute_in_process(resources={"io_manager": InMemoryIOManager()})
    assert result.success
    assert result.output_for_node(f"add1_{n}") == n + 1


class Settings(hw.Config):
    x: int = 1


def test_a_run_stores_the_run_config_as_passed() -> None:
    @hw.op
    def configured(config: Settings) -> int:
        return config.x

    @hw.job(config={"ops": {"configured": {"config": {"x": 5}}}})
    def with_default() -> None:
        configured()

    ran = with_default.execute_in_process()
    assert (ran.dagster_run.run_config, ran.output_for_node("configured")) == ({}, 5)
    passed = {"ops": {"configured": {"config": {"x": 2}}}}
    ran = with_default.execute_in_process(run_config=passed)
    assert (ran.dagster_run.run_config, ran.output_for_node("configured")) == (passed, 2)
    ran = with_default.execute_in_process(run_config=hw.RunConfig(ops={"configured": Settings(x=3)}))
    assert ran.dagster_run.run_config == {
        "loggers": {},
        "resources": {},
        "ops": {"configured": {"config": {"x": 3}}},
        "execution": {},
    }
