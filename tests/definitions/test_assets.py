"""AssetsDefinition: keys, subsets, copies with new attributes, and direct invocation in tests."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey


@hw.asset
def plain() -> int:
    return 1


@hw.asset
def withup(upstream: int) -> int:
    return upstream + 1


@hw.asset
def withctx(context: hw.AssetExecutionContext, upstream: int) -> tuple[str, int]:
    return context.asset_key.to_user_string(), upstream


@hw.asset(required_resource_keys={"foo"})
def withres(context: hw.AssetExecutionContext) -> Any:
    return context.resources.foo


@hw.multi_asset(outs={"o1": hw.AssetOut(), "o2": hw.AssetOut()})
def two() -> tuple[int, int]:
    return 1, 2


# --- direct invocation ---------------------------------------------------------------------------------
def test_direct_invocation_values() -> None:
    assert plain() == 1
    assert withup(upstream=2) == 3
    assert withup(2) == 3
    assert two() == (1, 2)


def test_direct_invocation_with_context_binds_the_asset() -> None:
    assert withctx(hw.build_asset_context(), upstream=1) == ("withctx", 1)
    assert withres(hw.build_asset_context(resources={"foo": "bar"})) == "bar"

    @hw.asset
    def keys(context: hw.AssetExecutionContext) -> Any:
        return context.asset_key, context.selected_asset_keys, context.asset_key_for_output()

    assert keys(hw.build_asset_context()) == (AssetKey("keys"), {AssetKey("keys")}, AssetKey("keys"))


def test_direct_invocation_errors() -> None:
    with pytest.raises(hw.InvalidInvocationError, match="Decorated function 'withctx' has context argument"):
        withctx(upstream=1)
    with pytest.raises(hw.InvalidInvocationError, match='No value provided for required input "upstream"'):
        withup()


def test_direct_invocation_returns_what_the_function_returns() -> None:
    @hw.asset
    def mr() -> hw.MaterializeResult:
        return hw.MaterializeResult(metadata={"a": 1})

    @hw.asset
    def gen() -> Any:
        yield hw.Output(3)

    assert isinstance(mr(), hw.MaterializeResult)
    assert [type(x).__name__ for x in gen()] == ["Output"]


def test_external_assets_cannot_be_called() -> None:
    (ext,) = hw.Definitions(assets=[hw.AssetSpec("ext")]).collection.assets_defs
    with pytest.raises(hw.InvalidInvocationError, match="external assets"):
        ext()
    assert not ext.is_executable and not ext.is_materializable and ext.is_external


# --- keys, subsets, copies ---------------------------------------------------------------------------------
def test_keys_and_specs() -> None:
    assert two.keys == {AssetKey("o1"), AssetKey("o2")}
    assert {s.key for s in two.specs} == two.keys
    assert two.get_output_name_for_asset_key(AssetKey("o2")) == "o2"
    assert two.get_asset_spec(AssetKey("o1")).key == AssetKey("o1")
    assert plain.asset_and_check_keys == {AssetKey("plain")}
    assert repr(two) == "<AssetsDefinition [o1, o2]>"


def test_subset_of_a_non_subsettable_multi_asset_is_an_error() -> None:
    with pytest.raises(
        hw.InvalidSubsetError,
        match=r"When building job, the AssetsDefinition 'two' contains asset keys \[AssetKey\(\['o1'\]\), "
        r"AssetKey\(\['o2'\]\)\] and check keys \[\], but attempted to select only assets "
        r"\[AssetKey\(\['o1'\]\)\] "
        r"and checks \[\]. This AssetsDefinition does not support subsetting.",
    ):
        two.subset_for({AssetKey("o1")})
    assert two.subset_for(two.keys).keys == two.keys


def test_subset_of_a_subsettable_multi_asset() -> None:
    @hw.multi_asset(outs={"o1": hw.AssetOut(), "o2": hw.AssetOut()}, can_subset=True)
    def sub() -> None:
        return None

    part = sub.subset_for({AssetKey("o2")})
    assert part.keys == {AssetKey("o2")} and part.key == AssetKey("o2")
    assert sub.keys == {AssetKey("o1"), AssetKey("o2")}


def test_with_attributes() -> None:
    changed = plain.with_attributes(
        group_names_by_key={AssetKey("plain"): "zz"},
        tags_by_key={AssetKey("plain"): {"t": "1"}},
        metadata_by_key={AssetKey("plain"): {"m": 2}},
    )
    assert changed.group_names_by_key == {AssetKey("plain"): "zz"}
    assert changed.tags_by_key == {AssetKey("plain"): {"t": "1"}}
    assert changed.metadata_by_key == {AssetKey("plain"): {"m": 2}}
    assert plain.group_names_by_key == {AssetKey("plain"): "default"}


def test_with_attributes_renames_keys() -> None:
    renamed = withup.with_attributes(
        asset_key_replacements={
            AssetKey("withup"): AssetKey(["p", "withup"]),
            AssetKey("upstream"): AssetKey("u2"),
        }
    )
    assert renamed.key == AssetKey(["p", "withup"])
    assert renamed.keys_by_input_name == {"upstream": AssetKey("u2")}
    assert renamed.dependency_keys == {AssetKey("u2")}
    u2 = hw.asset(name="u2")(lambda: 41)
    assert hw.materialize_to_memory([u2, renamed]).asset_value(["p", "withup"]) == 42


def test_with_resources_and_to_source_asset() -> None:
    bound = withres.with_resources({"foo": 5})
    assert bound.resource_defs == {"foo": 5} and withres.resource_defs == {}
    assert hw.materialize_to_memory([bound]).asset_value("withres") == 5
    sa = plain.to_source_asset()
    assert (
        isinstance(sa, hw.SourceAsset) and sa.key == AssetKey("plain") and sa.io_manager_key == "io_manager"
    )


SELF_DEP = (
    'Asset "{}" depends on itself. Assets can only depend on themselves if they are:\n'
    "(a) time-partitioned and each partition depends on earlier partitions\n"
    "(b) multipartitioned, with one time dimension that depends on earlier time partitions"
)


def test_an_asset_that_depends_on_itself_is_refused_with_dagsters_message() -> None:
    with pytest.raises(hw.InvalidDefinitionError) as info:

        @hw.asset(deps=["me"])
        def me() -> None: ...

    assert str(info.value) == SELF_DEP.format("me")
    with pytest.raises(hw.InvalidDefinitionError, match='Asset "prefix/loop" depends on itself'):
        hw.Definitions.validate_loadable(
            hw.Definitions(assets=[hw.AssetSpec(["prefix", "loop"], deps=[["prefix", "loop"]])])
        )
