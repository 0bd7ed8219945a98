"""The hand-built asset graph both selection test modules resolve against (answers recorded from
Dagster 1.13 on the same graph)."""

from __future__ import annotations

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.specs.asset_graph import AssetCheckNodeSpec, AssetGraph, AssetNodeSpec

K = AssetKey.from_user_string


def _node(key: str, deps: tuple[str, ...] = (), **kw: object) -> AssetNodeSpec:
    kw.setdefault("node_name", key.replace("/", "__"))
    return AssetNodeSpec(key=K(key), deps=tuple(K(d) for d in deps), **kw)  # type: ignore[arg-type]


def build_graph() -> AssetGraph:
    """src (external) -> a -> b -> c -> p/x -> p/y/z;  a -> d -> p/y/z;  e -> m1, m2 (one multi-asset)."""
    nodes = [
        _node(
            "src",
            group_name="raw",
            tags={"tier": "gold"},
            owners=("team:data",),
            kinds=frozenset({"s3"}),
            is_materializable=False,
            node_name=None,
        ),
        _node(
            "a",
            ("src",),
            group_name="g1",
            tags={"tier": "gold", "pii": ""},
            owners=("alice@x.com",),
            kinds=frozenset({"python"}),
        ),
        _node("b", ("a",), group_name="g1", kinds=frozenset({"python", "snowflake"})),
        _node("c", ("b",), group_name="g2", tags={"tier": "silver"}, owners=("team:data",)),
        _node("d", ("a",), group_name="g2"),
        _node("e", group_name="g3"),
        _node("p/x", ("c",), group_name="g3"),
        _node("p/y/z", ("p/x", "d"), group_name="g3"),
        _node("m1", ("e",), group_name="g3", node_name="m"),
        _node("m2", ("e",), group_name="g3", node_name="m"),
    ]
    checks = [("a", "a_ok"), ("a", "a_fresh"), ("c", "c_ok"), ("src", "src_ok")]
    return AssetGraph(nodes, [AssetCheckNodeSpec(AssetCheckKey(K(a), name)) for a, name in checks])
