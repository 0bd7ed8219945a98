"""The staleness resolver over hand-built versions: every cause, memoised propagation, partitions,
materializations recorded before versioning, and the 10,000-asset pass."""

from __future__ import annotations

import time

from headwater.core.asset_key import AssetKey
from headwater.core.asset_versions import AssetVersions, VersionRecord
from headwater.core.stale_status import StaleCause, StaleCauseCategory, StaleStatus
from headwater.selection.staleness import PartitionStaleness, resolve_staleness
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec
from headwater.specs.partitions import StaticPartitionsSpec

K = AssetKey.from_user_string
CODE, DATA, DEPS = StaleCauseCategory.CODE, StaleCauseCategory.DATA, StaleCauseCategory.DEPENDENCIES
FRESH, STALE, MISSING = StaleStatus.FRESH, StaleStatus.STALE, StaleStatus.MISSING


def node(key: str, *deps: str, **kw: object) -> AssetNodeSpec:
    return AssetNodeSpec(K(key), tuple(K(d) for d in deps), **kw)  # type: ignore[arg-type]


def mat(storage_id: int, version: str, code: str | None = "1", **inputs: str) -> AssetVersions:
    return AssetVersions(VersionRecord(storage_id, float(storage_id), version, code, False, inputs))


def chain() -> AssetGraph:
    return AssetGraph([node("a", code_version="1"), node("b", "a", code_version="1"), node("c", "b")])


def test_fresh_chain_then_code_change_makes_the_chain_stale() -> None:
    versions = {K("a"): mat(1, "va"), K("b"): mat(2, "vb", a="va"), K("c"): mat(3, "vc", "run", b="vb")}
    assert {k.to_user_string(): s.status for k, s in resolve_staleness(chain(), versions).items()} == {
        "a": FRESH, "b": FRESH, "c": FRESH,
    }  # fmt: skip
    changed = AssetGraph([node("a", code_version="2"), node("b", "a", code_version="1"), node("c", "b")])
    out = resolve_staleness(changed, versions)
    assert out[K("a")].causes == (StaleCause(K("a"), CODE, "has a new code version"),)
    assert out[K("b")].causes == (StaleCause(K("b"), DATA, "has stale dependency", K("a")),)
    assert out[K("c")].status is STALE
    assert [c.reason for c in out[K("c")].causes] == ["has stale dependency"]
    assert out[K("a")].data_version == "va"


def test_new_upstream_data_version_and_missing() -> None:
    versions = {K("a"): mat(4, "va2"), K("b"): mat(2, "vb", a="va"), K("c"): mat(3, "vc", "run", b="vb")}
    out = resolve_staleness(chain(), versions)
    assert out[K("a")].status is FRESH
    assert out[K("b")].causes == (StaleCause(K("b"), DATA, "has a new dependency data version", K("a")),)
    assert out[K("c")].causes == (StaleCause(K("c"), DATA, "has stale dependency", K("b")),)
    out = resolve_staleness(chain(), {K("a"): mat(1, "va")})
    assert out[K("b")].status is MISSING and out[K("c")].status is MISSING and out[K("b")].causes == ()
    # an upstream without a code version: "materialization", as Dagster words it
    graph = AssetGraph([node("a"), node("b", "a")])
    out = resolve_staleness(graph, {K("a"): mat(3, "va2", "r2"), K("b"): mat(2, "vb", "r1", a="va")})
    assert out[K("b")].causes[0].reason == "has a new dependency materialization"


def test_dependencies_added_and_removed() -> None:
    graph = AssetGraph([node("a"), node("x"), node("b", "x", code_version="1")])
    versions = {K("a"): mat(1, "va"), K("x"): mat(2, "vx"), K("b"): mat(3, "vb", a="va")}
    causes = resolve_staleness(graph, versions)[K("b")].causes
    assert causes == (
        StaleCause(K("b"), DEPS, "removed dependency on a", K("a")),
        StaleCause(K("b"), DEPS, "has a new dependency on x", K("x")),
    )


def test_source_asset_observations() -> None:
    graph = AssetGraph([node("src", is_materializable=False, is_observable=True), node("b", "src")])
    obs = VersionRecord(1, 1.0, "o1")
    versions = {K("src"): AssetVersions(None, obs), K("b"): mat(2, "vb", "r", src="o1")}
    out = resolve_staleness(graph, versions)
    assert out[K("src")].status is FRESH and out[K("src")].data_version == "o1"
    assert out[K("b")].status is FRESH
    versions[K("src")] = AssetVersions(None, VersionRecord(5, 5.0, "o2"))
    assert resolve_staleness(graph, versions)[K("b")].causes == (
        StaleCause(K("b"), DATA, "has a new dependency data version", K("src")),
    )
    assert resolve_staleness(graph, {})[K("src")].status is MISSING


def test_materializations_without_provenance_compare_event_order() -> None:
    graph = AssetGraph([node("a"), node("b", "a")])
    legacy = {
        K("a"): AssetVersions(VersionRecord(5, 5.0)),
        K("b"): AssetVersions(VersionRecord(3, 3.0)),
    }
    assert resolve_staleness(graph, legacy)[K("b")].causes == (
        StaleCause(K("b"), DATA, "has a new dependency materialization", K("a")),
    )
    legacy[K("b")] = AssetVersions(VersionRecord(6, 6.0))
    assert resolve_staleness(graph, legacy)[K("b")].status is FRESH


def test_partitions_follow_the_same_partition_of_their_parents() -> None:
    parts = StaticPartitionsSpec(("p", "q"))
    graph = AssetGraph(
        [node("a", code_version="1", partitions=parts), node("b", "a", "u", partitions=parts), node("u")]
    )
    by_partition = {
        K("a"): {"p": mat(5, "a-p2"), "q": mat(2, "a-q")},
        K("b"): {"p": mat(3, "b-p", "r", a="a-p", u="vu"), "q": mat(4, "b-q", "r", a="a-q", u="vu")},
    }
    assets = {K("u"): mat(1, "vu"), K("a"): mat(5, "a-p2"), K("b"): mat(4, "b-q")}
    asset_level = resolve_staleness(graph, assets)
    assert asset_level[K("a")].status is FRESH and asset_level[K("b")].status is FRESH
    resolver = PartitionStaleness(graph, asset_level, assets, lambda k: by_partition.get(k, {}))
    out = resolver.all(K("b"), ["p", "q"])
    assert out["p"].causes == (
        StaleCause(K("b"), DATA, "has a new dependency data version", K("a"), "p", "p"),
    )
    assert out["q"].status is FRESH
    assert resolver.get(K("a"), "r").status is MISSING
    # an unpartitioned parent with a new version makes every partition stale
    assets[K("u")] = mat(9, "vu2")
    resolver = PartitionStaleness(
        graph, resolve_staleness(graph, assets), assets, lambda k: by_partition.get(k, {})
    )
    assert [c.dependency for c in resolver.get(K("b"), "q").causes] == [K("u")]


def test_ten_thousand_assets_in_one_pass() -> None:
    """A layered graph of 10,000 assets (100 roots, each asset reading 3 of the layer above)."""
    width, depth = 100, 100
    nodes, versions = [], {}
    for layer in range(depth):
        for i in range(width):
            key = f"l{layer}/n{i}"
            deps = [f"l{layer - 1}/n{(i + j) % width}" for j in range(3)] if layer else []
            nodes.append(node(key, *deps, code_version="1"))
            versions[K(key)] = mat(layer * width + i + 1, f"v-{key}", **{d: f"v-{d}" for d in deps})
    graph = AssetGraph(nodes)
    versions[K("l0/n0")] = mat(10**6, "changed")
    started = time.perf_counter()
    out = resolve_staleness(graph, versions)
    elapsed = time.perf_counter() - started
    stale = {k for k, s in out.items() if s.status is STALE}
    assert K("l1/n0") in stale and K("l1/n99") in stale and K("l1/n1") not in stale
    assert K("l99/n50") in stale  # the change reaches every later layer through "has stale dependency"
    assert len(stale) == sum(min(width, 1 + 2 * layer) for layer in range(1, depth)), len(stale)
    assert elapsed < 3.0, f"resolving 10,000 assets took {elapsed:.3f}s"  # ~40 ms on an idle core
