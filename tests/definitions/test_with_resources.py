"""with_resources, configured and make_values_resource: what the parity script does not cover."""

from __future__ import annotations

import pytest

import headwater as hw


@hw.asset(required_resource_keys={"db"})
def needs_db(context: hw.AssetExecutionContext) -> object:
    return context.resources.db


def test_config_for_an_unknown_key_is_an_error_with_a_hint() -> None:
    db = hw.ResourceDefinition.hardcoded_resource("x")
    with pytest.raises(hw.InvalidInvocationError, match="Did you mean 'db'"):
        hw.with_resources([needs_db], {"db": db}, {"dbb": {"config": {}}})


def test_each_copy_keeps_only_the_resources_it_uses() -> None:
    db, other = hw.ResourceDefinition.hardcoded_resource("x"), hw.ResourceDefinition.hardcoded_resource(1)
    (bound,) = hw.with_resources([needs_db], {"db": db, "other": other})
    assert sorted(bound.resource_defs) == ["db", "io_manager"]


def test_with_resources_refuses_what_takes_no_resources() -> None:
    with pytest.raises(hw.InvalidInvocationError, match="takes assets"):
        hw.with_resources([hw.AssetSpec("a")], {})


def test_configured_needs_a_name_for_ops_and_a_definition() -> None:
    @hw.op(config_schema={"n": int})
    def emit(context: hw.OpExecutionContext) -> int:
        return int(context.op_config["n"])

    with pytest.raises(hw.InvalidInvocationError, match="needs a name"):
        hw.configured(emit)({"n": 1})
    with pytest.raises(hw.InvalidInvocationError, match="configured\\(\\) takes"):
        hw.configured(42)


class Greeting(hw.Config):
    name: str


def test_configured_with_a_config_class() -> None:
    @hw.resource(config_schema={"message": str})
    def greeter(context: hw.InitResourceContext) -> str:
        return str(context.resource_config["message"])

    @hw.configured(greeter)
    def hello(config: Greeting) -> dict[str, str]:
        return {"message": f"hello {config.name}"}

    with hw.build_resources({"g": hello}, resource_config={"g": {"config": {"name": "ada"}}}) as res:
        assert res.g == "hello ada"
