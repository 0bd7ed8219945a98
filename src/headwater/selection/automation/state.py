"""The state an evaluation reads, per asset (or check): which partitions were ever materialized, are
in progress, failed last, and were updated since the previous evaluation.

The evaluation is pure over this: the storage layer builds it from the asset index and the partition
status index (``headwater.storage.automation_state``), tests may build it by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.selection.automation.subsets import EMPTY, Subset


@dataclass(frozen=True, slots=True)
class EntityState:
    """Partition keys (``""`` for an unpartitioned asset or a check) by what happened to them."""

    materialized: Subset = EMPTY
    in_progress: Subset = EMPTY
    failed: Subset = EMPTY
    updated: Subset = EMPTY  # materialized (or observed, or executed) after the previous evaluation


NO_STATE = EntityState()


class AutomationStateSource(Protocol):
    """Where an evaluation reads entity states from (read lazily: only entities it looks at)."""

    def asset_state(self, key: AssetKey, partition_keys: Sequence[str], observable: bool) -> EntityState: ...

    def check_state(self, key: AssetCheckKey) -> EntityState: ...


__all__ = ["NO_STATE", "AutomationStateSource", "EntityState"]
