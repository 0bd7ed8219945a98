"""An asset's partition status in its compact form: the one implementation behind
``Instance.get_partition_status_ranges``, the webserver's ``partitionStats`` and
``partitionStatusRanges``, and ``headwater backfill``.

The storage gives the status of the partitions that have one (``EventStore.get_status_by_partition``,
from the status index), the partitions spec gives every key in order (``selection.partition_keys``),
and ``selection.partition_status`` joins them into ranges.
"""

from __future__ import annotations

from headwater.core.asset_key import AssetKey
from headwater.selection.partition_keys import partition_keys_for
from headwater.selection.partition_status import PartitionStatusRanges, encode_status_ranges
from headwater.specs.partitions import PartitionsSpec
from headwater.storage.protocols import EventStore


def partition_status_ranges(
    store: EventStore, asset_key: AssetKey, spec: PartitionsSpec, now: float | None = None
) -> PartitionStatusRanges:
    """Every partition of ``asset_key`` (partitioned by ``spec``) as ranges of one status each."""
    keys = partition_keys_for(spec).keys(now, store)
    return encode_status_ranges(keys, store.get_status_by_partition(asset_key))


__all__ = ["partition_status_ranges"]
