"""Config: schemas, Config classes, EnvVar, RunConfig and the engine entry points."""

from __future__ import annotations

import enum
import pickle
from typing import Literal

import pydantic
import pytest

from headwater.core.env_var import EnvVar, EnvVarUnsetError, IntEnvVar
from headwater.definitions.config import (
    Any,
    Array,
    BoolSource,
    Config,
    Enum,
    EnumValue,
    Field,
    IntSource,
    Map,
    Noneable,
    Permissive,
    PermissiveConfig,
    RunConfig,
    Selector,
    Shape,
    StringSource,
    config_class_from_fn,
    process_node_config,
    validate_config,
    validate_run_config_shape,
)
from headwater.definitions.config_class import config_type_for_class
from headwater.errors import InvalidConfigError, InvalidDefinitionError, InvalidInvocationError

PATH = ("ops", "my_op", "config")


def errors_of(schema: object, value: object, path: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(InvalidConfigError) as info:
        validate_config(schema, value, path=path)
    return [str(e) for e in info.value.errors]


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Inner(Config):
    q: int = 1


class MyConfig(Config):
    x: int
    name: str = "a"
    color: Color = Color.RED
    inner: Inner = Inner()
    tags: list[str] = []


# ---- EnvVar --------------------------------------------------------------------------------------


def test_env_var_is_a_str_that_refuses_direct_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    var = EnvVar("HW_TEST_TOKEN")
    assert isinstance(var, str)
    assert var.env_var_name == "HW_TEST_TOKEN"
    with pytest.raises(RuntimeError, match=r'EnvVar\("HW_TEST_TOKEN"\)'):
        str(var)
    monkeypatch.delenv("HW_TEST_TOKEN", raising=False)
    assert var.get_value() is None
    assert var.get_value(default="d") == "d"
    with pytest.raises(EnvVarUnsetError, match='"HW_TEST_TOKEN" which is not set'):
        var.resolve()
    monkeypatch.setenv("HW_TEST_TOKEN", "secret")
    assert var.get_value() == "secret"
    assert pickle.loads(pickle.dumps(var)).env_var_name == "HW_TEST_TOKEN"


def test_int_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    var = EnvVar.int("HW_TEST_N")
    assert isinstance(var, IntEnvVar) and isinstance(var, int)
    assert var.get_value() is None
    monkeypatch.setenv("HW_TEST_N", "42")
    assert var.get_value() == 42
    with pytest.raises(RuntimeError):
        int(var)


# ---- legacy schemas --------------------------------------------------------------------------------


def test_defaults_and_optional_fields() -> None:
    schema = {"a": Field(int, default_value=3), "b": Field(str, is_required=False), "c": Noneable(int)}
    assert validate_config(schema, {}) == {"a": 3, "c": None}
    assert validate_config(schema, {"a": 4, "b": "x"}) == {"a": 4, "b": "x", "c": None}
    # nested all-optional shapes are filled in; explicitly optional ones are left out
    assert validate_config({"e": {"f": Noneable(int)}}, {}) == {"e": {"f": None}}
    assert validate_config({"e": Field({"f": Field(int, is_required=False)}, is_required=False)}, {}) == {}
    assert validate_config(Field(int, default_value=2), None) == 2


def test_wrong_type_message() -> None:
    assert errors_of({"a": int}, {"a": "x"}) == [
        'Invalid scalar at path root:a. Value "x" of type "<class \'str\'>" is not valid for expected type '
        '"Int".'
    ]
    assert errors_of({"a": int}, {"a": True})[0].endswith('is not valid for expected type "Int".')
    assert errors_of({"a": int}, "notdict") == ['Value at the root must be dict. Expected: "{ a: Int }".']
    assert errors_of({"a": int}, {"a": None}) == ['Value at path root:a must not be None. Expected "Int"']
    assert errors_of([int], 3) == ['Value at the root must be list. Expected: "[Int]"']
    assert errors_of([int], [1, "a"])[0].startswith("Invalid scalar at path root[1].")


def test_missing_field_messages() -> None:
    assert errors_of({"a": int}, {}) == [
        'Missing required config entry "a" at the root. You must provide this value in your run config. '
        "Example config for the missing entry: {'a': 0}"
    ]
    assert errors_of({"a": {"b": int}}, {"a": {}}) == [
        'Missing required config entry "b" at path root:a. You must provide this value in your run config. '
        "Example config for the missing entry: {'b': 0}"
    ]
    assert errors_of({"a": str, "b": bool, "c": float, "d": [str], "e": Any}, {}) == [
        "Missing required config entries ['a', 'b', 'c', 'd', 'e'] at the root. You must provide these "
        "values in your run config. Example config for the missing entries: "
        "{'a': '...', 'b': True, 'c': 0.0, 'd': [], 'e': 'AnyType'}"
    ]


def test_unexpected_field_messages() -> None:
    schema = {"z": int, "b": str, "a": Field(int, default_value=1)}
    assert errors_of(schema, {"q": 1, "z": 1, "b": "s"}) == [
        'Received unexpected config entry "q" at the root. Expected: "{ a?: Int b: String z: Int }".'
    ]
    # unexpected entries first, then missing ones, then each field's own errors (by name)
    assert errors_of({"a": int, "b": str}, {"c": 1, "d": 2, "b": 3}) == [
        "Received unexpected config entries \"['c', 'd']\" at the root. Expected: \"['a', 'b'].\"",
        'Missing required config entry "a" at the root. You must provide this value in your run config. '
        "Example config for the missing entry: {'a': 0}",
        'Invalid scalar at path root:b. Value "3" of type "<class \'int\'>" is not valid for expected type '
        '"String".',
    ]


def test_permissive_selector_map_enum_any() -> None:
    assert validate_config(Permissive({"a": int}), {"a": 1, "z": 2}) == {"a": 1, "z": 2}
    assert validate_config(dict, {"q": [1]}) == {"q": [1]}
    assert validate_config(Any, {"z": 2}) == {"z": 2}
    assert validate_config(Selector({"a": int, "b": str}), {"b": "s"}) == {"b": "s"}
    assert errors_of(Selector({"a": int, "b": str}), {"a": 1, "b": "s"}) == [
        "You can only specify a single field at the root. You specified ['a', 'b']. "
        "The available fields are ['a', 'b']"
    ]
    assert errors_of(Selector({"a": int, "b": str}), {}) == [
        "Must specify a field at the root if more than one field is defined. Defined fields: ['a', 'b']"
    ]
    assert validate_config(Selector({"x": Field(int, default_value=1)}), {}) == {"x": 1}
    assert validate_config(Map(str, int), {"a": 1}) == {"a": 1}
    assert errors_of({"m": Map(str, int)}, {"m": {"b": "x"}})[0].startswith(
        "Invalid scalar at path root:m:'b':value."
    )
    colors = Enum("Color", [EnumValue("RED", python_value=Color.RED), EnumValue("BLUE")])
    assert validate_config(colors, "RED") is Color.RED
    assert validate_config(colors, "BLUE") == "BLUE"
    assert errors_of(colors, "GREEN") == ["Value at the root not in enum type Color got GREEN"]
    assert errors_of(colors, 3) == ["Value at the root for enum type Color must be a string"]
    assert validate_config(Enum.from_python_enum(Color), "BLUE") is Color.BLUE
    assert validate_config(Array(Shape({"x": Field(int, default_value=1)})), [{}, {"x": 2}]) == [
        {"x": 1},
        {"x": 2},
    ]


def test_python_types_as_schema() -> None:
    assert validate_config(int, 3) == 3
    assert validate_config(float, 1) == 1.0
    assert validate_config(list, [1, "a"]) == [1, "a"]
    assert validate_config({"a": [int], "b": {"c": bool}}, {"a": [1], "b": {"c": False}}) == {
        "a": [1],
        "b": {"c": False},
    }
    with pytest.raises(InvalidDefinitionError, match="cannot be used as a config schema"):
        validate_config({"a": object()}, {})
    with pytest.raises(InvalidDefinitionError):
        Field(int, default_value=1, is_required=True)


def test_source_types_resolve_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_S", "text")
    monkeypatch.setenv("HW_I", "12")
    monkeypatch.setenv("HW_B", "false")
    monkeypatch.delenv("HW_UNSET", raising=False)
    schema = {"s": StringSource, "i": IntSource, "b": BoolSource}
    assert validate_config(schema, {"s": {"env": "HW_S"}, "i": {"env": "HW_I"}, "b": {"env": "HW_B"}}) == {
        "s": "text",
        "i": 12,
        "b": False,
    }
    assert validate_config(schema, {"s": "lit", "i": 3, "b": True}) == {"s": "lit", "i": 3, "b": True}
    assert errors_of({"s": StringSource}, {"s": {"env": "HW_UNSET"}}, path=PATH) == [
        "Post processing at path root:ops:my_op:config:s of original value {'env': 'HW_UNSET'} failed: "
        'You have attempted to fetch the environment variable "HW_UNSET" which is not set. '
        "In order for this execution to succeed it must be set in this environment."
    ]
    assert "cannot be coerced into an int" in errors_of({"i": IntSource}, {"i": {"env": "HW_S"}})[0]
    assert errors_of({"s": StringSource}, {"s": {"envx": "X"}}) == [
        'Received unexpected config entry "envx" at path root:s. Expected: "{ env: String }".'
    ]
    # an EnvVar object in run config is resolved too (whatever the field type)
    assert validate_config({"s": str, "i": int}, {"s": EnvVar("HW_S"), "i": EnvVar.int("HW_I")}) == {
        "s": "text",
        "i": 12,
    }
    assert "HW_UNSET" in errors_of({"s": str}, {"s": EnvVar("HW_UNSET")})[0]


# ---- Config classes ---------------------------------------------------------------------------------


def test_config_class_is_frozen_and_forbids_extra_fields() -> None:
    c = MyConfig(x=1)
    assert (c.x, c.name, c.color, c.inner.q, c.tags) == (1, "a", Color.RED, 1, [])
    with pytest.raises(InvalidInvocationError, match="does not support item assignment"):
        c.x = 2  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        MyConfig(x=1, nope=2)  # type: ignore[call-arg]
    assert hash(Inner(q=1)) == hash(Inner(q=1))


def test_permissive_config_and_subclassing() -> None:
    class P(PermissiveConfig):
        x: int = 1

    assert P(y=3).model_dump() == {"x": 1, "y": 3}  # type: ignore[call-arg]

    class Sub(MyConfig):
        extra: int = 5

    assert Sub(x=2).extra == 5
    assert process_node_config(None, P, {"y": 2}, path=PATH).model_dump() == {"x": 1, "y": 2}


def test_config_class_schema_matches_dagster_rendering() -> None:
    class C(Config):
        a: int
        b: str = "x"
        c: int | None = None
        d: list[str] = []
        e: Inner = Inner()
        f: Color = Color.RED
        g: dict[str, int] = {}
        h: float
        i: bool
        lit: Literal["p", "q"] = "p"
        free: dict = {}  # type: ignore[type-arg]

    assert config_type_for_class(C).type_str() == (
        "{ a: (Int | { env: String }) b?: (String | { env: String })? c?: (Int | { env: String })? "
        "d?: [(String | { env: String })]? e?: { q?: (Int | { env: String })? } f?: Color? "
        "free?: { }? g?: { [String]: (Int | { env: String }) }? h: Float i: (Bool | { env: String }) "
        "lit?: Literal['p', 'q'] }"
    )


def test_process_node_config_with_config_class(monkeypatch: pytest.MonkeyPatch) -> None:
    result = process_node_config(None, MyConfig, {"x": 1, "color": "BLUE", "inner": {"q": 5}}, path=PATH)
    assert isinstance(result, MyConfig)
    assert (result.x, result.name, result.color, result.inner, result.tags) == (
        1,
        "a",
        Color.BLUE,
        Inner(q=5),
        [],
    )
    monkeypatch.setenv("HW_X", "7")
    assert process_node_config(None, MyConfig, {"x": {"env": "HW_X"}}, path=PATH).x == 7
    # a Config instance holding an EnvVar resolves it at processing time
    assert process_node_config(None, MyConfig, MyConfig(x=EnvVar.int("HW_X")), path=PATH).x == 7


def test_process_node_config_errors_have_dagster_shape() -> None:
    with pytest.raises(InvalidConfigError) as info:
        process_node_config(None, MyConfig, {"x": "s", "zz": 1}, path=PATH, job_name="my_job")
    assert str(info.value) == (
        "Error in config for job my_job\n"
        '    Error 1: Received unexpected config entry "zz" at path root:ops:my_op:config. Expected: '
        '"{ color?: Color? inner?: { q?: (Int | { env: String })? } name?: (String | { env: String })? '
        'tags?: [(String | { env: String })]? x: (Int | { env: String }) }".\n'
        '    Error 2: Invalid scalar at path root:ops:my_op:config:x. Value "s" of type "<class \'str\'>" '
        'is not valid for expected type "Int".'
    )
    assert info.value.errors[1].path == ("ops", "my_op", "config", "x")
    with pytest.raises(InvalidConfigError) as info:
        process_node_config(None, MyConfig, None, path=PATH)
    assert str(info.value.errors[0]) == (
        'Missing required config entry "config" at path root:ops:my_op. You must provide this value in your '
        "run config. Example config for the missing entry: {'config': {'x': 0}}"
    )
    with pytest.raises(InvalidConfigError, match="not in enum type Color got GREEN"):
        process_node_config(None, MyConfig, {"x": 1, "color": "GREEN"}, path=PATH)


def test_process_node_config_pydantic_validators_become_config_errors() -> None:
    class Positive(Config):
        n: int

        @pydantic.field_validator("n")
        @classmethod
        def check(cls, v: int) -> int:
            if v <= 0:
                raise ValueError("must be positive")
            return v

    with pytest.raises(InvalidConfigError, match=r"root:ops:my_op:config:n: Value error, must be positive"):
        process_node_config(None, Positive, {"n": -1}, path=PATH)


def test_process_node_config_legacy_schema_and_no_schema() -> None:
    schema = {"a": int, "b": Field(str, default_value="B")}
    assert process_node_config(schema, None, {"a": 1}, path=PATH) == {"a": 1, "b": "B"}
    assert process_node_config(int, None, 5, path=PATH) == 5
    assert process_node_config(None, None, {"anything": 1}, path=PATH) == {"anything": 1}
    assert process_node_config({"a": Field(int, default_value=3)}, None, None, path=PATH) == {"a": 3}
    with pytest.raises(
        InvalidConfigError, match=r'Missing required config entry "a" at path root:ops:my_op:config'
    ):
        process_node_config(schema, None, {}, path=PATH)


def test_config_class_from_fn() -> None:
    def with_config(config: MyConfig) -> None: ...

    def with_dict_config(context: object, config: dict) -> None: ...  # type: ignore[type-arg]

    def without(context: object) -> None: ...

    assert config_class_from_fn(with_config) is MyConfig
    assert config_class_from_fn(with_dict_config) is None
    assert config_class_from_fn(without) is None


# ---- RunConfig and the run config shape ------------------------------------------------------------------


def test_run_config_to_config_dict() -> None:
    rc = RunConfig(
        ops={"a": MyConfig(x=2, name=EnvVar("HW_NAME")), "g": {"ops": {"inner": Inner(q=3)}}},
        resources={"db": {"config": {"url": "x"}}},
    )
    assert rc.to_config_dict() == {
        "loggers": {},
        "resources": {"db": {"config": {"url": "x"}}},
        "ops": {
            "a": {
                "config": {"x": 2, "name": {"env": "HW_NAME"}, "color": "RED", "inner": {"q": 1}, "tags": []}
            },
            "g": {"ops": {"inner": {"config": {"q": 3}}}},
        },
        "execution": {},
    }
    assert RunConfig(ops={"a": {"config": {"x": 1}}}).to_config_dict()["ops"] == {"a": {"config": {"x": 1}}}


def test_validate_run_config_shape_normalises() -> None:
    out = validate_run_config_shape(
        RunConfig(ops={"a": MyConfig(x=1)}), node_names={"a", "b"}, resource_keys={"io_manager"}
    )
    assert out["ops"]["a"]["config"]["x"] == 1
    assert out["resources"] == {} and out["execution"] == {} and out["loggers"] == {}
    assert validate_run_config_shape(None, node_names=set(), resource_keys=set()) == {
        "execution": {},
        "loggers": {},
        "ops": {},
        "resources": {},
    }
    nested = {"ops": {"g": {"ops": {"inner": {"config": {"x": 1}}}}}}
    assert (
        validate_run_config_shape(nested, node_names={"g.inner"}, resource_keys=set())["ops"] == nested["ops"]
    )


def test_validate_run_config_shape_errors() -> None:
    with pytest.raises(InvalidConfigError) as info:
        validate_run_config_shape(
            {
                "opps": {},
                "ops": {"my_opp": {"config": {}}, "b": {"config": {}, "zz": 1}},
                "resources": {"dbb": {}},
            },
            node_names={"my_op", "b"},
            resource_keys={"db"},
            job_name="j",
        )
    text = str(info.value)
    assert text.startswith("Error in config for job j\n")
    assert 'Received unexpected config entry "opps" at the root.' in text and 'Did you mean "ops"?' in text
    assert (
        'Received unexpected config entry "my_opp" at path root:ops.' in text
        and 'Did you mean "my_op"?' in text
    )
    assert 'Received unexpected config entry "zz" at path root:ops:b.' in text
    assert (
        'Received unexpected config entry "dbb" at path root:resources.' in text
        and 'Did you mean "db"?' in text
    )
    with pytest.raises(InvalidConfigError, match='unexpected config entry "innr" at path root:ops:g:ops'):
        validate_run_config_shape(
            {"ops": {"g": {"ops": {"innr": {}}}}}, node_names={"g.inner"}, resource_keys=set()
        )
