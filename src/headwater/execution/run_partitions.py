"""The partitions a run targets: one key (``dagster/partition``) or a range
(``dagster/asset_partition_range_start``/``_end``), checked against the job's partitions before the
run starts, and the keys each partitioned input reads through its partition mapping."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey
from headwater.core.partition_keys import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
    PARTITION_SET_TAG,
    MultiPartitionKey,
    PartitionKeyRange,
    TimeWindow,
    multi_partition_tags,
)
from headwater.errors import (
    InvalidInvocationError,
    InvariantViolationError,
    UnknownPartitionError,
)
from headwater.selection.partition_keys import MultiKeys, TimeKeys, partition_keys_for
from headwater.selection.partition_mapping import upstream_partition_keys
from headwater.specs.partitions import PartitionsSpec

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition


@dataclass
class RunPartitions:
    """What a partitioned run covers. ``keys`` are MultiPartitionKeys for multi-partitions."""

    spec: PartitionsSpec
    partitions_def: Any
    keys: list[str]
    key: str | None = None  # the run's one key (None for a range)
    key_range: PartitionKeyRange | None = None  # set for a range run
    now: float = field(default_factory=time.time)
    instance: Any = None

    @property
    def range(self) -> PartitionKeyRange:
        if self.key_range is not None:
            return self.key_range
        assert self.key is not None
        return PartitionKeyRange(self.key, self.key)

    def time_window(self, spec: PartitionsSpec | None = None, keys: list[str] | None = None) -> TimeWindow:
        return time_window_of(spec or self.spec, keys if keys is not None else self.keys)


def time_window_of(spec: PartitionsSpec, keys: list[str]) -> TimeWindow:
    """The window from the start of the first key's window to the end of the last one's."""
    compiled = partition_keys_for(spec)
    dimension = None
    if isinstance(compiled, MultiKeys):
        times = [
            (n, d)
            for n, d in zip(compiled.names, compiled.dimensions, strict=True)
            if isinstance(d, TimeKeys)
        ]
        if len(times) == 1:
            dimension, compiled = times[0]
    if not isinstance(compiled, TimeKeys):
        raise InvariantViolationError(
            "Expected a TimeWindowPartitionsDefinition or MultiPartitionsDefinition with a single time "
            f"dimension, but instead found {_def_name(spec)}"
        )
    if not keys:
        raise InvariantViolationError("No partition keys, so there is no time window.")
    if dimension is not None:
        keys = [MultiPartitionKey(k.keys_by_dimension).keys_by_dimension[dimension] for k in keys]  # type: ignore[attr-defined]
        keys = sorted(keys, key=lambda k: compiled.time_window(k).start)  # type: ignore[union-attr]
    return TimeWindow(compiled.time_window(keys[0]).start, compiled.time_window(keys[-1]).end)


def _def_name(spec: PartitionsSpec) -> str:
    return {
        "StaticPartitionsSpec": "StaticPartitionsDefinition",
        "DynamicPartitionsSpec": "DynamicPartitionsDefinition",
        "MultiPartitionsSpec": "MultiPartitionsDefinition",
    }.get(type(spec).__name__, type(spec).__name__)


def _owner(job: JobDefinition) -> str:
    layer = job.asset_layer
    if layer is None:
        return f"job '{job.name}'"
    nodes = layer.asset_graph.nodes
    keys = sorted(k for k in layer.selected_asset_keys if nodes[k].partitions is not None)
    names = ", ".join(repr(k.to_user_string()) for k in keys[:5]) + (", ..." if len(keys) > 5 else "")
    return f"asset {names}" if len(keys) == 1 else f"assets {names}"


def resolve_run_partitions(
    job: JobDefinition,
    partition_key: str | None,
    tags: Mapping[str, str],
    instance: Any,
    *,
    check: bool = True,
) -> RunPartitions | None:
    """The run's partitions, checked (unless ``check`` is False: a worker of a run already checked): a
    key or a range that the job's partitions have; None for an unpartitioned run. Errors name the job
    or assets, the key and what exists."""
    start, end = tags.get(ASSET_PARTITION_RANGE_START_TAG), tags.get(ASSET_PARTITION_RANGE_END_TAG)
    if partition_key is None:
        partition_key = tags.get(PARTITION_NAME_TAG)
    if partition_key is None and start is None and end is None:
        return None
    if partition_key is not None and (start is not None or end is not None):
        raise InvariantViolationError(
            f"Cannot have {ASSET_PARTITION_RANGE_START_TAG} or {ASSET_PARTITION_RANGE_END_TAG} tags set "
            f"along with {PARTITION_NAME_TAG}"
        )
    if partition_key is None and (start is None or end is None):
        raise InvariantViolationError(
            f"Cannot have {ASSET_PARTITION_RANGE_START_TAG} or {ASSET_PARTITION_RANGE_END_TAG} set without "
            "the other"
        )
    pdef = job.partitions_def
    if pdef is None:
        given = (
            f"partition_key={partition_key!r}" if partition_key is not None else f"the range {start}...{end}"
        )
        what = (
            "none of its selected assets has a partitions_def"
            if job.asset_layer is not None
            else "it has no partitions_def (pass partitions_def= or a partitioned config to @job)"
        )
        raise InvalidInvocationError(f"{given} was given, but job '{job.name}' is not partitioned: {what}.")
    spec = pdef.to_partitions_spec()
    now = time.time()
    owner = _owner(job)
    compiled = partition_keys_for(spec)
    if partition_key is not None:
        if check:
            pdef.validate_partition_key(partition_key, owner, now, instance)
        key = compiled.to_key(partition_key) if isinstance(compiled, MultiKeys) else partition_key
        return RunPartitions(spec, pdef, [key], key=key, now=now, instance=instance)
    assert start is not None and end is not None
    for bound in (start, end) if check else ():
        pdef.validate_partition_key(bound, owner, now, instance)
    try:
        keys = compiled.keys_in_range(start, end, now, instance)
    except (InvalidInvocationError, UnknownPartitionError) as exc:
        raise InvalidInvocationError(f"{owner}: {exc}") from None
    key_range = PartitionKeyRange(start, end)
    return RunPartitions(spec, pdef, list(keys), key_range=key_range, now=now, instance=instance)


def partition_tags(job: JobDefinition, partitions: RunPartitions | None) -> dict[str, str]:
    """The run tags of ``partitions``: the key (and its dimensions), or the range; the partition set."""
    if partitions is None:
        return {}
    if partitions.key is not None:
        tags = {PARTITION_NAME_TAG: str(partitions.key)}
        if isinstance(partitions.key, MultiPartitionKey):
            tags.update(multi_partition_tags(partitions.key))
        tags[PARTITION_SET_TAG] = f"{job.name}_partition_set"
        return tags
    start, end = partitions.range
    return {ASSET_PARTITION_RANGE_START_TAG: start, ASSET_PARTITION_RANGE_END_TAG: end}


def partitioned_run_config(job: JobDefinition, partitions: RunPartitions | None, run_config: Any) -> Any:
    """The run config of a job with a PartitionedConfig: given config wins, else the partition's."""
    config = job.partitioned_config
    if config is None or run_config is not None or partitions is None or partitions.key is None:
        return run_config
    return config.get_run_config_for_partition_key(partitions.key)


def partitioned_config_tags(job: JobDefinition, partitions: RunPartitions | None) -> dict[str, str]:
    config = job.partitioned_config
    if config is None or partitions is None or partitions.key is None:
        return {}
    return config.get_tags_for_partition_key(partitions.key, job.name)


class InputPartitions:
    """The upstream partition keys each asset input of a step reads (computed once per run)."""

    def __init__(self, job: JobDefinition, partitions: RunPartitions | None, instance: Any = None) -> None:
        self.job = job
        self.partitions = partitions
        self.instance = instance if instance is not None else (partitions.instance if partitions else None)
        self._cache: dict[tuple[AssetKey | None, AssetKey], list[str] | None] = {}

    def check(self) -> None:
        """Map every asset input of the job now, so a missing upstream partition fails before the run."""
        if self.partitions is None or self.job.asset_layer is None:
            return
        for node in self.job.spec.nodes:
            outputs = [o.asset_key for o in node.outputs if o.asset_key is not None]
            for inp in node.inputs:
                if inp.asset_key is not None:
                    self.upstream_keys(outputs[0] if outputs else None, inp.asset_key)

    def asset_keys(self, asset: AssetKey) -> list[str] | None:
        """The keys an output for ``asset`` writes: the run's when the asset is partitioned."""
        layer = self.job.asset_layer
        if self.partitions is None or layer is None:
            return None
        node = layer.asset_graph.nodes.get(asset)
        if node is None or node.partitions is None:
            return None
        return self.partitions.keys

    def upstream_keys(self, downstream: AssetKey | None, upstream: AssetKey) -> list[str] | None:
        """The keys of ``upstream`` that ``downstream`` reads (None: ``upstream`` is not partitioned)."""
        cache_key = (downstream, upstream)
        if cache_key in self._cache:
            return self._cache[cache_key]
        layer = self.job.asset_layer
        result: list[str] | None = None
        if layer is not None:
            nodes = layer.asset_graph.nodes
            up = nodes.get(upstream)
            down = nodes.get(downstream) if downstream is not None else None
            down_spec = down.partitions if down is not None else None
            # A partitioned asset run without a partition reads its partitioned inputs unpartitioned
            # (as Dagster does): only an unpartitioned downstream maps to upstream partitions then.
            if up is not None and up.partitions is not None and (down_spec is None or self.partitions):
                down_keys = self.partitions.keys if (self.partitions and down_spec is not None) else None
                mapping = down.partition_mapping_for(upstream) if down is not None else None
                instance = self.instance
                mapped = upstream_partition_keys(
                    mapping,
                    down_spec,
                    down_keys,
                    up.partitions,
                    self.partitions.now if self.partitions else None,
                    instance,
                )
                if mapped.missing:
                    now = self.partitions.now if self.partitions else None
                    described = partition_keys_for(up.partitions).describe(now, instance)
                    raise InvariantViolationError(
                        f"Partition key range {self.partitions.range if self.partitions else None} in "
                        f"{downstream.to_user_string() if downstream else 'the run'} depends on partitions "
                        f"{mapped.missing} of upstream asset {upstream.to_user_string()!r} that do not exist "
                        f"(its partitions are {described}). Use allow_nonexistent_upstream_partitions=True "
                        "on the TimeWindowPartitionMapping to drop them, or pick partitions the upstream has."
                    )
                keys = mapped.keys
                compiled = partition_keys_for(up.partitions)
                if isinstance(compiled, MultiKeys):
                    keys = [compiled.to_key(k) for k in keys]
                result = keys
        self._cache[cache_key] = result
        return result


__all__ = [
    "InputPartitions",
    "RunPartitions",
    "partition_tags",
    "partitioned_config_tags",
    "partitioned_run_config",
    "resolve_run_partitions",
    "time_window_of",
]
