"""One resolution of an asset selection against a spec-level asset graph.

A :class:`ResolveContext` computes graph-wide sets once (materializable keys, check keys, checks per
asset, execution sets) and memoizes each selection node's result, so a selection resolves as set
operations over the graph. Graph walks here are iterative: O(nodes + edges), no recursion per asset.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, AbstractSet  # noqa: UP035

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidSubsetError
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec

if TYPE_CHECKING:
    from headwater.selection.nodes import SelectionNode

# Error messages name at most this many unknown keys with suggestions, and this many suggestions each.
_MAX_SUGGESTED_KEYS = 4
_MAX_SUGGESTIONS = 5


class ResolveContext:
    """The graph being resolved against, graph-wide sets computed on first use, and a memo per node."""

    __slots__ = (
        "_check_keys",
        "_checks_by_asset",
        "_execution_sets",
        "_materializable",
        "_memo",
        "allow_missing",
        "graph",
    )

    def __init__(self, graph: AssetGraph, *, allow_missing: bool = False) -> None:
        self.graph = graph
        self.allow_missing = allow_missing
        self._materializable: frozenset[AssetKey] | None = None
        self._check_keys: frozenset[AssetCheckKey] | None = None
        self._checks_by_asset: dict[AssetKey, list[AssetCheckKey]] | None = None
        self._execution_sets: dict[str, list[AssetKey]] | None = None
        # Keyed by id(): nodes live in the selection tree for the whole resolution.
        self._memo: dict[int, AbstractSet[AssetKey]] = {}

    # -- memoized node results -------------------------------------------------------------------

    def keys_of(self, node: SelectionNode) -> AbstractSet[AssetKey]:
        """The asset keys ``node`` selects; computed once per node per resolution. Do not mutate."""
        found = self._memo.get(id(node))
        if found is None:
            found = node.compute_keys(self)
            self._memo[id(node)] = found
        return found

    # -- graph-wide sets -------------------------------------------------------------------------

    @property
    def materializable(self) -> frozenset[AssetKey]:
        if self._materializable is None:
            self._materializable = frozenset(k for k, n in self.graph.nodes.items() if n.is_materializable)
        return self._materializable

    def base_keys(self, include_sources: bool) -> AbstractSet[AssetKey]:
        """All keys, or only materializable ones: what a leaf selection filters from."""
        return self.graph.nodes.keys() if include_sources else self.materializable

    def base_nodes(self, include_sources: bool) -> Iterable[AssetNodeSpec]:
        nodes = self.graph.nodes.values()
        return nodes if include_sources else (n for n in nodes if n.is_materializable)

    @property
    def check_keys(self) -> frozenset[AssetCheckKey]:
        """Every check in the graph: the check specs plus the check keys listed on asset nodes."""
        if self._check_keys is None:
            keys = set(self.graph.checks)
            for node in self.graph.nodes.values():
                keys.update(node.check_keys)
            self._check_keys = frozenset(keys)
        return self._check_keys

    def checks_for(self, asset_keys: AbstractSet[AssetKey]) -> set[AssetCheckKey]:
        """The checks that target any of ``asset_keys``."""
        if self._checks_by_asset is None:
            by_asset: dict[AssetKey, list[AssetCheckKey]] = {}
            for check_key in self.check_keys:
                by_asset.setdefault(check_key.asset_key, []).append(check_key)
            self._checks_by_asset = by_asset
        by_asset = self._checks_by_asset
        result: set[AssetCheckKey] = set()
        if len(asset_keys) <= len(by_asset):
            for key in asset_keys:
                result.update(by_asset.get(key, ()))
        else:
            for key, checks in by_asset.items():
                if key in asset_keys:
                    result.update(checks)
        return result

    def execution_set(self, key: AssetKey) -> Iterable[AssetKey]:
        """Keys computed by the same node (op or graph) as ``key``; just ``key`` for plain assets.

        The spec has no ``can_subset`` flag yet, so every multi-asset is treated as not subsettable.
        """
        if self._execution_sets is None:
            sets: dict[str, list[AssetKey]] = {}
            for node in self.graph.nodes.values():
                if node.node_name is not None:
                    sets.setdefault(node.node_name, []).append(node.key)
            self._execution_sets = sets
        spec = self.graph.nodes.get(key)
        if spec is None or spec.node_name is None:
            return (key,)
        return self._execution_sets[spec.node_name]

    # -- walks -----------------------------------------------------------------------------------

    def strict_reach(self, starts: Iterable[AssetKey], *, upstream: bool) -> set[AssetKey]:
        """Keys reachable from ``starts`` by one or more edges (self-edges ignored), iteratively.

        A start key is in the result only if another start key (or a cycle) reaches it.
        """
        step = self.graph.parents if upstream else self.graph.children
        reached: set[AssetKey] = set()
        stack = list(starts)
        while stack:
            key = stack.pop()
            for other in step(key):
                if other != key and other not in reached:
                    reached.add(other)
                    stack.append(other)
        return reached

    # -- errors ----------------------------------------------------------------------------------

    def missing_keys_error(self, missing: AbstractSet[AssetKey]) -> InvalidSubsetError:
        names = sorted(k.to_user_string() for k in missing)
        candidates = [k.to_user_string() for k in self.graph.nodes]
        return InvalidSubsetError(
            f"AssetKey(s) {names} were selected, but no asset definitions supply these keys. Make sure "
            "all keys are spelled correctly, and all assets are added to the `Definitions`."
            + _suggestions("asset", names, candidates)
        )

    def missing_checks_error(self, missing: AbstractSet[AssetCheckKey]) -> InvalidSubsetError:
        names = sorted(k.to_user_string() for k in missing)
        candidates = [k.to_user_string() for k in self.check_keys]
        return InvalidSubsetError(
            f"AssetCheckKey(s) {names} were selected, but no definitions supply these keys. Make sure "
            "all keys are spelled correctly, and all asset checks are added to the `Definitions`."
            + _suggestions("asset check", names, candidates, ":")
        )


def similar_names(name: str, candidates: Iterable[str], separator: str = "/") -> list[str]:
    """Close spellings of ``name`` (difflib), then names that end with the same last part."""
    pool = list(candidates)
    found = difflib.get_close_matches(name, pool, n=_MAX_SUGGESTIONS, cutoff=0.6)
    last = name.rsplit(separator, 1)[-1]
    for other in pool:
        if other != name and other not in found and other.rsplit(separator, 1)[-1] == last:
            found.append(other)
    return found[:_MAX_SUGGESTIONS]


def _suggestions(what: str, names: list[str], candidates: list[str], separator: str = "/") -> str:
    text = ""
    for name in names[:_MAX_SUGGESTED_KEYS]:
        similar = similar_names(name, candidates, separator)
        if similar:
            options = ", ".join(repr(s) for s in similar)
            one_of = "one of " if len(similar) > 1 else ""
            text += f"\n\nFor selected {what} {name!r}, did you mean {one_of}{options}?"
    return text
