"""What an evaluation knows of one asset or check: its partition keys (in order, as a set, by
position), its dependencies, and its condition."""

from __future__ import annotations

from collections.abc import Sequence

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.selection.automation.subsets import UNPARTITIONED, Subset
from headwater.selection.partition_keys import DynamicPartitionsStore, partition_keys_for
from headwater.specs.asset_graph import AssetCheckNodeSpec, AssetGraph, AssetNodeSpec
from headwater.specs.automation_condition import AnyAutomationCondition
from headwater.specs.partition_mappings import PartitionMappingSpec
from headwater.specs.partitions import PartitionsSpec


class Entity:
    """An asset (``check_key`` None) or an asset check, as the evaluation sees it."""

    __slots__ = ("_index", "all", "asset_key", "check_key", "condition", "deps", "id", "keys", "node", "spec")

    def __init__(
        self,
        asset_key: AssetKey,
        check_key: AssetCheckKey | None,
        spec: PartitionsSpec | None,
        keys: Sequence[str],
        deps: Sequence[AssetKey],
        condition: AnyAutomationCondition | None,
        node: AssetNodeSpec | None,
        shared: tuple[frozenset[str], dict[str, int]] | None = None,
    ) -> None:
        self.asset_key = asset_key
        self.check_key = check_key
        self.id = check_key.to_user_string() if check_key is not None else asset_key.to_user_string()
        self.spec = spec
        self.keys = keys
        self.deps = deps
        self.condition = condition
        self.node = node
        self.all: Subset
        self._index: dict[str, int] | None
        if shared is not None:  # the keys of another asset with the same partitions
            self.all, self._index = shared
        else:
            self.all, self._index = frozenset(keys), None

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self.keys)}
        return self._index

    @property
    def partitioned(self) -> bool:
        return self.spec is not None

    def mapping_for(self, dep: AssetKey) -> PartitionMappingSpec | None:
        return self.node.partition_mapping_for(dep) if self.node is not None else None


class KeysCache:
    """The keys of each partitions spec, listed once per evaluation and shared by the assets
    partitioned alike (a thousand daily assets hold one list, one set and one index)."""

    def __init__(self, now: float, dynamic: DynamicPartitionsStore | None) -> None:
        self.now = now
        self.dynamic = dynamic
        self._by_spec: dict[PartitionsSpec, Entity] = {}

    def entity(self, node: AssetNodeSpec) -> Entity:
        spec = node.partitions
        if spec is None:
            return Entity(node.key, None, None, (UNPARTITIONED,), node.deps, node.automation_condition, node)
        first = self._by_spec.get(spec)
        if first is not None:
            shared = (first.all, first.index)
            return Entity(
                node.key, None, spec, first.keys, node.deps, node.automation_condition, node, shared
            )
        try:
            keys = partition_keys_for(spec).keys(self.now, self.dynamic)
        except Exception as exc:
            raise ValueError(
                f"Cannot list the partitions of asset {node.key.to_user_string()!r} to evaluate its "
                f"automation condition: {exc}"
            ) from exc
        entity = Entity(node.key, None, spec, keys, node.deps, node.automation_condition, node)
        self._by_spec[spec] = entity
        return entity


def check_entity(check: AssetCheckNodeSpec, graph: AssetGraph) -> Entity:
    deps = [k for k in (check.key.asset_key, *check.additional_deps) if graph.has(k)]
    return Entity(
        check.key.asset_key, check.key, None, (UNPARTITIONED,), deps, check.automation_condition, None
    )


__all__ = ["Entity", "KeysCache", "check_entity"]
