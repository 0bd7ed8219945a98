"""The compact form of partition status: ranges of consecutive keys with one status."""

from __future__ import annotations

import random

from headwater.selection.partition_status import (
    MISSING,
    AssetPartitionStatus,
    PartitionStatusRange,
    decode_status_ranges,
    encode_status_ranges,
)

M, F, P = AssetPartitionStatus.MATERIALIZED, AssetPartitionStatus.FAILED, AssetPartitionStatus.IN_PROGRESS


def test_dagster_names_and_values() -> None:
    assert [(s.name, s.value) for s in AssetPartitionStatus] == [
        ("MATERIALIZED", "MATERIALIZED"),
        ("IN_PROGRESS", "IN_PROGRESS"),
        ("FAILED", "FAILED"),
    ]


def test_ranges_and_counts() -> None:
    keys = [f"k{i}" for i in range(10)]
    statuses = {"k0": M, "k1": M, "k2": F, "k5": P, "k6": M, "k7": M, "k8": M, "k9": M, "gone": M}
    out = encode_status_ranges(keys, statuses)
    assert out.ranges == (
        PartitionStatusRange("k0", "k1", 0, 1, "MATERIALIZED"),
        PartitionStatusRange("k2", "k2", 2, 2, "FAILED"),
        PartitionStatusRange("k3", "k4", 3, 4, MISSING),
        PartitionStatusRange("k5", "k5", 5, 5, "IN_PROGRESS"),
        PartitionStatusRange("k6", "k9", 6, 9, "MATERIALIZED"),
    )
    assert (out.total, out.materialized, out.failed, out.in_progress, out.missing) == (10, 6, 1, 1, 2)
    assert [r.count for r in out.ranges] == [2, 1, 2, 1, 4]


def test_empty_and_all_missing() -> None:
    assert encode_status_ranges([], {"a": M}).ranges == ()
    out = encode_status_ranges(["a", "b"], {})
    assert out.ranges == (PartitionStatusRange("a", "b", 0, 1, MISSING),) and out.missing == 2


def test_round_trip_at_100k_partitions_in_few_ranges() -> None:
    keys = [f"{i:06d}" for i in range(100_000)]
    statuses = {k: M for k in keys[:60_000]} | {k: F for k in keys[70_000:71_000]}
    statuses[keys[99_999]] = P
    out = encode_status_ranges(keys, statuses)
    assert len(out.ranges) == 5
    assert decode_status_ranges(out.ranges, keys) == statuses


def test_round_trip_random() -> None:
    rng = random.Random(7)
    keys = [str(i) for i in range(500)]
    statuses = {k: rng.choice([M, F, P]) for k in keys if rng.random() < 0.6}
    assert decode_status_ranges(encode_status_ranges(keys, statuses).ranges, keys) == statuses
