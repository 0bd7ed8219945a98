"""Partitions definitions (Dagster's names): the base class, ``StaticPartitionsDefinition`` and
``DynamicPartitionsDefinition``. Time windows are in ``time_window_partitions``, two dimensions in
``multi_partitions``.

Each definition describes itself as a spec (``to_partitions_spec()``), and its keys come from that
spec through ``headwater.selection.partition_keys`` — the same code the webserver and the daemon
run without user code. The one exception is a dynamic definition built from a ``partition_fn``
(deprecated in Dagster), whose keys only its function knows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from headwater.core.partition_keys import (
    PARTITION_NAME_TAG,
    MultiPartitionKey,
    PartitionKeyRange,
    multi_partition_tags,
)
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.selection.partition_keys import DynamicPartitionsStore, PartitionKeys, partition_keys_for
from headwater.specs.dynamic_partitions_request import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
)
from headwater.specs.partitions import DynamicPartitionsSpec, PartitionsSpec, StaticPartitionsSpec


def timestamp_of(current_time: datetime | float | None, timezone: str = "UTC") -> float:
    """A UNIX timestamp from ``current_time`` (a naive datetime is read in ``timezone``); now when None."""
    if current_time is None:
        return time.time()
    if isinstance(current_time, (int, float)):
        return float(current_time)
    if current_time.tzinfo is None:
        from headwater.selection.cron import get_timezone

        current_time = current_time.replace(tzinfo=get_timezone(timezone))
    return current_time.timestamp()


class PartitionsDefinition:
    """A set of partitions an asset or a job can be run for (abstract; Dagster's base class)."""

    _spec: PartitionsSpec

    def to_partitions_spec(self) -> PartitionsSpec:
        return self._spec

    @property
    def _keys(self) -> PartitionKeys:
        return partition_keys_for(self._spec)

    def _now(self, current_time: datetime | float | None) -> float:
        return timestamp_of(current_time)

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        return self._keys.keys(self._now(current_time), dynamic_partitions_store)

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        return self._keys.has_key(partition_key, self._now(current_time), dynamic_partitions_store)

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        start, end = partition_key_range
        return self._keys.keys_in_range(start, end, self._now(None), dynamic_partitions_store)

    def get_first_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        return keys[0] if keys else None

    def get_last_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        return keys[-1] if keys else None

    def get_num_partitions(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        return len(self.get_partition_keys(current_time, dynamic_partitions_store))

    def get_tags_for_partition_key(self, partition_key: str) -> Mapping[str, str]:
        tags = {PARTITION_NAME_TAG: partition_key}
        if isinstance(partition_key, MultiPartitionKey):
            tags.update(multi_partition_tags(partition_key))
        return tags

    def validate_partition_key(
        self,
        partition_key: str,
        owner: str,
        current_time: datetime | float | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        """Raise UnknownPartitionError (naming ``owner``, what exists, a close match) for an unknown key."""
        self._keys.check_key(partition_key, owner, self._now(current_time), dynamic_partitions_store)

    def describe(self) -> str:
        return self._keys.kind()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartitionsDefinition) and other.to_partitions_spec() == self._spec

    def __hash__(self) -> int:
        return hash((type(self._spec).__name__, repr(self._spec)))

    def __str__(self) -> str:
        return ", ".join(f"'{key}'" for key in self.get_partition_keys())


class StaticPartitionsDefinition(PartitionsDefinition):
    """A fixed list of partition keys, in the given order."""

    def __init__(self, partition_keys: Sequence[str]) -> None:
        if isinstance(partition_keys, str):
            partition_keys = [partition_keys]  # Dagster accepts a str for back compat
        self._spec = StaticPartitionsSpec(tuple(partition_keys))

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        return list(self._spec.partition_keys)  # type: ignore[union-attr]

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        return self._keys.has_key(partition_key)

    def __repr__(self) -> str:
        return f"StaticPartitionsDefinition(partition_keys={list(self._spec.partition_keys)})"  # type: ignore[union-attr]


class DynamicPartitionsDefinition(PartitionsDefinition):
    """Partition keys added and removed at run time, stored in the instance under ``name``
    (``instance.add_dynamic_partitions(name, keys)``, or a sensor returning ``build_add_request``)."""

    def __init__(
        self,
        partition_fn: Callable[[datetime | None], Sequence[Any]] | None = None,
        name: str | None = None,
    ) -> None:
        if partition_fn is None and name is None:
            raise InvalidDefinitionError(
                "Must provide either partition_fn or name to DynamicPartitionsDefinition."
            )
        if partition_fn is not None and name is not None:
            raise InvalidDefinitionError(
                "Cannot provide both partition_fn and name to DynamicPartitionsDefinition."
            )
        if name is not None and not isinstance(name, str):
            raise InvalidDefinitionError(f"DynamicPartitionsDefinition name must be a str; got {name!r}.")
        self.partition_fn = partition_fn
        self.name = name
        self._spec = DynamicPartitionsSpec(name)

    def _fn_keys(self, current_time: datetime | None) -> list[str]:
        assert self.partition_fn is not None
        return [getattr(p, "name", p) for p in self.partition_fn(current_time)]

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        if self.partition_fn is not None:
            return self._fn_keys(current_time)
        return self._keys.keys(None, dynamic_partitions_store)

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        if self.partition_fn is not None:
            return partition_key in self._fn_keys(current_time)
        return self._keys.has_key(partition_key, None, dynamic_partitions_store)

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        if self.partition_fn is None:
            return super().get_partition_keys_in_range(partition_key_range, dynamic_partitions_store)
        keys = self._fn_keys(None)
        start, end = partition_key_range
        if start not in keys or end not in keys:
            raise InvalidInvocationError(
                f"Partition range {start} to {end} is not a valid range. Nonexistent partition keys: "
                f"{[k for k in (start, end) if k not in keys]}"
            )
        return keys[keys.index(start) : keys.index(end) + 1]

    def validate_partition_key(
        self,
        partition_key: str,
        owner: str,
        current_time: datetime | float | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        if self.partition_fn is None:
            super().validate_partition_key(partition_key, owner, current_time, dynamic_partitions_store)
            return
        from headwater.errors import UnknownPartitionError

        keys = self._fn_keys(None)
        if partition_key not in keys:
            raise UnknownPartitionError(
                f"Could not find a partition with key `{partition_key}` in {owner}: its partition_fn "
                f"returns {len(keys)} keys{': ' + ', '.join(map(repr, keys[:5])) if keys else ''}."
            )

    def _validated_name(self) -> str:
        if self.name is None:
            raise InvalidInvocationError(
                "Dynamic partitions definition must have a name to add or delete partitions."
            )
        return self.name

    def build_add_request(self, partition_keys: Sequence[str]) -> AddDynamicPartitionsRequest:
        return AddDynamicPartitionsRequest(self._validated_name(), _keys_param(partition_keys))

    def build_delete_request(self, partition_keys: Sequence[str]) -> DeleteDynamicPartitionsRequest:
        return DeleteDynamicPartitionsRequest(self._validated_name(), _keys_param(partition_keys))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DynamicPartitionsDefinition)
            and other.name == self.name
            and other.partition_fn == self.partition_fn
        )

    def __hash__(self) -> int:
        return hash(("dynamic", self.name, id(self.partition_fn)))

    def __str__(self) -> str:
        return f'Dynamic partitions: "{self.name}"' if self.name else super().__str__()

    def __repr__(self) -> str:
        return f"DynamicPartitionsDefinition(name={self.name!r})"


def _keys_param(partition_keys: Sequence[str]) -> tuple[str, ...]:
    if isinstance(partition_keys, str) or not all(isinstance(k, str) for k in partition_keys):
        raise InvalidInvocationError(f"partition_keys must be a list of str; got {partition_keys!r}.")
    return tuple(partition_keys)


__all__ = [
    "DynamicPartitionsDefinition",
    "PartitionsDefinition",
    "StaticPartitionsDefinition",
    "timestamp_of",
]
