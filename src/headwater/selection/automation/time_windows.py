"""``in_latest_time_window``: the partitions of an asset in its latest time window.

Dagster's meaning: for partitions by time (or multi-partitions with a time dimension), the keys whose
window is the latest, or, with a lookback, whose window ends after ``latest end - lookback``; every
key of an asset not partitioned by time.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.core.partition_keys import MULTIPARTITION_KEY_DELIMITER
from headwater.selection.automation.subsets import EMPTY, Subset
from headwater.selection.partition_keys import TimeKeys, partition_keys_for
from headwater.specs.partitions import MultiPartitionsSpec, PartitionsSpec, TimeWindowPartitionsSpec


def _latest_time_keys(
    spec: TimeWindowPartitionsSpec, keys: Sequence[str], lookback: float | None
) -> list[str]:
    if not keys:
        return []
    if lookback is None or lookback <= 0:
        return [keys[-1]]
    compiled = partition_keys_for(spec)
    assert isinstance(compiled, TimeKeys)
    cutoff = compiled.time_window(keys[-1]).end.timestamp() - lookback
    out: list[str] = []
    for key in reversed(keys):
        if compiled.time_window(key).end.timestamp() <= cutoff:
            break
        out.append(key)
    return out


def latest_time_window_keys(
    spec: PartitionsSpec | None, keys: Sequence[str], lookback: float | None, now: float
) -> Subset:
    """The keys of ``keys`` (every key of ``spec`` at ``now``) in the latest time window."""
    if isinstance(spec, TimeWindowPartitionsSpec):
        return frozenset(_latest_time_keys(spec, keys, lookback))
    if isinstance(spec, MultiPartitionsSpec):
        for position, dim in enumerate(spec.dimensions):
            if isinstance(dim.partitions, TimeWindowPartitionsSpec):
                dim_keys = partition_keys_for(dim.partitions).keys(now)
                latest = set(_latest_time_keys(dim.partitions, dim_keys, lookback))
                if not latest:
                    return EMPTY
                return frozenset(
                    k for k in keys if str(k).split(MULTIPARTITION_KEY_DELIMITER)[position] in latest
                )
    return frozenset(keys)


__all__ = ["latest_time_window_keys"]
