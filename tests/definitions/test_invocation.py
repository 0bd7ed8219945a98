"""Calling an op directly, as in a unit test (Dagster 1.13's behaviour and messages)."""

from __future__ import annotations

import pytest

import headwater as hw


class C(hw.Config):
    n: int = 1


class Res(hw.ConfigurableResource):
    v: str = "rv"


@hw.op
def plain(x: int, y: int = 2) -> int:
    return x + y


@hw.op
def withctx(context: hw.OpExecutionContext, x: int) -> tuple[int, object]:
    return (x, context.op_config)


@hw.op
def withcfg(config: C) -> int:
    return config.n


@hw.op
def withres(r: Res) -> str:
    return r.v


@hw.op(required_resource_keys={"r"})
def withreqres(context: hw.OpExecutionContext) -> object:
    return context.resources.r


@hw.op(out={"a": hw.Out(), "b": hw.Out()})
def multi() -> tuple[int, int]:
    return 1, 2


@hw.op(out={"a": hw.Out(), "b": hw.Out()})
def gen():  # type: ignore[no-untyped-def]
    yield hw.Output(1, "a")
    yield hw.Output(2, "b")


@hw.op
def typed(x: int) -> int:
    return x


def test_inputs_positional_keyword_and_default() -> None:
    assert (plain(1), plain(1, 5), plain(x=3), plain(1, y=1)) == (3, 6, 5, 2)


def test_missing_input() -> None:
    with pytest.raises(hw.InvalidInvocationError) as info:
        plain()
    assert str(info.value) == 'No value provided for required input "x".'


def test_too_many_inputs() -> None:
    with pytest.raises(hw.InvalidInvocationError) as info:
        plain(1, 2, 3)
    assert str(info.value) == (
        "Too many input arguments were provided for op 'plain'. This may be because an argument was "
        "provided for "
        "the context parameter, but no context parameter was defined for the op."
    )


def test_context() -> None:
    assert withctx(hw.build_op_context(op_config={"q": 1}), 5) == (5, {"q": 1})
    assert withctx(hw.build_op_context(), x=1) == (1, None)
    assert withctx(context=hw.build_op_context(), x=2) == (2, None)


def test_missing_context() -> None:
    with pytest.raises(hw.InvalidInvocationError) as info:
        withctx(x=1)
    assert str(info.value) == (
        "Decorated function 'withctx' has context argument 'context', but no value for 'context' was found "
        "when "
        "invoking. Provided kwargs: {'x': 1}"
    )


def test_context_given_to_an_op_without_one_is_accepted() -> None:
    assert plain(hw.build_op_context(), 1) == 3


def test_config() -> None:
    assert withcfg(C(n=4)) == 4
    assert withcfg(config=C(n=5)) == 5
    assert withcfg(hw.build_op_context(op_config={"n": 7})) == 7
    assert withcfg() == 1


def test_resources() -> None:
    assert withres(r=Res(v="z")) == "z"
    assert withres(hw.build_op_context(resources={"r": Res(v="q")})) == "q"
    with hw.build_op_context(resources={"r": Res()}) as context:
        assert withres(context) == "rv"
    assert withreqres(hw.build_op_context(resources={"r": "raw"})) == "raw"


def test_missing_required_resource() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:
        withreqres(hw.build_op_context())
    assert str(info.value) == (
        "resource with key 'r' required by op 'withreqres' was not provided. Please provide a "
        "ResourceDefinition to "
        "key 'r', or change the required key to one of the following keys which points to an "
        "ResourceDefinition: []"
    )


def test_outputs_are_returned_as_the_function_returns_them() -> None:
    assert multi() == (1, 2)
    outputs = list(gen())
    assert [(o.output_name, o.value) for o in outputs] == [("a", 1), ("b", 2)]


def test_input_type_check() -> None:
    assert typed(1) == 1
    with pytest.raises(hw.TypeCheckDidNotPass) as info:
        typed("s")
    assert str(info.value) == (
        'Type check failed for op "typed" input "x" - expected type "Int". Description: Value "s" of python '
        "type "
        '"str" must be a int.'
    )


def test_aliased_op_invoked_directly() -> None:
    assert plain.alias("zz")(1) == 3


@hw.op
def ctx_and_res(context: hw.OpExecutionContext, r: Res) -> tuple[str, str]:
    return r.v, context.resources.r.v


@hw.op
def input_then_res(x: int, r: Res) -> str:
    return f"{x}-{r.v}"


def test_resources_by_keyword_with_a_context_are_the_contexts_resources() -> None:
    context = hw.build_op_context()
    assert ctx_and_res(context, r=Res(v="kw")) == ("kw", "kw")
    with pytest.raises(
        hw.InvalidInvocationError, match="Cannot provide resources in both context and kwargs"
    ):
        ctx_and_res(hw.build_op_context(resources={"r": Res()}), r=Res(v="kw"))


def test_positional_arguments_bind_by_parameter_order() -> None:
    assert withres(Res(v="pos")) == "pos"
    assert (input_then_res(1, Res(v="p")), input_then_res(2, r=Res(v="k"))) == ("1-p", "2-k")


def test_a_required_resource_key_is_not_satisfied_by_a_keyword() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="resource with key 'r' required"):
        withreqres(hw.build_op_context(), r="raw")
