"""@op and OpDefinition: inputs from parameters, outs, types from annotations, definition-time errors."""

from __future__ import annotations

import pytest

import headwater as hw


def test_inputs_and_outputs_from_the_signature() -> None:
    @hw.op
    def f(context: hw.OpExecutionContext, a: int, b: str = "x") -> int:
        return a

    assert isinstance(f, hw.OpDefinition)
    assert f.name == "f"
    assert f.input_names == ["a", "b"]
    assert f.output_names == ["result"]
    assert f.ins["b"].default_value == "x"
    assert (f.input_types["a"].name, f.input_types["b"].name, f.output_types["result"].name) == (
        "Int",
        "String",
        "Int",
    )
    assert f.signature.context_param == "context"


def test_decorator_arguments() -> None:
    policy = hw.RetryPolicy(max_retries=2)

    @hw.op(
        name="renamed",
        description="d",
        tags={"t": "1"},
        required_resource_keys={"r"},
        retry_policy=policy,
        out={"a": hw.Out(int), "b": hw.Out(is_required=False)},
        code_version="v1",
    )
    def f():  # type: ignore[no-untyped-def]
        """Docstring."""

    assert f.name == "renamed"
    assert f.description == "d"
    assert f.tags == {"t": "1"}
    assert f.required_resource_keys == {"r"}
    assert f.retry_policy is policy
    assert f.output_names == ["a", "b"]
    assert f.output_types["a"].name == "Int"
    assert not f.outs["b"].is_required
    assert f.code_version == "v1"


def test_docstring_is_the_description() -> None:
    @hw.op
    def f() -> None:
        """Docstring."""

    assert f.description == "Docstring."


def test_none_return_is_a_nothing_output_and_nothing_ins() -> None:
    @hw.op(ins={"after": hw.In(hw.Nothing)})
    def f() -> None:
        return None

    assert f.output_types["result"].is_nothing
    assert f.input_types["after"].is_nothing


class Db(hw.ConfigurableResource):
    url: str = "u"


class Cfg(hw.Config):
    n: int = 1


def test_resource_and_config_parameters_are_not_inputs() -> None:
    @hw.op
    def f(config: Cfg, db: Db, x: int) -> int:
        return x

    assert f.input_names == ["x"]
    assert f.required_resource_keys == {"db"}
    assert f.signature.config_class is Cfg


def test_invalid_name() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.op(name="bad name")
        def f() -> None: ...

    assert (
        str(info.value)
        == '"bad name" is not a valid name in Headwater. Names must be in regex ^[A-Za-z0-9_]+$.'
    )


def test_ins_must_match_parameters() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.op(ins={"zz": hw.In()})
        def x(a):  # type: ignore[no-untyped-def]
            return 1

    assert str(info.value) == (
        "@op 'x' decorated function does not have argument(s) 'zz'. @op-decorated functions should have an "
        "argument for each of their Ins, except for Ins that have the Nothing dagster_type. Alternatively, "
        "they "
        "can accept **kwargs."
    )


def test_config_schema_and_config_class_together_is_an_error() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"has both a config_schema and a 'config' parameter"):

        @hw.op(config_schema={"a": int})
        def f(config: Cfg) -> None: ...


def test_out_must_be_out_objects() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"must be an Out or DynamicOut"):

        @hw.op(out={"a": 1})  # type: ignore[dict-item]
        def f() -> None: ...


def test_star_args_rejected() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"takes \*args"):

        @hw.op
        def f(*args):  # type: ignore[no-untyped-def]
            return 1


def test_configured_op_fixes_its_config_and_takes_a_new_name() -> None:
    import headwater as hw

    @hw.op(config_schema={"n": int})
    def times(context) -> int:  # type: ignore[no-untyped-def]
        return int(context.op_config["n"]) * 2

    three = times.configured({"n": 3}, name="three")
    doubled = times.configured(lambda cfg: {"n": cfg["m"] + 1}, name="plus_one", config_schema={"m": int})

    @hw.job
    def both() -> None:
        three()
        doubled()

    result = both.execute_in_process(run_config={"ops": {"plus_one": {"config": {"m": 4}}}})
    assert result.output_for_node("three") == 6
    assert result.output_for_node("plus_one") == 10
    assert times.name == "times" and times.configured_from is None
