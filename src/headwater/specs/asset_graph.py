"""The asset graph as specs: one node per asset key, adjacency built once.

Selection, planning and the servers work on this shape; it never holds user code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.metadata import AnyMetadataValue
from headwater.errors import InvalidDefinitionError
from headwater.specs.automation_condition import AnyAutomationCondition
from headwater.specs.backfill_policy import BackfillPolicy
from headwater.specs.freshness import AnyFreshnessPolicy, LegacyFreshnessPolicy
from headwater.specs.job import NO_NAMES
from headwater.specs.partition_mappings import DepPartitionMapping, PartitionMappingSpec
from headwater.specs.partitions import PartitionsSpec
from headwater.specs.toposort import toposort


class AssetNodeSpec(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """What the orchestrator knows of one asset without its code."""

    key: AssetKey
    deps: tuple[AssetKey, ...] = ()
    group_name: str = "default"
    tags: dict[str, str] = {}
    owners: tuple[str, ...] = ()
    kinds: frozenset[str] = NO_NAMES
    description: str | None = None
    code_version: str | None = None
    is_materializable: bool = True
    is_observable: bool = False
    check_keys: tuple[AssetCheckKey, ...] = ()
    # Name of the node (op or graph) that computes this asset; None for external assets.
    node_name: str | None = None
    # How the asset is partitioned (None: it is not); see specs.partitions.
    partitions: PartitionsSpec | None = None
    # The partition mappings declared for upstream assets (the others are inferred: see
    # selection.partition_mapping.infer_partition_mapping).
    partition_mappings: tuple[DepPartitionMapping, ...] = ()
    # How many partitions one backfill run may cover (None: the asset declares no policy).
    backfill_policy: BackfillPolicy | None = None
    # The asset's definition metadata.
    metadata: dict[str, AnyMetadataValue] = {}
    # How fresh the asset must be (``FreshnessPolicy``; see specs.freshness), and Dagster's older policy.
    freshness_policy: AnyFreshnessPolicy | None = None
    legacy_freshness_policy: LegacyFreshnessPolicy | None = None
    # When the daemon requests it (declarative automation; None: never).
    automation_condition: AnyAutomationCondition | None = None
    # An observable source asset's auto-observe interval: the daemon observes it that often.
    auto_observe_interval_minutes: float | None = None

    def __post_init__(self) -> None:
        if not self.kinds and self.kinds is not NO_NAMES:
            msgspec.structs.force_setattr(self, "kinds", NO_NAMES)  # left out of the JSON

    @property
    def partitioned(self) -> bool:
        return self.partitions is not None

    def partition_mapping_for(self, upstream: AssetKey) -> PartitionMappingSpec | None:
        """The mapping declared for ``upstream`` (None: none declared)."""
        for dep in self.partition_mappings:
            if dep.upstream == upstream:
                return dep.mapping
        return None


class AssetCheckNodeSpec(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    key: AssetCheckKey
    blocking: bool = False
    description: str | None = None
    additional_deps: tuple[AssetKey, ...] = ()
    node_name: str | None = None
    # When the daemon requests it (declarative automation; None: never).
    automation_condition: AnyAutomationCondition | None = None


class AssetGraph:
    """All assets of a location with parents and children; built in O(nodes + edges)."""

    __slots__ = ("_children", "_order", "checks", "nodes")

    def __init__(self, nodes: Iterable[AssetNodeSpec], checks: Iterable[AssetCheckNodeSpec] = ()) -> None:
        self.nodes: dict[AssetKey, AssetNodeSpec] = {}
        for node in nodes:
            self.nodes[node.key] = node
        self.checks: dict[AssetCheckKey, AssetCheckNodeSpec] = {c.key: c for c in checks}
        children: dict[AssetKey, list[AssetKey]] = {k: [] for k in self.nodes}
        for node in self.nodes.values():
            for dep in node.deps:
                children.setdefault(dep, []).append(node.key)
        self._children = children
        self._order: list[AssetKey] | None = None

    @property
    def all_asset_keys(self) -> frozenset[AssetKey]:
        return frozenset(self.nodes)

    @property
    def materializable_asset_keys(self) -> frozenset[AssetKey]:
        return frozenset(k for k, n in self.nodes.items() if n.is_materializable)

    def has(self, key: AssetKey) -> bool:
        return key in self.nodes

    def get(self, key: AssetKey) -> AssetNodeSpec:
        try:
            return self.nodes[key]
        except KeyError:
            raise InvalidDefinitionError(
                f"No asset with key {key.to_user_string()!r} in this asset graph."
            ) from None

    def parents(self, key: AssetKey) -> tuple[AssetKey, ...]:
        node = self.nodes.get(key)
        return node.deps if node is not None else ()

    def children(self, key: AssetKey) -> list[AssetKey]:
        return self._children.get(key, [])

    def toposorted(self) -> list[AssetKey]:
        """Keys with every parent before its children (Kahn's algorithm, no recursion)."""
        if self._order is None:
            nodes = self.nodes
            self._order = toposort(
                nodes, lambda k: [d for d in nodes[k].deps if d in nodes], describe=AssetKey.to_user_string
            )
        return self._order

    def upstream(
        self, keys: Iterable[AssetKey], depth: int | None = None, *, include_self: bool = True
    ) -> set[AssetKey]:
        return self._walk(keys, self.parents, depth, include_self)

    def downstream(
        self, keys: Iterable[AssetKey], depth: int | None = None, *, include_self: bool = True
    ) -> set[AssetKey]:
        return self._walk(keys, self.children, depth, include_self)

    @staticmethod
    def _walk(
        keys: Iterable[AssetKey],
        step: Callable[[AssetKey], Iterable[AssetKey]],
        depth: int | None,
        include_self: bool,
    ) -> set[AssetKey]:
        """Breadth-first over ``step`` up to ``depth`` levels (all when None); no recursion."""
        start = set(keys)
        seen: set[AssetKey] = set(start) if include_self else set()
        visited = set(start)
        frontier = list(start)
        level = 0
        while frontier and (depth is None or level < depth):
            new: list[AssetKey] = []
            for key in frontier:
                for other in step(key):
                    if other not in visited:
                        visited.add(other)
                        seen.add(other)
                        new.append(other)
            frontier = new
            level += 1
        return seen
