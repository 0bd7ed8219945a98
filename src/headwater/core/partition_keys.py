"""Partition key values: ``MultiPartitionKey``, ``PartitionKeyRange``, ``TimeWindow`` and the run tags
that carry a partition (Dagster's names and string forms)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from headwater.errors import InvalidDefinitionError

#: Separator of the dimension keys in a multi-partition key.
MULTIPARTITION_KEY_DELIMITER = "|"
#: Run tag with the partition key a run targets.
PARTITION_NAME_TAG = "dagster/partition"
#: Prefix of the per-dimension tags of a multi-partitioned run (``dagster/partition/<dimension>``).
MULTIDIMENSIONAL_PARTITION_PREFIX = f"{PARTITION_NAME_TAG}/"
PARTITION_SET_TAG = "dagster/partition_set"
ASSET_PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


class PartitionKeyRange(NamedTuple):
    """A range of partition keys, inclusive at both ends, in the partitions definition's order."""

    start: str
    end: str


class TimeWindow(NamedTuple):
    """An interval closed at ``start`` and open at ``end`` (time-zone aware datetimes)."""

    start: datetime
    end: datetime


class PartitionDimensionKey(NamedTuple):
    """One dimension's key of a multi-partition key."""

    dimension_name: str
    partition_key: str


class MultiPartitionKey(str):
    """A key of a multi-partitions definition: a ``str`` (the dimension keys joined by ``|`` in
    dimension-name order, ``"2024-01-01|red"`` for ``{"date": ..., "color": ...}`` is ``"red|2024-01-01"``)
    that also knows its key per dimension."""

    dimension_keys: list[PartitionDimensionKey]

    def __new__(cls, keys_by_dimension: Mapping[str, str]) -> MultiPartitionKey:
        if not isinstance(keys_by_dimension, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in keys_by_dimension.items()
        ):
            raise InvalidDefinitionError(
                f"MultiPartitionKey takes a dict of dimension name -> partition key (str); got "
                f"{keys_by_dimension!r}."
            )
        dims = [PartitionDimensionKey(name, keys_by_dimension[name]) for name in sorted(keys_by_dimension)]
        key = super().__new__(cls, MULTIPARTITION_KEY_DELIMITER.join(d.partition_key for d in dims))
        key.dimension_keys = dims
        return key

    def __getnewargs__(self) -> tuple[dict[str, str]]:  # type: ignore[override]
        return (self.keys_by_dimension,)

    @property
    def keys_by_dimension(self) -> dict[str, str]:
        return {d.dimension_name: d.partition_key for d in self.dimension_keys}


def multi_partition_tags(key: MultiPartitionKey) -> dict[str, str]:
    """The ``dagster/partition/<dimension>`` tags of a multi-partition key."""
    return {
        f"{MULTIDIMENSIONAL_PARTITION_PREFIX}{d.dimension_name}": d.partition_key for d in key.dimension_keys
    }


__all__ = [
    "ASSET_PARTITION_RANGE_END_TAG",
    "ASSET_PARTITION_RANGE_START_TAG",
    "MULTIDIMENSIONAL_PARTITION_PREFIX",
    "MULTIPARTITION_KEY_DELIMITER",
    "PARTITION_NAME_TAG",
    "PARTITION_SET_TAG",
    "MultiPartitionKey",
    "PartitionDimensionKey",
    "PartitionKeyRange",
    "TimeWindow",
    "multi_partition_tags",
]
