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
    ) -> None:
        self.asset_key = asset_key
        self.check_key = check_key
        self.id = check_key.to_user_string() if check_key is not None else asset_key.to_user_string()
        self.spec = spec
        self.keys = keys
        self.all: Subset = frozenset(keys)
        self.deps = deps
        self.condition = condition
        self.node = node
        self._index: dict[str, int] | None = None

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


def asset_entity(node: AssetNodeSpec, now: float, dynamic: DynamicPartitionsStore | None) -> Entity:
    spec = node.partitions
    if spec is None:
        keys: Sequence[str] = (UNPARTITIONED,)
    else:
        try:
            keys = partition_keys_for(spec).keys(now, dynamic)
        except Exception as exc:
            raise ValueError(
                f"Cannot list the partitions of asset {node.key.to_user_string()!r} to evaluate its "
                f"automation condition: {exc}"
            ) from exc
    return Entity(node.key, None, spec, keys, node.deps, node.automation_condition, node)


def check_entity(check: AssetCheckNodeSpec, graph: AssetGraph) -> Entity:
    deps = [k for k in (check.key.asset_key, *check.additional_deps) if graph.has(k)]
    return Entity(
        check.key.asset_key, check.key, None, (UNPARTITIONED,), deps, check.automation_condition, None
    )


__all__ = ["Entity", "asset_entity", "check_entity"]
