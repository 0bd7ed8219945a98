"""@asset, @multi_asset, @graph_asset and @graph_multi_asset: what each argument builds.

Expected values and error messages were observed on Dagster 1.13 running the same code.
"""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey


def _deps(ad: hw.AssetsDefinition) -> dict[str, list[str]]:
    return {k.to_user_string(): sorted(d.to_user_string() for d in v) for k, v in ad.asset_deps.items()}


# --- @asset: keys and names ----------------------------------------------------------------------------
def test_key_comes_from_function_name_prefix_name_or_key() -> None:
    @hw.asset
    def plain() -> int:
        return 1

    @hw.asset(key_prefix=["p", "q"])
    def prefixed() -> int:
        return 1

    @hw.asset(name="renamed")
    def fn() -> int:
        return 1

    @hw.asset(key=["x", "y"])
    def keyed() -> int:
        return 1

    assert plain.key == AssetKey("plain")
    assert prefixed.key == AssetKey(["p", "q", "prefixed"])
    assert prefixed.op.name == "p__q__prefixed"
    assert fn.key == AssetKey("renamed") and fn.op.name == "renamed"
    assert keyed.key == AssetKey(["x", "y"]) and keyed.op.name == "x__y"
    assert hw.asset(key_prefix="single", name="n")(lambda: 1).key == AssetKey(["single", "n"])


def test_key_with_name_is_an_error() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"Cannot specify a name or key prefix for @asset when the key argument is provided.",
    ):
        hw.asset(key="x", name="y")(lambda: 1)


def test_invalid_name_is_an_error() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="bad name"):
        hw.asset(name="bad name")(lambda: 1)


# --- @asset: upstream assets -------------------------------------------------------------------------
def test_parameters_name_upstream_assets_and_ins_remap_them() -> None:
    @hw.asset
    def up() -> int:
        return 1

    @hw.asset
    def by_param(up: int) -> int:
        return up + 1

    @hw.asset(ins={"x": hw.AssetIn("up")})
    def by_in(x: int) -> int:
        return x

    @hw.asset(ins={"x": hw.AssetIn(key_prefix=["a", "b"])})
    def by_prefix(x: int) -> int:
        return x

    @hw.asset(ins={"x": hw.AssetIn(key=AssetKey(["k", "x"]))})
    def by_key(x: int) -> int:
        return x

    assert by_param.keys_by_input_name == {"up": AssetKey("up")}
    assert by_in.keys_by_input_name == {"x": AssetKey("up")}
    assert by_prefix.keys_by_input_name == {"x": AssetKey(["a", "b", "x"])}
    assert by_key.dependency_keys == {AssetKey(["k", "x"])}


def test_ins_key_not_a_parameter() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match="Key 'zz' in provided ins dict does not correspond to any of the names of the arguments to the "
        "decorated function",
    ):
        hw.asset(ins={"zz": hw.AssetIn()})(lambda a: 1)


def test_deps_accept_assets_keys_strings_and_asset_deps_as_ordering_only_inputs() -> None:
    @hw.asset
    def first() -> int:
        return 1

    @hw.asset(deps=[first, "ext", AssetKey(["k", "x"]), hw.AssetDep("ddd"), hw.AssetSpec("spec_dep")])
    def multi_deps() -> int:
        return 2

    assert {k.to_user_string() for k in multi_deps.dependency_keys} == {
        "ddd",
        "first",
        "ext",
        "k/x",
        "spec_dep",
    }
    # Every dep becomes a Nothing input: ordering only, no value is passed.
    assert all(multi_deps.op.input_types[name].is_nothing for name in multi_deps.op.ins)
    assert set(multi_deps.keys_by_input_name.values()) == multi_deps.dependency_keys


def test_deps_dedupe_and_merge_with_parameters() -> None:
    # Dagster keeps one dep for a key given twice, and a dep that is also a parameter stays a data input.
    assert hw.asset(deps=["a", "a"], name="dd")(lambda: 1).dependency_keys == {AssetKey("a")}
    both = hw.asset(deps=["a"], name="de")(lambda a: 1)
    assert both.dependency_keys == {AssetKey("a")}
    assert not both.op.input_types["a"].is_nothing


# --- @asset: attributes ----------------------------------------------------------------------------------
def test_spec_attributes() -> None:
    @hw.asset(
        group_name="g",
        metadata={"m": 1},
        tags={"t": "v"},
        kinds={"python"},
        owners=["team:x", "a@b.com"],
        code_version="1",
    )
    def attrs() -> int:
        """Doc here."""
        return 1

    spec = attrs.specs[0]
    assert spec.group_name == "g"
    assert spec.metadata == {"m": 1}
    assert spec.tags == {"t": "v", "dagster/kind/python": ""}
    assert spec.kinds == {"python"}
    assert spec.owners == ["team:x", "a@b.com"]
    assert spec.code_version == "1"
    assert spec.description == "Doc here." and attrs.op.description == "Doc here."
    key = AssetKey("attrs")
    assert attrs.group_names_by_key == {key: "g"}
    assert attrs.code_versions_by_key == {key: "1"}
    assert attrs.descriptions_by_key == {key: "Doc here."}
    assert attrs.owners_by_key == {key: ["team:x", "a@b.com"]}
    assert hw.asset(description="given", name="d")(lambda: 1).specs[0].description == "given"
    assert hw.asset(name="nogroup")(lambda: 1).group_names_by_key == {AssetKey("nogroup"): "default"}


def test_more_than_three_kinds_is_allowed() -> None:
    assert len(hw.asset(kinds={"a", "b", "c", "d"}, name="kk")(lambda: 1).specs[0].kinds) == 4


def test_invalid_owner() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"Invalid owner 'bob' for asset 'AssetKey\(\['o'\]\)'. Owner must be an email address or a "
        "team "
        "name prefixed with 'team:'.",
    ):
        hw.asset(owners=["bob"], name="o")(lambda: 1)


def test_op_level_arguments() -> None:
    policy = hw.RetryPolicy(max_retries=3)
    a = hw.asset(name="a", retry_policy=policy, pool="mypool", op_tags={"x": "y"}, code_version="7")(
        lambda: 1
    )
    assert a.op.retry_policy is policy
    assert a.op.pool == "mypool"
    assert a.op.tags == {"x": "y"}
    assert a.op.outs["result"].code_version == "7"


class MyRes(hw.ConfigurableResource):
    n: int


def test_resources_io_manager_key_and_io_manager_def() -> None:
    @hw.asset(required_resource_keys={"foo"}, io_manager_key="special")
    def needs(context: hw.AssetExecutionContext) -> int:
        return 1

    @hw.asset
    def pythonic(my_res: MyRes) -> int:
        return my_res.n

    mem = hw.InMemoryIOManager()
    own = hw.asset(io_manager_def=mem, name="own")(lambda: 1)
    assert needs.required_resource_keys == {"foo", "special"}
    assert needs.io_manager_key_for(needs.key) == "special"
    assert pythonic.required_resource_keys == {"io_manager", "my_res"}
    assert own.get_io_manager_key_for_asset_key(own.key) == "own__io_manager"
    assert own.resource_defs == {"own__io_manager": mem}


def test_check_specs_must_target_the_asset() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"Invalid asset key AssetKey\(\['other'\]\) in check spec c. "
        r"Must be one of \[AssetKey\(\['x'\]\)\]",
    ):
        hw.asset(check_specs=[hw.AssetCheckSpec("c", asset="other")], name="x")(lambda: 1)
    ok = hw.asset(check_specs=[hw.AssetCheckSpec("c", asset="x")], name="x")(lambda: 1)
    assert ok.check_keys == {hw.AssetCheckKey(AssetKey("x"), "c")}
    assert set(ok.op.outs) == {"result", "x_c"}


# --- @multi_asset ------------------------------------------------------------------------------------------
def test_multi_asset_outs() -> None:
    @hw.multi_asset(
        outs={
            "o1": hw.AssetOut(),
            "o2": hw.AssetOut(key_prefix="pre", group_name="g2", io_manager_key="io2"),
        },
        deps=["zz"],
        group_name="g",
    )
    def ma(up: int) -> tuple[int, int]:
        return 1, 2

    assert ma.keys == {AssetKey("o1"), AssetKey(["pre", "o2"])}
    assert _deps(ma) == {"o1": ["up", "zz"], "pre/o2": ["up", "zz"]}
    assert sorted(ma.keys_by_input_name) == ["up", "zz"]
    assert ma.group_names_by_key == {AssetKey("o1"): "g", AssetKey(["pre", "o2"]): "g2"}
    assert ma.io_manager_key_for(AssetKey(["pre", "o2"])) == "io2"
    with pytest.raises(hw.InvalidInvocationError, match=r"use .keys"):
        _ = ma.key


def test_multi_asset_specs_keep_their_own_deps() -> None:
    @hw.multi_asset(specs=[hw.AssetSpec("s1"), hw.AssetSpec("s2", deps=["s1", "ext"])])
    def ma() -> Any:
        yield hw.MaterializeResult(asset_key="s1")
        yield hw.MaterializeResult(asset_key="s2")

    assert _deps(ma) == {"s1": [], "s2": ["ext", "s1"]}
    # Only the dependency from outside becomes an input; s1 -> s2 is internal to the node.
    assert list(ma.keys_by_input_name.values()) == [AssetKey("ext")]


def test_multi_asset_specs_rules() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"Can not pass deps and specs to @multi_asset, specify deps on the AssetSpecs directly.",
    ):
        hw.multi_asset(specs=[hw.AssetSpec("s1")], deps=["zz"])(lambda: None)
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"Invalid asset dependencies: `\{AssetKey\(\['up'\]\)\}` specified as AssetIns, but are not "
        "specified "
        "as `AssetDep` objects on any constituent AssetSpec objects.",
    ):
        hw.multi_asset(specs=[hw.AssetSpec("s1")], name="m")(lambda up: None)
    with pytest.raises(hw.InvalidDefinitionError, match="specified in `internal_asset_deps`"):
        hw.multi_asset(
            outs={"o1": hw.AssetOut(), "o2": hw.AssetOut()},
            internal_asset_deps={"o2": {AssetKey("o1")}},
            name="m",
        )(lambda up: (1, 2))


def test_multi_asset_internal_asset_deps() -> None:
    @hw.multi_asset(
        outs={"o1": hw.AssetOut(), "o2": hw.AssetOut()},
        internal_asset_deps={"o1": {AssetKey("up")}, "o2": {AssetKey("o1")}},
    )
    def ma(up: int) -> tuple[int, int]:
        return 1, 2

    assert _deps(ma) == {"o1": ["up"], "o2": ["o1"]}


# --- graph-backed assets -----------------------------------------------------------------------------------
@hw.op
def add_one(x: int) -> int:
    return x + 1


@hw.op
def double(x: int) -> int:
    return x * 2


def test_graph_asset_and_graph_multi_asset() -> None:
    @hw.graph_asset(group_name="g")
    def gasset(src: int) -> Any:
        return double(add_one(src))

    @hw.graph_multi_asset(outs={"g1": hw.AssetOut(), "g2": hw.AssetOut()})
    def gmulti(src: int) -> Any:
        return add_one(src), double(src)

    assert gasset.node_def.name == "gasset"
    assert gasset.keys_by_input_name == {"src": AssetKey("src")}
    assert gasset.dependency_keys == {AssetKey("src")}
    assert gasset.group_names_by_key == {AssetKey("gasset"): "g"}
    assert gmulti.keys == {AssetKey("g1"), AssetKey("g2")}
    assert _deps(gmulti) == {"g1": ["src"], "g2": ["src"]}
    with pytest.raises(hw.InvalidInvocationError, match="computed by a graph"):
        _ = gasset.op
