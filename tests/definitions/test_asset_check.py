"""@asset_check and AssetCheckSpec as definitions (execution is in tests/execution)."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey


@hw.asset
def base() -> int:
    return 10


def test_asset_check_definition() -> None:
    @hw.asset_check(asset=base, blocking=True, description="desc", metadata={"m": 1})
    def base_check(base: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=base > 100)

    key = hw.AssetCheckKey(AssetKey("base"), "base_check")
    assert isinstance(base_check, hw.AssetChecksDefinition)
    assert base_check.check_key == key and base_check.check_keys == {key}
    assert base_check.node_def.name == "base_base_check"
    (spec,) = base_check.check_specs
    assert (spec.name, spec.asset_key, spec.blocking, spec.description, spec.metadata) == (
        "base_check",
        AssetKey("base"),
        True,
        "desc",
        {"m": 1},
    )
    assert base_check.keys_by_input_name == {"base": AssetKey("base")}
    assert base_check.keys == set()


def test_asset_check_names_and_targets() -> None:
    @hw.asset_check(asset="base", name="renamed")
    def fn() -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=True)

    @hw.asset_check(asset=AssetKey(["a", "b"]), additional_deps=["other"])
    def nested(b: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=True)

    assert fn.check_key == hw.AssetCheckKey(AssetKey("base"), "renamed")
    # No parameter: the checked asset is still an ordering dependency.
    assert set(fn.keys_by_input_name.values()) == {AssetKey("base")}
    assert nested.node_def.name == "a__b_nested"
    assert set(nested.keys_by_input_name.values()) == {AssetKey(["a", "b"]), AssetKey("other")}


def test_asset_check_unknown_parameter() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="parameter 'zz'"):
        hw.asset_check(asset=base, name="c")(lambda base, zz: hw.AssetCheckResult(passed=True))


def test_check_spec() -> None:
    spec = hw.AssetCheckSpec("positive", asset="x", blocking=True, additional_deps=["y"])
    assert spec.key == hw.AssetCheckKey(AssetKey("x"), "positive")
    assert spec.get_python_identifier() == "x_positive"
    assert spec.additional_deps == [AssetKey("y")]
    assert spec == hw.AssetCheckSpec("positive", asset=AssetKey("x"), blocking=True)
    with pytest.raises(hw.InvalidDefinitionError):
        hw.AssetCheckSpec("bad name", asset="x")
