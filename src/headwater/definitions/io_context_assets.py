"""What InputContext and OutputContext share: the asset and partition an IO manager reads or writes."""

from __future__ import annotations

import typing as t

from headwater.core.asset_key import AssetKey
from headwater.core.partition_keys import PartitionKeyRange, TimeWindow
from headwater.errors import InvalidPropertyError


class AssetPartitionProperties:
    """Asset key and partition properties over the ``_asset_key``/``_partition_key``/… slots."""

    __slots__ = ()

    _asset_key: AssetKey | None
    _partition_key: str | None
    _asset_partition_keys: t.Sequence[str] | None
    _asset_partitions_def: t.Any
    _side: str  # "input" or "output", for messages

    def _missing_asset_key(self) -> InvalidPropertyError:
        # Dagster's two wordings: an output was built without one; an input reads no asset.
        if self._side == "output":
            return InvalidPropertyError(
                "Attempting to access asset_key, but it was not provided when constructing the OutputContext"
            )
        return InvalidPropertyError(
            "Attempting to access asset_key, but no asset is associated with this input"
        )

    @property
    def has_asset_key(self) -> bool:
        return self._asset_key is not None

    @property
    def asset_key(self) -> AssetKey:
        if self._asset_key is None:
            raise self._missing_asset_key()
        return self._asset_key

    @property
    def has_partition_key(self) -> bool:
        return self._partition_key is not None

    @property
    def partition_key(self) -> str:
        if self._partition_key is None:
            raise InvalidPropertyError("Tried to access partition_key on a non-partitioned run.")
        return self._partition_key

    # ``_asset_partition_keys``: the keys when given (a run gives them, [] for an unpartitioned asset);
    # None when unknown (a context built by hand), where the run's partition key stands in.
    @property
    def has_asset_partitions(self) -> bool:
        if self._asset_key is None:
            return False
        if self._asset_partition_keys is not None:
            return bool(self._asset_partition_keys)
        return self._partition_key is not None

    @property
    def asset_partition_keys(self) -> list[str]:
        """The asset partitions this input reads or this output writes."""
        if self._asset_partition_keys:
            return list(self._asset_partition_keys)
        if (
            self._asset_partition_keys is None
            and self._partition_key is not None
            and self._asset_key is not None
        ):
            return [self._partition_key]
        raise InvalidPropertyError(f"The {self._side} does not correspond to a partitioned asset.")

    @property
    def asset_partition_key_range(self) -> PartitionKeyRange:
        keys = self.asset_partition_keys
        return PartitionKeyRange(keys[0], keys[-1])

    @property
    def asset_partitions_time_window(self) -> TimeWindow:
        """The window from the first partition's start to the last one's end (time partitions)."""
        pdef = self.asset_partitions_def
        keys = self.asset_partition_keys
        first = pdef.time_window_for_partition_key(keys[0])
        last = pdef.time_window_for_partition_key(keys[-1]) if len(keys) > 1 else first
        return TimeWindow(first.start, last.end)

    @property
    def asset_partition_key(self) -> str:
        keys = self.asset_partition_keys
        if len(keys) != 1:
            raise InvalidPropertyError(
                f"The {self._side} covers {len(keys)} partitions: use asset_partition_keys."
            )
        return keys[0]

    @property
    def asset_partitions_def(self) -> t.Any:
        if self._asset_partitions_def is None:
            raise InvalidPropertyError(
                f"Attempting to access asset_partitions_def, but it was not provided when constructing the "
                f"{self._side.capitalize()}Context"
            )
        return self._asset_partitions_def

    def get_asset_identifier(self) -> list[str]:
        """The asset key's path, plus the partition key when one partition is read or written."""
        path = list(self.asset_key.path)
        if self.has_asset_partitions:
            path.append(self.asset_partition_key)
        return path
