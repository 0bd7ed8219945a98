"""``MultiPartitionsDefinition``: two named dimensions; a key is one key of each
(``MultiPartitionKey``), dimensions in name order, keys in the order of the product of the
dimensions' keys — Dagster's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from headwater.core.partition_keys import MultiPartitionKey, PartitionKeyRange, TimeWindow
from headwater.definitions.partitions_definition import (
    DynamicPartitionsDefinition,
    PartitionsDefinition,
    StaticPartitionsDefinition,
)
from headwater.definitions.time_window_partitions import TimeWindowPartitionsDefinition
from headwater.errors import InvalidDefinitionError, InvalidInvocationError, UnknownPartitionError
from headwater.selection.partition_keys import DynamicPartitionsStore, MultiKeys
from headwater.specs.partitions import MultiPartitionsSpec, PartitionDimensionSpec

INVALID_STATIC_PARTITIONS_KEY_CHARACTERS = frozenset("|,[]")


class PartitionDimensionDefinition(NamedTuple):
    name: str
    partitions_def: PartitionsDefinition


class MultiPartitionsDefinition(PartitionsDefinition):
    """The cross product of two partitions definitions, by dimension name."""

    _spec: MultiPartitionsSpec

    def __init__(self, partitions_defs: Mapping[str, PartitionsDefinition]) -> None:
        if not isinstance(partitions_defs, Mapping) or len(partitions_defs) != 2:
            count = len(partitions_defs) if isinstance(partitions_defs, Mapping) else partitions_defs
            raise InvalidInvocationError(
                "Dagster currently only supports multi-partitions definitions with 2 partitions "
                f"definitions. Your multi-partitions definition has {count} partitions definitions."
            )
        for name, pdef in partitions_defs.items():
            if not isinstance(name, str):
                raise InvalidDefinitionError(f"Dimension names must be str; got {name!r}.")
            if not isinstance(
                pdef,
                (StaticPartitionsDefinition, TimeWindowPartitionsDefinition, DynamicPartitionsDefinition),
            ):
                raise InvalidDefinitionError(
                    f"Invalid partitions definition type {type(pdef).__name__} for dimension {name!r}. Only "
                    "StaticPartitionsDefinition, TimeWindowPartitionsDefinition and "
                    "DynamicPartitionsDefinition can be dimensions."
                )
            if isinstance(pdef, DynamicPartitionsDefinition) and pdef.name is None:
                raise InvalidDefinitionError(
                    "DynamicPartitionsDefinition must have a name to be used in a MultiPartitionsDefinition."
                )
            if isinstance(pdef, StaticPartitionsDefinition) and any(
                INVALID_STATIC_PARTITIONS_KEY_CHARACTERS & set(k) for k in pdef.get_partition_keys()
            ):
                raise InvalidDefinitionError(
                    f"Invalid character in partition key for dimension {name}. A multi-partitions "
                    "definition cannot contain partition keys with the following characters: |, [, ], ,"
                )
        self._dimensions = sorted(
            (PartitionDimensionDefinition(n, d) for n, d in partitions_defs.items()), key=lambda d: d.name
        )
        self._spec = MultiPartitionsSpec(
            tuple(
                PartitionDimensionSpec(d.name, d.partitions_def.to_partitions_spec())  # type: ignore[arg-type]
                for d in self._dimensions
            )
        )

    @property
    def _multi(self) -> MultiKeys:
        keys = self._keys
        assert isinstance(keys, MultiKeys)
        return keys

    @property
    def partitions_defs(self) -> Sequence[PartitionDimensionDefinition]:
        return list(self._dimensions)

    @property
    def partition_dimension_names(self) -> list[str]:
        return [d.name for d in self._dimensions]

    def get_partitions_def_for_dimension(self, dimension_name: str) -> PartitionsDefinition:
        for dim in self._dimensions:
            if dim.name == dimension_name:
                return dim.partitions_def
        raise InvalidInvocationError(
            f"Invalid dimension name {dimension_name!r}: the dimensions are {self.partition_dimension_names}."
        )

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[MultiPartitionKey]:  # type: ignore[override]
        a, b = self._dimensions
        first = a.partitions_def.get_partition_keys(current_time, dynamic_partitions_store)
        second = b.partitions_def.get_partition_keys(current_time, dynamic_partitions_store)
        return [MultiPartitionKey({a.name: x, b.name: y}) for x in first for y in second]

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        parts = self._multi.split(partition_key)
        if parts is None:
            return False
        if set(parts) != set(self.partition_dimension_names):
            raise UnknownPartitionError(
                f"Invalid partition key {partition_key}. The dimensions of the partition key are not the "
                "dimensions of the partitions definition."
            )
        return all(
            d.partitions_def.has_partition_key(parts[d.name], current_time, dynamic_partitions_store)
            for d in self._dimensions
        )

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        start = self.get_partition_key_from_str(partition_key_range.start).keys_by_dimension
        end = self.get_partition_key_from_str(partition_key_range.end).keys_by_dimension
        a, b = self._dimensions
        first = a.partitions_def.get_partition_keys_in_range(
            PartitionKeyRange(start[a.name], end[a.name]), dynamic_partitions_store
        )
        second = b.partitions_def.get_partition_keys_in_range(
            PartitionKeyRange(start[b.name], end[b.name]), dynamic_partitions_store
        )
        return [MultiPartitionKey({a.name: x, b.name: y}) for x in first for y in second]

    def get_partition_key_from_str(self, partition_key_str: str) -> MultiPartitionKey:
        """The MultiPartitionKey of its string form (``"red|2024-01-01"``)."""
        return self._multi.to_key(partition_key_str)

    def get_tags_for_partition_key(self, partition_key: str) -> Mapping[str, str]:
        return super().get_tags_for_partition_key(self.get_partition_key_from_str(partition_key))

    def validate_partition_key(
        self,
        partition_key: str,
        owner: str,
        current_time: datetime | float | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        parts = self._multi.split(partition_key)
        names = self.partition_dimension_names
        if parts is None or set(parts) != set(names):
            raise UnknownPartitionError(
                f"Could not find a partition with key `{partition_key}` in {owner}: a key of these "
                f"multi-partitions is one key per dimension joined by '|' in dimension-name order "
                f"({'|'.join(names)}), or a MultiPartitionKey({{{', '.join(f'{n!r}: ...' for n in names)}}})."
            )
        for dim in self._dimensions:
            dim.partitions_def.validate_partition_key(
                parts[dim.name], f"dimension {dim.name!r} of {owner}", current_time, dynamic_partitions_store
            )

    # -- the time dimension ---------------------------------------------------------------------------
    def _time_dimensions(self) -> list[PartitionDimensionDefinition]:
        return [d for d in self._dimensions if isinstance(d.partitions_def, TimeWindowPartitionsDefinition)]

    @property
    def has_time_window_dimension(self) -> bool:
        return bool(self._time_dimensions())

    @property
    def time_window_dimension(self) -> PartitionDimensionDefinition:
        dims = self._time_dimensions()
        if len(dims) != 1:
            raise InvalidInvocationError("Expected exactly one time window partitioned dimension")
        return dims[0]

    @property
    def primary_dimension(self) -> PartitionDimensionDefinition:
        dims = self._time_dimensions()
        return dims[0] if len(dims) == 1 else self._dimensions[0]

    @property
    def secondary_dimension(self) -> PartitionDimensionDefinition:
        primary = self.primary_dimension
        return next(d for d in self._dimensions if d.name != primary.name)

    def time_window_for_partition_key(self, partition_key: str) -> TimeWindow:
        dim = self.time_window_dimension
        key = self.get_partition_key_from_str(partition_key).keys_by_dimension[dim.name]
        pdef = dim.partitions_def
        assert isinstance(pdef, TimeWindowPartitionsDefinition)
        return pdef.time_window_for_partition_key(key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiPartitionsDefinition) and other.partitions_defs == self.partitions_defs

    def __hash__(self) -> int:
        return hash(tuple((d.name, repr(d.partitions_def)) for d in self._dimensions))

    def __str__(self) -> str:
        a, b = self._dimensions
        return (
            "Multi-partitioned, with dimensions: \n"
            f"{a.name.capitalize()}: {a.partitions_def} \n"
            f"{b.name.capitalize()}: {b.partitions_def}"
        )

    def __repr__(self) -> str:
        return f"MultiPartitionsDefinition(dimensions={[str(d) for d in self._dimensions]})"


__all__ = ["MultiPartitionsDefinition", "PartitionDimensionDefinition"]
