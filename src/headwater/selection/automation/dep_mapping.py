"""From a dependency's true partitions to the partitions of the asset that depends on it.

A partition of the child is matched when any partition of the parent it reads (its partition
mapping: declared, else Dagster's default) is in the parent's subset. The common mappings are set
operations over the whole asset (identity and same-spec time windows: an intersection; all, last,
and unpartitioned parents: all or nothing); the others ask ``upstream_partition_keys`` per child key.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.selection.automation.subsets import EMPTY, UNPARTITIONED, Subset
from headwater.selection.partition_keys import DynamicPartitionsStore
from headwater.selection.partition_mapping import infer_partition_mapping, upstream_partition_keys
from headwater.specs.partition_mappings import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    LastPartitionMapping,
    PartitionMappingSpec,
    TimeWindowPartitionMapping,
)
from headwater.specs.partitions import PartitionsSpec


def map_to_child(
    parent_true: Subset,
    parent_spec: PartitionsSpec | None,
    parent_keys: Sequence[str],
    child_spec: PartitionsSpec | None,
    child_candidates: Subset,
    declared: PartitionMappingSpec | None,
    now: float,
    dynamic: DynamicPartitionsStore | None,
) -> Subset:
    """The keys of ``child_candidates`` that read a key of ``parent_true``."""
    if not parent_true or not child_candidates:
        return EMPTY
    if parent_spec is None or child_spec is None:
        # An unpartitioned side: every child partition reads the whole parent (Dagster's default).
        if parent_spec is None:
            return child_candidates if UNPARTITIONED in parent_true else EMPTY
        return child_candidates  # an unpartitioned child reads every parent partition
    mapping = infer_partition_mapping(declared, child_spec, parent_spec)
    if isinstance(mapping, AllPartitionMapping):
        return child_candidates
    if isinstance(mapping, LastPartitionMapping):
        return child_candidates if parent_keys and parent_keys[-1] in parent_true else EMPTY
    same = parent_spec == child_spec
    if isinstance(mapping, IdentityPartitionMapping) or (
        same
        and isinstance(mapping, TimeWindowPartitionMapping)
        and mapping.start_offset == 0
        and mapping.end_offset == 0
    ):
        return child_candidates & parent_true
    out = [
        key
        for key in child_candidates
        if not parent_true.isdisjoint(
            upstream_partition_keys(mapping, child_spec, [key], parent_spec, now, dynamic).keys
        )
    ]
    return frozenset(out)


__all__ = ["map_to_child"]
