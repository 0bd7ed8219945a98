"""Evaluating partition mappings over specs: which upstream partition keys a set of downstream keys
reads, which of those do not exist, and whether a mapping fits two partitions specs at all.

Pure (specs in, keys out), so a run, the webserver and the daemon compute the same thing. The
semantics are Dagster's; the differences are listed in docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from headwater.core.partition_keys import MultiPartitionKey
from headwater.selection.partition_keys import DynamicPartitionsStore, MultiKeys, TimeKeys, partition_keys_for
from headwater.specs.partition_mappings import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    LastPartitionMapping,
    MultiPartitionMapping,
    MultiToSingleDimensionPartitionMapping,
    PartitionMappingSpec,
    SpecificPartitionsPartitionMapping,
    StaticPartitionMapping,
    TimeWindowPartitionMapping,
)
from headwater.specs.partitions import (
    MultiPartitionsSpec,
    PartitionsSpec,
    StaticPartitionsSpec,
    TimeWindowPartitionsSpec,
)


class UpstreamKeys(NamedTuple):
    """Mapped upstream keys (in the upstream's order) and those required that do not exist."""

    keys: list[str]
    missing: list[str]


def infer_partition_mapping(
    mapping: PartitionMappingSpec | None, downstream: PartitionsSpec | None, upstream: PartitionsSpec | None
) -> PartitionMappingSpec:
    """The mapping in force: the given one, else Dagster's default for the two specs."""
    if mapping is not None:
        return mapping
    if upstream is None or downstream is None:
        return AllPartitionMapping()
    if _single_to_multi_dimension(upstream, downstream, None)[0] is not None:
        return MultiToSingleDimensionPartitionMapping()
    if isinstance(upstream, TimeWindowPartitionsSpec) and isinstance(downstream, TimeWindowPartitionsSpec):
        return TimeWindowPartitionMapping()
    return IdentityPartitionMapping()


def mapping_problem(
    mapping: PartitionMappingSpec, upstream: PartitionsSpec, downstream: PartitionsSpec | None
) -> str | None:
    """Why ``mapping`` cannot map ``downstream`` partitions to ``upstream`` ones (None when it can)."""
    if isinstance(mapping, (AllPartitionMapping, LastPartitionMapping, SpecificPartitionsPartitionMapping)):
        return None
    if downstream is None:
        return f"{type(mapping).__name__} needs a partitioned downstream asset"
    if isinstance(mapping, IdentityPartitionMapping):
        if type(upstream) is not type(downstream):
            return (
                "upstream and downstream partitions are of different kinds; the identity mapping needs "
                "both of the same kind"
            )
        return None
    if isinstance(mapping, TimeWindowPartitionMapping):
        if not isinstance(upstream, TimeWindowPartitionsSpec) or not isinstance(
            downstream, TimeWindowPartitionsSpec
        ):
            return "TimeWindowPartitionMapping needs time window partitions on both sides"
        if upstream.timezone != downstream.timezone:
            return f"Timezones {upstream.timezone} and {downstream.timezone} don't match"
        return None
    if isinstance(mapping, StaticPartitionMapping):
        if not isinstance(upstream, StaticPartitionsSpec) or not isinstance(downstream, StaticPartitionsSpec):
            return "StaticPartitionMapping needs static partitions on both sides"
        table = mapping.downstream_partition_keys_by_upstream_partition_key
        extra = sorted(set(table) - set(upstream.partition_keys))
        if extra:
            return f"mapping source partitions not in the upstream partitions definition: {extra}"
        targets = {k for up in table for k in mapping.downstream_keys(up)}
        extra = sorted(targets - set(downstream.partition_keys))
        if extra:
            return f"mapping target partitions not in the downstream partitions definition: {extra}"
        return None
    if isinstance(mapping, MultiToSingleDimensionPartitionMapping):
        return _single_to_multi_dimension(upstream, downstream, mapping.partition_dimension_name)[1]
    if isinstance(mapping, MultiPartitionMapping):
        if not isinstance(upstream, MultiPartitionsSpec) or not isinstance(downstream, MultiPartitionsSpec):
            return "Both partitions defs provided to a MultiPartitionMapping must be multi-partitioned"
        ups = {d.name: d.partitions for d in upstream.dimensions}
        downs = {d.name: d.partitions for d in downstream.dimensions}
        for up_dim, dim_mapping in mapping.downstream_mappings_by_upstream_dimension.items():
            if up_dim not in ups:
                return f"upstream dimension {up_dim!r} is not one of {sorted(ups)}"
            if dim_mapping.dimension_name not in downs:
                return f"downstream dimension {dim_mapping.dimension_name!r} is not one of {sorted(downs)}"
            inner = mapping_problem(
                dim_mapping.partition_mapping, ups[up_dim], downs[dim_mapping.dimension_name]
            )
            if inner is not None:
                return f"dimension {up_dim!r}: {inner}"
        return None
    return f"unknown partition mapping {mapping!r}"


def _single_to_multi_dimension(
    upstream: PartitionsSpec, downstream: PartitionsSpec, name: str | None
) -> tuple[tuple[str, PartitionMappingSpec] | None, str | None]:
    """(the multi side's dimension and the mapping to use for it, None) or (None, why not)."""
    multis = [s for s in (upstream, downstream) if isinstance(s, MultiPartitionsSpec)]
    if len(multis) != 1:
        return None, (
            "MultiToSingleDimensionPartitionMapping needs exactly one of the two assets multi-partitioned; "
            f"got {len(multis)}"
        )
    multi = multis[0]
    single = downstream if multi is upstream else upstream
    assert isinstance(multi, MultiPartitionsSpec)
    dims = [d for d in multi.dimensions if name is None or d.name == name]
    if name is not None and not dims:
        return None, f"dimension {name!r} is not one of {[d.name for d in multi.dimensions]}"
    same = [d for d in dims if d.partitions == single]
    if len(same) == 1:
        return (same[0].name, IdentityPartitionMapping()), None
    if len(same) > 1:
        return None, "partition dimension name must be given when several dimensions match"
    times = [d for d in dims if isinstance(d.partitions, TimeWindowPartitionsSpec)]
    if len(times) == 1 and isinstance(single, TimeWindowPartitionsSpec):
        return (times[0].name, TimeWindowPartitionMapping()), None
    return None, (
        "the single-dimension partitions are neither one of the multi-partitions' dimensions nor time "
        "windows matching its one time dimension"
    )


def upstream_partition_keys(
    mapping: PartitionMappingSpec | None,
    downstream: PartitionsSpec | None,
    downstream_keys: Sequence[str] | None,
    upstream: PartitionsSpec,
    now: float | None = None,
    dynamic: DynamicPartitionsStore | None = None,
) -> UpstreamKeys:
    """The upstream keys that ``downstream_keys`` (None: the downstream is not partitioned) read."""
    mapping = infer_partition_mapping(mapping, downstream, upstream)
    up = partition_keys_for(upstream)
    if isinstance(mapping, AllPartitionMapping):
        return UpstreamKeys(up.keys(now, dynamic), [])
    if isinstance(mapping, LastPartitionMapping):
        keys = up.keys(now, dynamic)
        return UpstreamKeys(keys[-1:], [])
    if isinstance(mapping, SpecificPartitionsPartitionMapping):
        return UpstreamKeys(list(mapping.partition_keys), [])
    if downstream is None or downstream_keys is None:
        return UpstreamKeys(up.keys(now, dynamic), [])
    if isinstance(mapping, IdentityPartitionMapping):
        found = [k for k in downstream_keys if up.has_key(k, now, dynamic)]
        return UpstreamKeys(found, [k for k in downstream_keys if k not in set(found)])
    if isinstance(mapping, TimeWindowPartitionMapping):
        assert isinstance(upstream, TimeWindowPartitionsSpec) and isinstance(
            downstream, TimeWindowPartitionsSpec
        )
        return _time_window(mapping, downstream, downstream_keys, upstream, now)
    if isinstance(mapping, StaticPartitionMapping):
        wanted = set(downstream_keys)
        keys = [k for k in up.keys(now, dynamic) if wanted & set(mapping.downstream_keys(k))]
        return UpstreamKeys(keys, [])
    if isinstance(mapping, MultiToSingleDimensionPartitionMapping):
        return _multi_to_single(mapping, downstream, downstream_keys, upstream, now, dynamic)
    assert isinstance(mapping, MultiPartitionMapping)
    return _multi_to_multi(mapping, downstream, downstream_keys, upstream, now, dynamic)


def _ordered(keys: set[str], all_keys: Sequence[str]) -> list[str]:
    return [k for k in all_keys if k in keys]


def _time_window(
    mapping: TimeWindowPartitionMapping,
    downstream: TimeWindowPartitionsSpec,
    downstream_keys: Sequence[str],
    upstream: TimeWindowPartitionsSpec,
    now: float | None,
) -> UpstreamKeys:
    import time

    at = time.time() if now is None else now
    down = partition_keys_for(downstream)
    up = partition_keys_for(upstream)
    assert isinstance(down, TimeKeys) and isinstance(up, TimeKeys)
    dsched, usched = down.windows.schedule, up.windows.schedule
    first, last = up.windows.first_window(at), up.windows.last_window(at)
    found: dict[float, None] = {}
    missing: dict[float, None] = {}
    for key in downstream_keys:
        start, end = down.windows.window_at(dsched.next_tick(_parse(down, key)))
        start = _shift(dsched, start, mapping.start_offset)
        end = _shift(dsched, end, mapping.end_offset)
        if first is not None and last is not None:  # offsets do not reach past the upstream's ends
            if mapping.start_offset < 0:
                start = max(start, first[0])
            if mapping.end_offset > 0:
                end = min(end, last[1])
        start = usched.prev_tick(start)
        end = usched.next_tick(end)
        tick = start
        while tick < end:
            exists = first is not None and last is not None and first[0] <= tick <= last[0]
            if exists:
                found[tick] = None
            elif not mapping.allow_nonexistent_upstream_partitions:
                missing[tick] = None
            tick = usched.next_tick(tick, strict=True)
    return UpstreamKeys(
        [up.windows.key_of(t) for t in sorted(found)], [up.windows.key_of(t) for t in sorted(missing)]
    )


def _parse(keys: TimeKeys, key: str) -> float:
    from headwater.selection.time_window_keys import parse_key

    return parse_key(key, keys.spec.fmt, keys.spec.timezone)


def _shift(schedule: object, tick: float, offset: int) -> float:
    from headwater.selection.cron import CronSchedule

    assert isinstance(schedule, CronSchedule)
    for _ in range(abs(offset)):
        tick = schedule.prev_tick(tick, strict=True) if offset < 0 else schedule.next_tick(tick, strict=True)
    return tick


def _multi_to_single(
    mapping: MultiToSingleDimensionPartitionMapping,
    downstream: PartitionsSpec,
    downstream_keys: Sequence[str],
    upstream: PartitionsSpec,
    now: float | None,
    dynamic: DynamicPartitionsStore | None,
) -> UpstreamKeys:
    found, problem = _single_to_multi_dimension(upstream, downstream, mapping.partition_dimension_name)
    if found is None:
        raise ValueError(problem)
    dim, inner = found
    if isinstance(upstream, MultiPartitionsSpec):  # multi upstream, single downstream
        spec = next(d.partitions for d in upstream.dimensions if d.name == dim)
        mapped = upstream_partition_keys(inner, downstream, downstream_keys, spec, now, dynamic)
        wanted = set(mapped.keys)
        up = partition_keys_for(upstream)
        assert isinstance(up, MultiKeys)
        keys = [k for k in up.keys(now, dynamic) if k.keys_by_dimension[dim] in wanted]  # type: ignore[attr-defined]
        return UpstreamKeys(keys, mapped.missing)
    assert isinstance(downstream, MultiPartitionsSpec)
    spec = next(d.partitions for d in downstream.dimensions if d.name == dim)
    down = partition_keys_for(downstream)
    assert isinstance(down, MultiKeys)
    dim_keys = list(dict.fromkeys(down.to_key(k).keys_by_dimension[dim] for k in downstream_keys))
    return upstream_partition_keys(inner, spec, dim_keys, upstream, now, dynamic)


def _multi_to_multi(
    mapping: MultiPartitionMapping,
    downstream: PartitionsSpec,
    downstream_keys: Sequence[str],
    upstream: PartitionsSpec,
    now: float | None,
    dynamic: DynamicPartitionsStore | None,
) -> UpstreamKeys:
    assert isinstance(upstream, MultiPartitionsSpec) and isinstance(downstream, MultiPartitionsSpec)
    down = partition_keys_for(downstream)
    assert isinstance(down, MultiKeys)
    up_specs = {d.name: d.partitions for d in upstream.dimensions}
    down_specs = {d.name: d.partitions for d in downstream.dimensions}
    by_down_dim = {
        m.dimension_name: (up_dim, m)
        for up_dim, m in mapping.downstream_mappings_by_upstream_dimension.items()
    }
    found: set[str] = set()
    missing: set[str] = set()
    a, b = (d.name for d in upstream.dimensions)
    for key in downstream_keys:
        parts = down.to_key(key).keys_by_dimension
        per_up_dim: dict[str, list[str]] = {}
        for down_dim, (up_dim, dim_mapping) in by_down_dim.items():
            mapped = upstream_partition_keys(
                dim_mapping.partition_mapping,
                down_specs[down_dim],
                [parts[down_dim]],
                up_specs[up_dim],
                now,
                dynamic,
            )
            per_up_dim[up_dim] = mapped.keys
            missing.update(mapped.missing)
        for name in (a, b):
            per_up_dim.setdefault(name, partition_keys_for(up_specs[name]).keys(now, dynamic))
        found.update(MultiPartitionKey({a: x, b: y}) for x in per_up_dim[a] for y in per_up_dim[b])
    return UpstreamKeys(_ordered(found, partition_keys_for(upstream).keys(now, dynamic)), sorted(missing))


__all__ = ["UpstreamKeys", "infer_partition_mapping", "mapping_problem", "upstream_partition_keys"]
