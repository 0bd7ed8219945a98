"""collect_assets and build_asset_job: the asset graph, its errors, and the job built from a selection."""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_layer import build_asset_job, collect_assets
from headwater.planning.plan import build_plan


@hw.asset
def a() -> int:
    return 1


@hw.asset
def b(a: int) -> int:
    return a + 1


def test_collect_normalizes_everything_asset_shaped() -> None:
    @hw.asset_check(asset=a)
    def a_ok() -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=True)

    c = collect_assets([a, b, hw.AssetSpec("ext"), hw.SourceAsset("src", io_manager_key="src_io"), a_ok])
    graph = c.graph
    assert set(graph.nodes) == {AssetKey(k) for k in ["a", "b", "ext", "src"]}
    assert graph.materializable_asset_keys == {AssetKey("a"), AssetKey("b")}
    assert graph.parents(AssetKey("b")) == (AssetKey("a"),)
    assert graph.children(AssetKey("a")) == [AssetKey("b")]
    assert graph.nodes[AssetKey("a")].check_keys == (hw.AssetCheckKey(AssetKey("a"), "a_ok"),)
    assert c.io_manager_key_for(AssetKey("src")) == "src_io"
    assert c.producer[AssetKey("b")] is b


def test_the_same_definition_twice_counts_once() -> None:
    assert set(collect_assets([a, a]).graph.nodes) == {AssetKey("a")}


def test_duplicate_keys() -> None:
    other_a = hw.asset(name="a")(lambda: 2)
    with pytest.raises(hw.InvalidDefinitionError, match=r"Duplicate asset key: AssetKey\(\['a'\]\)"):
        collect_assets([a, other_a])
    with pytest.raises(hw.InvalidDefinitionError, match=r"Duplicate asset key: AssetKey\(\['a'\]\)"):
        collect_assets([a, hw.AssetSpec("a")])


def test_unknown_upstream_data_input() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r'Input asset "\["a"\]" is not produced by any of the provided asset ops and is not one of the '
        "provided sources.",
    ):
        collect_assets([b])
    # An ordering-only dep on an unknown key is fine (it is treated as external).
    collect_assets([hw.asset(deps=["nowhere"], name="c")(lambda: 1)])


def test_cycles() -> None:
    @hw.asset
    def cyc1(cyc2: int) -> int:
        return 1

    @hw.asset
    def cyc2(cyc1: int) -> int:
        return 1

    with pytest.raises(hw.CircularDependencyError, match=r"cyc1 -> cyc2|cyc2 -> cyc1"):
        collect_assets([cyc1, cyc2])


def test_not_an_asset() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="Cannot use 5 \\(int\\) as an asset"):
        collect_assets([5])


def test_build_asset_job_layer() -> None:
    c = collect_assets([a, b, hw.AssetSpec("ext"), hw.asset(name="z", deps=["ext"])(lambda: 1)])
    job = build_asset_job("j", c, {AssetKey("b"), AssetKey("z")}, set())
    layer = job.asset_layer
    assert layer is not None
    assert set(layer.assets_defs_by_node) == {"b", "z"}
    assert layer.output_asset_keys == {("b", "result"): AssetKey("b"), ("z", "result"): AssetKey("z")}
    assert layer.used_io_manager_keys(job.spec) == {"io_manager"}
    node_b = next(n for n in job.spec.nodes if n.handle == "b")
    (inp,) = node_b.inputs
    assert inp.asset_key == AssetKey("a") and inp.kind.value == "unconnected"  # loaded, not computed


def test_two_definitions_with_one_node_name() -> None:
    x1 = hw.asset(key=["p", "x"])(lambda: 1)
    x2 = hw.multi_asset(outs={"q": hw.AssetOut()}, name="p__x")(lambda: 1)
    c = collect_assets([x1, x2])
    with pytest.raises(hw.InvalidDefinitionError, match="use the node name 'p__x'"):
        build_asset_job("j", c, set(c.graph.nodes), set())


# --- scale -------------------------------------------------------------------------------------------------
def _chain(n: int) -> list[Any]:
    out = [hw.asset(name="c0")(lambda: 1)]
    for i in range(1, n):
        out.append(hw.asset(name=f"c{i}", ins={"up": hw.AssetIn(f"c{i - 1}")})(lambda up: up))
    return out


def _fan(n: int) -> list[Any]:
    root = hw.asset(name="root")(lambda: 1)
    return [root] + [hw.asset(name=f"f{i}", ins={"up": hw.AssetIn("root")})(lambda up: up) for i in range(n)]


@pytest.mark.parametrize("shape", [_chain, _fan], ids=["chain", "fan"])
def test_5000_assets_build_and_plan_without_recursion(shape: Any) -> None:
    assets = shape(5000)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # any recursion over the graph would fail at this depth
    try:
        start = time.process_time()  # CPU time: other processes on the machine do not count
        defs = hw.Definitions(assets=assets)
        job = defs.get_implicit_global_asset_job_def()
        plan = build_plan(job.spec, None)
        elapsed = time.process_time() - start
    finally:
        sys.setrecursionlimit(limit)
    assert len(job.spec.nodes) == len(assets)
    assert plan is not None
    assert elapsed < 1.0, f"building and planning 5,000 assets took {elapsed:.2f}s"  # ~0.3 s measured
