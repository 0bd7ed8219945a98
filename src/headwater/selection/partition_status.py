"""The status of an asset's partitions, and its compact form: ranges of consecutive keys.

``AssetPartitionStatus`` has Dagster's names and values (``dagster._core.storage.partition_status_cache``):
a partition is MATERIALIZED, IN_PROGRESS or FAILED, and missing when it has none of these (``None``).

``encode_status_ranges(keys, statuses)`` walks the keys in the definition's order once and joins
consecutive keys of one status into a ``PartitionStatusRange`` (start and end key, their indexes,
how many). 100,000 hourly partitions materialized in a few stretches travel as a handful of ranges;
``decode_status_ranges`` gives the statuses back from the ranges and the keys.

Pure: the storage reads the statuses (``EventStore.get_status_by_partition``), the partitions spec
gives the keys (``selection.partition_keys``), and this module joins them, for the instance, the
webserver and the CLI alike.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence

import msgspec


class AssetPartitionStatus(enum.Enum):
    """The status of an asset partition (Dagster's enum; a missing partition has none)."""

    MATERIALIZED = "MATERIALIZED"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"


#: The status of a range of partitions that have none of the above.
MISSING = "MISSING"


class PartitionStatusRange(msgspec.Struct, frozen=True, gc=False):
    """Keys ``start_key`` .. ``end_key`` (indexes ``start`` .. ``end``, inclusive, in the definition's
    order) all have ``status``: an ``AssetPartitionStatus`` value or ``"MISSING"``."""

    start_key: str
    end_key: str
    start: int
    end: int
    status: str

    @property
    def count(self) -> int:
        return self.end - self.start + 1


class PartitionStatusRanges(msgspec.Struct, frozen=True, gc=False):
    """Every partition of an asset as ranges of one status, with the count of each status."""

    ranges: tuple[PartitionStatusRange, ...]
    total: int
    materialized: int
    failed: int
    in_progress: int

    @property
    def missing(self) -> int:
        return self.total - self.materialized - self.failed - self.in_progress


def encode_status_ranges(
    keys: Sequence[str], statuses: Mapping[str, AssetPartitionStatus]
) -> PartitionStatusRanges:
    """Ranges of consecutive ``keys`` with one status each (statuses of keys not in ``keys`` are left
    out: a stored partition the definition no longer has)."""
    ranges: list[PartitionStatusRange] = []
    counts = dict.fromkeys(AssetPartitionStatus, 0)
    if not keys:
        return PartitionStatusRanges((), 0, 0, 0, 0)
    get = statuses.get
    if not statuses:
        ranges.append(PartitionStatusRange(keys[0], keys[-1], 0, len(keys) - 1, MISSING))
        return PartitionStatusRanges(tuple(ranges), len(keys), 0, 0, 0)
    start = 0
    current = get(keys[0])
    for i, key in enumerate(keys):
        status = get(key)
        if status is not current:
            _close(ranges, counts, keys, start, i - 1, current)
            start, current = i, status
    _close(ranges, counts, keys, start, len(keys) - 1, current)
    return PartitionStatusRanges(
        tuple(ranges),
        len(keys),
        counts[AssetPartitionStatus.MATERIALIZED],
        counts[AssetPartitionStatus.FAILED],
        counts[AssetPartitionStatus.IN_PROGRESS],
    )


def _close(
    ranges: list[PartitionStatusRange],
    counts: dict[AssetPartitionStatus, int],
    keys: Sequence[str],
    start: int,
    end: int,
    status: AssetPartitionStatus | None,
) -> None:
    if status is not None:
        counts[status] += end - start + 1
    name = status.value if status is not None else MISSING
    ranges.append(PartitionStatusRange(keys[start], keys[end], start, end, name))


def decode_status_ranges(
    ranges: Sequence[PartitionStatusRange], keys: Sequence[str]
) -> dict[str, AssetPartitionStatus]:
    """The status of each key that has one, from ranges over ``keys`` (the inverse of encoding)."""
    out: dict[str, AssetPartitionStatus] = {}
    for r in ranges:
        if r.status == MISSING:
            continue
        status = AssetPartitionStatus(r.status)
        for key in keys[r.start : r.end + 1]:
            out[key] = status
    return out


__all__ = [
    "MISSING",
    "AssetPartitionStatus",
    "PartitionStatusRange",
    "PartitionStatusRanges",
    "decode_status_ranges",
    "encode_status_ranges",
]
