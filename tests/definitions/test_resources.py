"""Resources: definitions, ConfigurableResource, initialization order, teardown, errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import PrivateAttr

from headwater.core.env_var import EnvVar
from headwater.definitions.config import Config, Field
from headwater.definitions.configurable_resource import (
    ConfigurableResource,
    ConfigurableResourceFactory,
    PartialResource,
    is_resource_annotation,
)
from headwater.definitions.resource_context import InitResourceContext, Resources
from headwater.definitions.resources import (
    ResourceDefinition,
    ResourceDependency,
    ResourceParam,
    coerce_to_resource,
    resource,
)
from headwater.errors import (
    InvalidConfigError,
    InvalidDefinitionError,
    InvalidInvocationError,
    ResourceInitError,
    ResourceNotFoundError,
    UnknownResourceError,
    UserCodeExecutionError,
)
from headwater.execution.resource_builder import (
    build_init_resource_context,
    build_resources,
    initialize_resources,
    resource_dependencies,
)

EVENTS: list[tuple[Any, ...]] = []


@pytest.fixture(autouse=True)
def _clear_events() -> Iterator[None]:
    EVENTS.clear()
    yield
    EVENTS.clear()


class Inner(ConfigurableResource):
    q: int = 1

    def setup_for_execution(self, context: InitResourceContext) -> None:
        EVENTS.append(("setup", "inner", self.q))

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        EVENTS.append(("teardown", "inner"))


class Outer(ConfigurableResource):
    inner: Inner
    name: str
    _client: str = PrivateAttr(default="none")

    def setup_for_execution(self, context: InitResourceContext) -> None:
        EVENTS.append(("setup", "outer", self.name, self.inner.q, context.resource_config))
        self._client = f"client-{self.name}"

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        EVENTS.append(("teardown", "outer"))

    @property
    def client(self) -> str:
        return self._client


class Failing(ConfigurableResource):
    def setup_for_execution(self, context: InitResourceContext) -> None:
        raise ValueError("boom")


class Token(ConfigurableResource):
    token: str
    retries: int = 3


@resource
def generator_resource(context: InitResourceContext) -> Iterator[str]:
    EVENTS.append(("setup", "gen"))
    yield "gen-value"
    EVENTS.append(("teardown", "gen"))


# ---- ConfigurableResource ------------------------------------------------------------------------------


def test_configurable_resource_is_usable_directly() -> None:
    token = Token(token="abc")
    assert (token.token, token.retries) == ("abc", 3)
    outer = Outer(inner=Inner(q=2), name="n")
    assert outer.inner.q == 2
    assert isinstance(outer, Config)
    with pytest.raises(InvalidInvocationError, match="before resource was initialized"):
        outer.get_resource_context()


def test_setup_and_teardown_order_with_nested_resources() -> None:
    with build_resources({"outer": Outer(inner=Inner(q=2), name="m"), "g": generator_resource}) as res:
        assert res.outer.client == "client-m"
        assert res.g == "gen-value"
        assert EVENTS == [
            ("setup", "gen"),
            ("setup", "inner", 2),
            ("setup", "outer", "m", 2, {"name": "m"}),
        ]
        EVENTS.clear()
    assert EVENTS == [("teardown", "outer"), ("teardown", "inner"), ("teardown", "gen")]


def test_shared_nested_resource_configured_at_launch() -> None:
    inner = Inner.configure_at_launch()
    assert isinstance(inner, PartialResource)
    defs = {"outer": Outer(inner=inner, name="n"), "inner": inner}  # type: ignore[arg-type]
    assert resource_dependencies(defs) == {"outer": {"inner"}, "inner": set()}
    with initialize_resources(defs, {"inner": {"config": {"q": 7}}}, keys=["outer"]) as res:
        assert res.outer.inner is res.inner
        assert res.inner.q == 7
    assert EVENTS[0] == ("setup", "inner", 7)
    assert EVENTS[-1] == ("teardown", "inner")


def test_resource_config_from_run_config_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_TOKEN", "from-env")
    monkeypatch.setenv("HW_RETRIES", "9")
    defs = {"t": Token(token=EnvVar("HW_TOKEN"), retries=EnvVar.int("HW_RETRIES"))}
    with initialize_resources(defs, None) as res:
        assert (res.t.token, res.t.retries) == ("from-env", 9)
    # run config overrides the values given in code
    with initialize_resources({"t": Token(token="code")}, {"t": {"config": {"token": "run"}}}) as res:
        assert res.t.token == "run"
    with initialize_resources({"t": Token.configure_at_launch()}, {"t": {"config": {"token": "x"}}}) as res:
        assert (res.t.token, res.t.retries) == ("x", 3)


def test_resource_config_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HW_UNSET_TOKEN", raising=False)
    with (
        pytest.raises(InvalidConfigError) as info,
        initialize_resources({"t": Token(token=EnvVar("HW_UNSET_TOKEN"))}, None),
    ):
        pass
    assert str(info.value) == (
        "Error in config for resources\n"
        "    Error 1: Post processing at path root:resources:t:config:token of original value "
        "{'env': 'HW_UNSET_TOKEN'} failed: You have attempted to fetch the environment variable "
        '"HW_UNSET_TOKEN" which is not set. In order for this execution to succeed it must be set in this '
        "environment."
    )
    with (
        pytest.raises(InvalidConfigError) as info,
        initialize_resources({"t": Token.configure_at_launch()}, None, job_name="j"),
    ):
        pass
    assert str(info.value) == (
        "Error in config for job j\n"
        '    Error 1: Missing required config entry "config" at path root:resources:t. You must provide this '
        "value in your run config. Example config for the missing entry: {'config': {'token': '...'}}"
    )
    with (
        pytest.raises(InvalidConfigError, match=r'root:resources:t:config:token\. Value "3"'),
        initialize_resources({"t": Token.configure_at_launch()}, {"t": {"config": {"token": 3}}}),
    ):
        pass


def test_configurable_resource_factory() -> None:
    class Prefixer(ConfigurableResourceFactory[str]):
        prefix: str

        def create_resource(self, context: InitResourceContext) -> str:
            return self.prefix + "!"

    with build_resources({"p": Prefixer(prefix="hi")}) as res:
        assert res.p == "hi!"


def test_get_resource_context_during_setup() -> None:
    seen: list[Any] = []

    class WithContext(ConfigurableResource):
        level: int = 0

        def setup_for_execution(self, context: InitResourceContext) -> None:
            seen.append(self.get_resource_context().resource_config)

    with build_resources({"c": WithContext()}, instance="the-instance") as res:
        assert res.c.get_resource_context().instance == "the-instance"
    assert seen == [{"level": 0}]


def test_resource_dependency_on_a_legacy_resource() -> None:
    @resource(config_schema={"a": int})
    def legacy(context: InitResourceContext) -> int:
        return int(context.resource_config["a"])

    class Uses(ConfigurableResource):
        value: ResourceDependency[int]

    with build_resources(
        {"legacy": legacy, "u": Uses(value=legacy)}, resource_config={"legacy": {"config": {"a": 4}}}
    ) as res:  # type: ignore[arg-type]
        assert res.u.value == 4


def test_is_resource_annotation() -> None:
    assert is_resource_annotation(Token)
    assert is_resource_annotation(ResourceParam[str])
    assert is_resource_annotation(ResourceDependency[int])
    assert not is_resource_annotation(int)
    assert not is_resource_annotation(Config)


# ---- failure and teardown --------------------------------------------------------------------------------


def test_init_failure_wraps_user_error_and_tears_down_what_was_built() -> None:
    defs = {"a_inner": Inner(), "g": generator_resource, "z_fail": Failing()}
    with pytest.raises(ResourceInitError) as info, build_resources(defs):
        pytest.fail("the block must not run")
    error = info.value
    assert str(error) == 'Error executing resource_fn on ResourceDefinition "z_fail": ValueError: boom'
    assert isinstance(error.user_exception, ValueError)
    assert "raise ValueError" in error.original_traceback
    assert EVENTS == [("setup", "inner", 1), ("setup", "gen"), ("teardown", "gen"), ("teardown", "inner")]


def test_teardown_runs_when_the_body_fails() -> None:
    with (
        pytest.raises(RuntimeError, match="step failed"),
        build_resources({"outer": Outer(inner=Inner(), name="x"), "g": generator_resource}),
    ):
        raise RuntimeError("step failed")
    assert EVENTS[-3:] == [("teardown", "outer"), ("teardown", "inner"), ("teardown", "gen")]


def test_teardown_error_names_the_resource() -> None:
    @resource
    def bad_teardown() -> Iterator[int]:
        yield 1
        raise OSError("disk gone")

    with (
        pytest.raises(UserCodeExecutionError, match='tearing down resource "r": OSError: disk gone'),
        build_resources({"r": bad_teardown, "g": generator_resource}),
    ):
        pass
    assert ("teardown", "gen") in EVENTS  # the other resource was still torn down


def test_missing_and_cyclic_dependencies() -> None:
    @resource(required_resource_keys={"b"})
    def ra(context: InitResourceContext) -> int:
        return 1

    @resource(required_resource_keys={"a"})
    def rb(context: InitResourceContext) -> int:
        return 2

    with (
        pytest.raises(InvalidDefinitionError, match="cycle: a -> b -> a"),
        build_resources({"a": ra, "b": rb}),
    ):
        pass
    with (
        pytest.raises(ResourceNotFoundError, match="'b' is required by resource 'a'"),
        build_resources({"a": ra}),
    ):
        pass
    with (
        pytest.raises(ResourceNotFoundError, match="'nope' is required"),
        initialize_resources({"a": ra}, None, keys=["nope"]),
    ):
        pass


def test_only_requested_keys_and_their_dependencies_are_built() -> None:
    @resource(required_resource_keys={"dep"})
    def top(context: InitResourceContext) -> str:
        return "top+" + str(context.resources.dep)

    defs = {"top": top, "dep": ResourceDefinition.hardcoded_resource("dep"), "broken": Failing()}
    with initialize_resources(defs, None, keys=["top"]) as res:
        assert res._asdict() == {"dep": "dep", "top": "top+dep"}
        assert "broken" not in res


# ---- ResourceDefinition and @resource --------------------------------------------------------------------


def test_resource_decorator_forms_and_direct_invocation() -> None:
    @resource
    def no_context() -> str:
        return "plain"

    @resource(config_schema={"a": int, "b": Field(str, default_value="B")}, required_resource_keys={"r0"})
    def with_config(context: InitResourceContext) -> tuple[Any, ...]:
        return (context.resource_config, context.resources.r0)

    assert isinstance(no_context, ResourceDefinition)
    assert no_context() == "plain"
    assert getattr(no_context, "__name__", None) == "no_context"
    assert with_config.required_resource_keys == {"r0"}
    ctx = build_init_resource_context(config={"a": 1}, resources={"r0": "R0"})
    assert with_config(ctx) == ({"a": 1, "b": "B"}, "R0")
    with pytest.raises(InvalidConfigError, match=r"root:config:a\. Value \"x\""):
        with_config(build_init_resource_context(config={"a": "x"}, resources={"r0": "R0"}))
    with pytest.raises(ResourceNotFoundError, match="resource with key 'r0' required was not provided"):
        with_config(build_init_resource_context(config={"a": 1}))
    with generator_resource(build_init_resource_context()) as value:
        assert value == "gen-value"
    assert EVENTS == [("setup", "gen"), ("teardown", "gen")]


def test_build_init_resource_context_builds_definitions() -> None:
    @resource(required_resource_keys={"outer"})
    def needs_outer(context: InitResourceContext) -> str:
        client: str = context.resources.outer.client
        return client

    with build_init_resource_context(resources={"outer": Outer(inner=Inner(), name="c")}) as ctx:
        assert needs_outer(ctx) == "client-c"
    assert EVENTS[-1] == ("teardown", "inner")


def test_hardcoded_none_mock_string_and_configured() -> None:
    @resource(config_schema=int)
    def doubled(context: InitResourceContext) -> int:
        return int(context.resource_config) * 2

    @resource(config_schema={"a": int, "b": Field(str, default_value="B")})
    def pair(context: InitResourceContext) -> tuple[int, str]:
        return (context.resource_config["a"], context.resource_config["b"])

    defs = {
        "h": ResourceDefinition.hardcoded_resource(5),
        "n": ResourceDefinition.none_resource(),
        "m": ResourceDefinition.mock_resource(),
        "s": ResourceDefinition.string_resource(),
        "plain": {"any": "object"},
        "d": doubled.configured(5),
        "p": pair.configured(lambda cfg: {"a": cfg["z"] + 1}, config_schema={"z": int}),
    }
    with build_resources(defs, resource_config={"s": {"config": "hi"}, "p": {"config": {"z": 1}}}) as res:
        assert (res.h, res.n, res.s, res.plain, res.d, res.p) == (
            5,
            None,
            "hi",
            {"any": "object"},
            10,
            (2, "B"),
        )
        res.m.anything.works()
    with (
        pytest.raises(InvalidConfigError, match='unexpected config entry "zz"'),
        build_resources({"h": ResourceDefinition.hardcoded_resource(1)}, resource_config={"zz": {}}),
    ):
        pass


def test_coerce_to_resource() -> None:
    definition = ResourceDefinition.hardcoded_resource(1)
    assert coerce_to_resource(definition) is definition
    assert coerce_to_resource(Token(token="x")).config_field is not None
    plain = coerce_to_resource(42)
    with build_resources({"x": plain}) as res:
        assert res.x == 42


def test_resources_object() -> None:
    res = Resources({"db": 1, "cache": 2})
    assert res.db == 1 and res.get("cache") == 2 and res.get("nope") is None
    assert res._asdict() == {"db": 1, "cache": 2} == res.original_resource_dict
    assert "db" in res and len(res) == 2 and sorted(res) == ["cache", "db"]
    assert res.subset(["db"])._asdict() == {"db": 1}
    with pytest.raises(
        UnknownResourceError, match=r"Unknown resource `nope`\. Specify `nope` as a required resource"
    ):
        _ = res.nope
    assert not hasattr(res, "nope")


def test_init_context_defaults() -> None:
    ctx = build_init_resource_context(config={"a": 1})
    assert ctx.resource_config == {"a": 1}
    assert isinstance(ctx.log, logging.Logger)
    assert ctx.instance is None and ctx.run_id is None
    assert ctx.replace_config({"b": 2}).resource_config == {"b": 2}


def test_config_mapping_errors_are_user_errors() -> None:
    @resource(config_schema={"a": int})
    def base(context: InitResourceContext) -> int:
        return int(context.resource_config["a"])

    def mapping(config: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("b")

    with (
        pytest.raises(ResourceInitError, match=r'ResourceDefinition "r": KeyError'),
        build_resources(
            {"r": base.configured(mapping, config_schema={"z": int})},
            resource_config={"r": {"config": {"z": 1}}},
        ),
    ):
        pass
