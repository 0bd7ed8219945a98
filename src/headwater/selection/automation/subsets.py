"""Sets of partition keys of one asset, and their compact stored form: ranges of consecutive keys.

During an evaluation a subset is a ``frozenset[str]`` of partition keys (an unpartitioned asset or a
check has the one key ``""``), so the operators are C-speed set operations over a whole asset at once.
Stored (in the cursor and the evaluation records) a subset is a ``KeyRanges``: how many keys, and the
runs of consecutive keys in the partitions' order — a year of daily partitions materialized in one
stretch is one range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

#: The key of an unpartitioned asset (or a check) in a subset.
UNPARTITIONED = ""

Subset = frozenset[str]
EMPTY: Subset = frozenset()


class KeyRanges(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """``count`` keys as inclusive ranges ``(first, last)`` of consecutive keys in the partitions' order."""

    count: int = 0
    ranges: tuple[tuple[str, str], ...] = ()

    def keys(self, ordered: Sequence[str], index: Mapping[str, int]) -> Subset:
        """The keys back, given the partitions' keys in order and their positions (ranges whose ends no
        longer exist are dropped)."""
        if not self.ranges:
            return EMPTY
        if len(self.ranges) == 1 and self.count == len(ordered):
            first, last = self.ranges[0]
            if ordered and ordered[0] == first and ordered[-1] == last:
                return frozenset(ordered)
        out: set[str] = set()
        for first, last in self.ranges:
            i, j = index.get(first), index.get(last)
            if i is None or j is None:
                continue
            out.update(ordered[i : j + 1])
        return frozenset(out)


NO_KEYS = KeyRanges()


def to_ranges(subset: Subset, ordered: Sequence[str], index: Mapping[str, int]) -> KeyRanges:
    """``subset`` (keys of ``ordered``) as ranges of consecutive keys."""
    n = len(subset)
    if n == 0:
        return NO_KEYS
    # str(): a multi-partition key is a str subclass; stored ranges hold plain strings.
    if n == len(ordered):
        return KeyRanges(n, ((str(ordered[0]), str(ordered[-1])),))
    if n == 1:
        (key,) = subset
        return KeyRanges(1, ((str(key), str(key)),))
    positions = sorted(index[k] for k in subset if k in index)
    ranges: list[tuple[str, str]] = []
    start = prev = positions[0]
    for p in positions[1:]:
        if p != prev + 1:
            ranges.append((str(ordered[start]), str(ordered[prev])))
            start = p
        prev = p
    ranges.append((str(ordered[start]), str(ordered[prev])))
    return KeyRanges(len(positions), tuple(ranges))


__all__ = ["EMPTY", "NO_KEYS", "UNPARTITIONED", "KeyRanges", "Subset", "to_ranges"]
