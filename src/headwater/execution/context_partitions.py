"""The partition half of ``OpExecutionContext``: the run's key or range, its time window, and the
partitions each asset output writes and each asset input reads (Dagster's property names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey
from headwater.core.partition_keys import PartitionKeyRange, TimeWindow
from headwater.errors import InvalidPropertyError, InvariantViolationError

if TYPE_CHECKING:
    from headwater.execution.run_context import RunContext
    from headwater.execution.run_partitions import RunPartitions


class PartitionProperties:
    """Mixin over the ``_run``, ``_partition_key``, ``_partition_key_range`` and asset key slots."""

    __slots__ = ()

    _run: RunContext | None
    _partition_key: str | None
    _partition_key_range: PartitionKeyRange | None
    _partitions_def: Any
    _output_asset_keys: dict[str, AssetKey]
    _input_asset_keys: dict[str, AssetKey]

    # -- the run --------------------------------------------------------------------------------------
    def _run_partitions(self) -> RunPartitions | None:
        return self._run.partitions if self._run is not None else None

    @property
    def has_partition_key(self) -> bool:
        """True when the run targets one partition (False for a range)."""
        if self._run is not None:
            partitions = self._run.partitions
            return partitions is not None and partitions.key is not None
        return self._partition_key is not None

    @property
    def has_partition_key_range(self) -> bool:
        """True when the run targets a range of partitions."""
        if self._run is not None:
            partitions = self._run.partitions
            return partitions is not None and partitions.key_range is not None
        return self._partition_key_range is not None

    @property
    def partition_key(self) -> str:
        """The partition this run targets (a MultiPartitionKey for multi-partitions)."""
        partitions = self._run_partitions()
        if self._run is not None:
            if partitions is None:
                raise InvariantViolationError("Cannot access partition_key for a non-partitioned run")
            if partitions.key is None:
                raise InvariantViolationError(
                    "Cannot access partition_key for a partitioned run with a range of partitions. Call "
                    "partition_key_range instead."
                )
            return partitions.key
        if self._partition_key is None:
            if self._partition_key_range is not None:
                raise InvariantViolationError(
                    "Cannot access partition_key for a partitioned run with a range of partitions. Call "
                    "partition_key_range instead."
                )
            raise InvariantViolationError("Cannot access partition_key for a non-partitioned run")
        return self._partition_key

    @property
    def partition_key_range(self) -> PartitionKeyRange:
        """The range of partitions the run targets (start = end for one key)."""
        partitions = self._run_partitions()
        if self._run is not None:
            if partitions is None:
                raise InvariantViolationError("Cannot access partition_key_range for a non-partitioned run")
            return partitions.range
        if self._partition_key_range is not None:
            return self._partition_key_range
        if self._partition_key is None:
            raise InvariantViolationError("Cannot access partition_key_range for a non-partitioned run")
        return PartitionKeyRange(self._partition_key, self._partition_key)

    @property
    def partition_keys(self) -> list[str]:
        """Every partition key the run targets (one, or each key of the range)."""
        partitions = self._run_partitions()
        if self._run is not None:
            if partitions is None:
                raise InvariantViolationError("Cannot access partition_keys for a non-partitioned run")
            return list(partitions.keys)
        key_range = self.partition_key_range
        if key_range.start == key_range.end:
            return [key_range.start]
        pdef = self._partitions_def
        if pdef is None:
            raise InvalidPropertyError(
                "This context was built with a partition_key_range but no partitions_def, so it cannot list "
                "the keys in between; pass partitions_def= to build_asset_context."
            )
        return list(pdef.get_partition_keys_in_range(key_range))

    @property
    def partition_time_window(self) -> TimeWindow:
        """The time window the run covers (time window partitions, or multi-partitions with one time
        dimension)."""
        partitions = self._run_partitions()
        if partitions is not None:
            return partitions.time_window()
        from headwater.execution.run_partitions import time_window_of

        pdef = self._partitions_def
        if pdef is None:
            raise InvariantViolationError(
                "Cannot access partition_time_window for a non-partitioned run"
                if self._run is not None
                or (self._partition_key is None and self._partition_key_range is None)
                else "This context has no partitions_def; pass partitions_def= to get a time window."
            )
        return time_window_of(pdef.to_partitions_spec(), self.partition_keys)

    @property
    def partitions_def(self) -> Any:
        partitions = self._run_partitions()
        if partitions is not None:
            return partitions.partitions_def
        return self._partitions_def

    # -- outputs --------------------------------------------------------------------------------------
    def _output_keys(self, output_name: str) -> list[str]:
        key = self._output_asset_keys.get(output_name)
        if self._run is None:
            return self.partition_keys
        if key is None:
            raise InvalidPropertyError(f"Output '{output_name}' does not correspond to an asset.")
        keys = self._run.input_partitions.asset_keys(key)
        if keys is None:
            raise InvariantViolationError(
                f"Asset {key.to_user_string()!r} (output '{output_name}') is not partitioned, or the run is "
                "not partitioned."
            )
        return keys

    def asset_partition_key_for_output(self, output_name: str = "result") -> str:
        keys = self._output_keys(output_name)
        if len(keys) != 1:
            raise InvariantViolationError(
                f"Output '{output_name}' covers {len(keys)} partitions; call "
                "asset_partition_key_range_for_output."
            )
        return keys[0]

    def asset_partition_keys_for_output(self, output_name: str = "result") -> list[str]:
        return list(self._output_keys(output_name))

    def asset_partition_key_range_for_output(self, output_name: str = "result") -> PartitionKeyRange:
        keys = self._output_keys(output_name)
        return PartitionKeyRange(keys[0], keys[-1])

    def asset_partitions_time_window_for_output(self, output_name: str = "result") -> TimeWindow:
        keys = self._output_keys(output_name)
        spec = self._asset_spec(self._output_asset_keys.get(output_name))
        from headwater.execution.run_partitions import time_window_of

        return time_window_of(spec, keys) if spec is not None else self.partition_time_window

    # -- inputs ---------------------------------------------------------------------------------------
    def _asset_spec(self, key: AssetKey | None) -> Any:
        if key is None or self._run is None or self._run.layer is None:
            return None
        node = self._run.layer.asset_graph.nodes.get(key)
        return node.partitions if node is not None else None

    def _input_keys(self, input_name: str) -> tuple[AssetKey, list[str]]:
        upstream = self._input_asset_keys.get(input_name)
        if upstream is None or self._run is None:
            raise InvalidPropertyError(f"Input '{input_name}' does not correspond to an asset.")
        outputs = list(self._output_asset_keys.values())
        keys = self._run.input_partitions.upstream_keys(outputs[0] if outputs else None, upstream)
        if keys is None:
            raise InvariantViolationError(
                f"Input '{input_name}' reads asset {upstream.to_user_string()!r}, which is not partitioned."
            )
        return upstream, keys

    def asset_partition_key_for_input(self, input_name: str) -> str:
        _, keys = self._input_keys(input_name)
        if len(keys) != 1:
            raise InvariantViolationError(
                f"Input '{input_name}' reads {len(keys)} partitions: call asset_partition_keys_for_input "
                "or asset_partition_key_range_for_input."
            )
        return keys[0]

    def asset_partition_keys_for_input(self, input_name: str) -> list[str]:
        return list(self._input_keys(input_name)[1])

    def asset_partition_key_range_for_input(self, input_name: str) -> PartitionKeyRange:
        _, keys = self._input_keys(input_name)
        if not keys:
            raise InvariantViolationError(f"Input '{input_name}' reads no partitions.")
        return PartitionKeyRange(keys[0], keys[-1])

    def asset_partitions_time_window_for_input(self, input_name: str) -> TimeWindow:
        upstream, keys = self._input_keys(input_name)
        from headwater.execution.run_partitions import time_window_of

        return time_window_of(self._asset_spec(upstream), keys)

    def asset_partitions_def_for_input(self, input_name: str) -> Any:
        upstream = self._input_asset_keys.get(input_name)
        if upstream is None or self._run is None or self._run.layer is None:
            return None
        return _definition_of(self._run, upstream)

    def asset_partitions_def_for_output(self, output_name: str = "result") -> Any:
        key = self._output_asset_keys.get(output_name)
        if key is None or self._run is None or self._run.layer is None:
            return self._partitions_def
        return _definition_of(self._run, key)


def _definition_of(run: RunContext, key: AssetKey) -> Any:
    """The partitions definition object of asset ``key`` (user code's, for IO managers and bodies)."""
    layer = run.layer
    if layer is None:
        return None
    collection = layer.collection
    producer = collection.producer.get(key)
    if producer is not None:
        spec = producer.specs_by_key.get(key)
        if spec is not None and spec.partitions_def is not None:
            return spec.partitions_def
        return producer.partitions_def
    source = collection.source_by_key.get(key)
    return source.partitions_def if source is not None else None


__all__ = ["PartitionProperties"]
