"""AssetSpec, AssetDep, SourceAsset, map_asset_specs and the AssetKey API (as observed on Dagster 1.13)."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey


def _spec() -> hw.AssetSpec:
    return hw.AssetSpec(
        "s",
        deps=["up1", AssetKey("up2"), hw.AssetDep("up3")],
        group_name="g",
        metadata={"a": 1},
        tags={"t": "1"},
        kinds={"k1"},
        owners=["team:a"],
        description="d",
        code_version="v",
    )


# --- AssetKey ----------------------------------------------------------------------------------------------
def test_asset_key_api() -> None:
    k = AssetKey(["a", "b"])
    assert AssetKey("a") == AssetKey(["a"]) and hash(AssetKey("a")) == hash(AssetKey(["a"]))
    assert k.path == ["a", "b"]
    assert k.to_user_string() == "a/b"
    assert k.to_string() == '["a", "b"]'
    assert AssetKey.from_user_string("a/b") == k
    assert k.with_prefix("p") == AssetKey(["p", "a", "b"])
    assert k.with_prefix(["p", "q"]) == AssetKey(["p", "q", "a", "b"])
    assert AssetKey("a").with_prefix("x/y") == AssetKey(["x/y", "a"])
    assert AssetKey(["a"]).to_python_identifier() == "a"
    assert k.to_python_identifier("sfx") == "a__b__sfx"
    assert AssetKey.from_coercible("x/y") == AssetKey(["x/y"])
    assert AssetKey.from_coercible(["x", "y"]) == AssetKey(["x", "y"])
    assert AssetKey("a/b").path == ["a/b"]  # a string is one part; from_user_string splits
    assert k.has_prefix(["a"]) and not k.has_prefix(["b"])
    assert k < AssetKey(["b"])
    assert str(k) == repr(k) == "AssetKey(['a', 'b'])"
    with pytest.raises(hw.InvalidDefinitionError):
        AssetKey(["a", 1])  # type: ignore[list-item]


# --- AssetSpec ---------------------------------------------------------------------------------------------
def test_spec_fields() -> None:
    s = _spec()
    assert s.key == AssetKey("s")
    assert [d.asset_key.to_user_string() for d in s.deps] == ["up1", "up2", "up3"]
    assert (s.group_name, s.metadata, s.owners, s.description, s.code_version, s.skippable) == (
        "g",
        {"a": 1},
        ["team:a"],
        "d",
        "v",
        False,
    )
    assert s.tags == {"t": "1", "dagster/kind/k1": ""}
    assert s.kinds == {"k1"}
    assert hw.AssetSpec(key=["a", "b"]).key == AssetKey(["a", "b"])
    assert hw.AssetSpec("a") == hw.AssetSpec("a")
    assert hw.AssetSpec("a", group_name="x") != hw.AssetSpec("a")


def test_spec_deps_given_twice_count_once() -> None:
    assert [d.asset_key for d in hw.AssetSpec("z", deps=["a", "a"]).deps] == [AssetKey("a")]


def test_replace_attributes() -> None:
    r = _spec().replace_attributes(group_name="h", metadata={"b": 2}, key="s2", description=None)
    assert (r.group_name, r.metadata, r.key, r.description) == ("h", {"b": 2}, AssetKey("s2"), None)
    assert r.kinds == {"k1"} and r.tags == {"t": "1", "dagster/kind/k1": ""}


def test_replace_tags_keeps_kinds_and_replace_kinds_drops_old_kind_tags() -> None:
    by_tags = _spec().replace_attributes(tags={"x": "y"})
    assert by_tags.tags == {"x": "y", "dagster/kind/k1": ""} and by_tags.kinds == {"k1"}
    by_kinds = _spec().replace_attributes(kinds={"k2"})
    assert by_kinds.tags == {"t": "1", "dagster/kind/k2": ""} and by_kinds.kinds == {"k2"}


def test_replace_unknown_attribute() -> None:
    with pytest.raises(
        TypeError, match=r"AssetSpec.replace_attributes\(\) got an unexpected keyword argument 'bogus'"
    ):
        _spec().replace_attributes(bogus=1)


def test_merge_attributes() -> None:
    m = _spec().merge_attributes(
        deps=["up4"], metadata={"b": 2}, tags={"u": "2"}, kinds={"k2"}, owners=["x@y.com"]
    )
    assert sorted(d.asset_key.to_user_string() for d in m.deps) == ["up1", "up2", "up3", "up4"]
    assert m.metadata == {"a": 1, "b": 2}
    assert m.tags == {"t": "1", "u": "2", "dagster/kind/k1": "", "dagster/kind/k2": ""}
    assert m.kinds == {"k1", "k2"}
    assert m.owners == ["team:a", "x@y.com"]
    assert len(_spec().merge_attributes(deps=["up1"]).deps) == 3


def test_with_io_manager_key() -> None:
    assert hw.AssetSpec("e").with_io_manager_key("ext_io").metadata == {"dagster/io_manager_key": "ext_io"}


# --- map_asset_specs ---------------------------------------------------------------------------------------
@hw.asset
def m1() -> int:
    return 1


@hw.asset
def m2(m1: int) -> int:
    return m1 + 1


def test_map_asset_specs_over_definitions_and_specs() -> None:
    mapped = hw.map_asset_specs(
        lambda s: s.replace_attributes(group_name="mapped"), [m1, m2, hw.AssetSpec("e")]
    )
    assert [type(x).__name__ for x in mapped] == ["AssetsDefinition", "AssetsDefinition", "AssetSpec"]
    assert mapped[0].group_names_by_key == {AssetKey("m1"): "mapped"}
    assert mapped[1].group_names_by_key == {AssetKey("m2"): "mapped"}
    assert mapped[2].group_name == "mapped"
    assert m1.group_names_by_key == {AssetKey("m1"): "default"}  # the original is unchanged
    assert hw.materialize_to_memory(mapped[:2]).asset_value("m2") == 2


def test_map_asset_specs_cannot_change_keys_or_drop_argument_deps() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"Asset key m1 was changed to zz. Mapping function must not change keys.",
    ):
        hw.map_asset_specs(lambda s: s.replace_attributes(key="zz"), [m1])
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"Attempted to remove argument-backed dependency AssetKey\(\['m1'\]\) "
        r"\(mapped to argument m1\) "
        "from "
        "the asset. Only non-argument dependencies can be changed or removed using map_asset_specs.",
    ):
        hw.map_asset_specs(lambda s: s.replace_attributes(deps=["foo"]), [m2])


def test_map_asset_specs_added_dep_orders_execution() -> None:
    order: list[str] = []

    @hw.asset
    def later() -> None:
        order.append("later")

    @hw.asset
    def earlier() -> None:
        order.append("earlier")

    (mapped,) = hw.map_asset_specs(lambda s: s.merge_attributes(deps=[earlier]), [later])
    assert mapped.asset_deps == {AssetKey("later"): {AssetKey("earlier")}}
    assert hw.materialize_to_memory([mapped, earlier]).success
    assert order == ["earlier", "later"]


# --- SourceAsset -------------------------------------------------------------------------------------------
def test_source_asset() -> None:
    sa = hw.SourceAsset("raw", io_manager_key="raw_io", metadata={"m": 1}, description="d", group_name="g")
    assert (sa.key, sa.io_manager_key, sa.metadata, sa.description, sa.group_name) == (
        AssetKey("raw"),
        "raw_io",
        {"m": 1},
        "d",
        "g",
    )
    assert hw.SourceAsset("r2").io_manager_key == "io_manager"
    own = hw.SourceAsset("r3", io_manager_def=hw.InMemoryIOManager())
    assert own.io_manager_key == "r3__io_manager" and set(own.resource_defs) == {"r3__io_manager"}
    assert not sa.is_observable
