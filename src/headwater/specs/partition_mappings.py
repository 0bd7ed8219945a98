"""Partition mappings (Dagster's classes) as data: which upstream partitions a downstream partition reads.

Each mapping is a frozen msgspec Struct in one closed tagged union (``"type"``: ``"identity"``,
``"all"``, ``"last"``, ``"time_window"``, ``"specific"``, ``"static"``, ``"multi"``,
``"multi_to_single"``), so an asset node spec carries its dependencies' mappings across processes and
the daemon evaluates them without user code (``headwater.selection.partition_mapping``). The public
classes are these Structs themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError


class PartitionMapping(msgspec.Struct, frozen=True, omit_defaults=True, gc=False, tag_field="type"):
    """Defines which partitions of an upstream asset each partition of a downstream asset uses."""

    @property
    def description(self) -> str:
        return type(self).__name__


class IdentityPartitionMapping(PartitionMapping, tag="identity", frozen=True):
    """Each downstream partition reads the upstream partition with the same key (the default between
    two definitions of the same kind)."""

    @property
    def description(self) -> str:
        return (
            "Assumes upstream and downstream assets share the same partitions definition. Maps each "
            "partition in the downstream asset to the same partition in the upstream asset."
        )


class AllPartitionMapping(PartitionMapping, tag="all", frozen=True):
    """Every downstream partition reads every upstream partition (the default for an unpartitioned
    downstream asset)."""

    @property
    def description(self) -> str:
        return "Each downstream partition depends on all partitions of the upstream asset."


class LastPartitionMapping(PartitionMapping, tag="last", frozen=True):
    """Every downstream partition reads the upstream's last partition."""

    @property
    def description(self) -> str:
        return "Each downstream partition depends on the last partition of the upstream asset."


class TimeWindowPartitionMapping(PartitionMapping, tag="time_window", frozen=True):
    """A downstream partition reads the upstream partitions whose windows overlap its own, its start
    and end moved by ``start_offset``/``end_offset`` downstream windows (the default between two
    time window definitions). ``allow_nonexistent_upstream_partitions`` drops, instead of reporting,
    mapped partitions that do not exist upstream."""

    start_offset: int = 0
    end_offset: int = 0
    allow_nonexistent_upstream_partitions: bool = False

    def __post_init__(self) -> None:
        for name in ("start_offset", "end_offset"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise InvalidDefinitionError(
                    f"TimeWindowPartitionMapping {name} must be an int; got {value!r}."
                )
        if not isinstance(self.allow_nonexistent_upstream_partitions, bool):
            raise InvalidDefinitionError("allow_nonexistent_upstream_partitions must be a bool.")

    @property
    def description(self) -> str:
        text = "Maps a downstream partition to any upstream partition with an overlapping time window."
        if self.start_offset or self.end_offset:
            text += (
                f" The start and end of the upstream time window is offsetted by {self.start_offset} and "
                f"{self.end_offset} partitions respectively."
            )
        return text


class SpecificPartitionsPartitionMapping(PartitionMapping, tag="specific", frozen=True):
    """Every downstream partition reads the listed upstream partitions."""

    partition_keys: tuple[str, ...]

    def __post_init__(self) -> None:
        keys = self.partition_keys
        if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
            raise InvalidDefinitionError(
                f"SpecificPartitionsPartitionMapping takes a list of partition keys (str); got {keys!r}."
            )
        if type(keys) is not tuple:
            msgspec.structs.force_setattr(self, "partition_keys", tuple(keys))

    @property
    def description(self) -> str:
        keys = list(self.partition_keys)
        return f"Each downstream partition depends on the following upstream partitions: {keys}"


class StaticPartitionMapping(PartitionMapping, tag="static", frozen=True):
    """An explicit correspondence between two static definitions: upstream key -> downstream key(s)."""

    downstream_partition_keys_by_upstream_partition_key: dict[str, str | tuple[str, ...]]

    if TYPE_CHECKING:

        def __init__(
            self, downstream_partition_keys_by_upstream_partition_key: Mapping[str, str | Collection[str]]
        ) -> None: ...

    def __post_init__(self) -> None:
        given: Any = self.downstream_partition_keys_by_upstream_partition_key
        if not isinstance(given, Mapping):
            raise InvalidDefinitionError(
                f"StaticPartitionMapping takes a dict of upstream key -> downstream key(s); got {given!r}."
            )
        normalized: dict[str, str | tuple[str, ...]] = {}
        for up, down in given.items():
            if not isinstance(up, str):
                raise InvalidDefinitionError(f"StaticPartitionMapping keys must be str; got {up!r}.")
            if isinstance(down, str):
                normalized[up] = down
            elif isinstance(down, Collection) and all(isinstance(d, str) for d in down):
                normalized[up] = tuple(sorted(down) if isinstance(down, (set, frozenset)) else down)
            else:
                raise InvalidDefinitionError(
                    f"StaticPartitionMapping maps {up!r} to {down!r}; expected a key or a list of keys."
                )
        msgspec.structs.force_setattr(self, "downstream_partition_keys_by_upstream_partition_key", normalized)

    def downstream_keys(self, upstream_key: str) -> tuple[str, ...]:
        down = self.downstream_partition_keys_by_upstream_partition_key.get(upstream_key, ())
        return (down,) if isinstance(down, str) else down

    @property
    def description(self) -> str:
        return (
            "Maps upstream partitions to their downstream dependencies according to the following "
            f"mapping: \n{self.downstream_partition_keys_by_upstream_partition_key}"
        )


class MultiToSingleDimensionPartitionMapping(PartitionMapping, tag="multi_to_single", frozen=True):
    """Between a multi-partitioned asset and a single-dimension one: the single definition is one
    dimension of the multi one (``partition_dimension_name``, inferred when None); a key X maps to
    every multi-partition key with X in that dimension."""

    partition_dimension_name: str | None = None

    @property
    def description(self) -> str:
        return (
            "Assumes that the single-dimension partitions definition is a dimension of the "
            "multi-partitions definition. For a single-dimension partition key X, any multi-partition "
            "key with X in the matching dimension is a dependency."
        )


class DimensionPartitionMapping(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """For MultiPartitionMapping: the downstream dimension an upstream dimension maps to, and how."""

    dimension_name: str
    partition_mapping: PartitionMappingSpec

    def __post_init__(self) -> None:
        if not isinstance(self.partition_mapping, PartitionMapping):
            raise InvalidDefinitionError(
                f"DimensionPartitionMapping needs a partition mapping; got {self.partition_mapping!r}."
            )


class MultiPartitionMapping(PartitionMapping, tag="multi", frozen=True):
    """Between two multi-partitioned assets: upstream dimension name -> DimensionPartitionMapping.
    Dimensions not named map all to all."""

    downstream_mappings_by_upstream_dimension: dict[str, DimensionPartitionMapping]

    def __post_init__(self) -> None:
        given: Any = self.downstream_mappings_by_upstream_dimension
        if not isinstance(given, Mapping) or not all(
            isinstance(k, str) and isinstance(v, DimensionPartitionMapping) for k, v in given.items()
        ):
            raise InvalidDefinitionError(
                "MultiPartitionMapping takes a dict of upstream dimension name -> DimensionPartitionMapping; "
                f"got {given!r}."
            )
        if type(given) is not dict:
            msgspec.structs.force_setattr(self, "downstream_mappings_by_upstream_dimension", dict(given))

    @property
    def description(self) -> str:
        return "\n ".join(
            f"Upstream dimension '{up}' mapped to downstream dimension '{m.dimension_name}' using "
            f"{type(m.partition_mapping).__name__}."
            for up, m in self.downstream_mappings_by_upstream_dimension.items()
        )


#: Any partition mapping (the closed union).
PartitionMappingSpec = (
    IdentityPartitionMapping
    | AllPartitionMapping
    | LastPartitionMapping
    | TimeWindowPartitionMapping
    | SpecificPartitionsPartitionMapping
    | StaticPartitionMapping
    | MultiToSingleDimensionPartitionMapping
    | MultiPartitionMapping
)

BUILTIN_MAPPINGS = (
    IdentityPartitionMapping,
    AllPartitionMapping,
    LastPartitionMapping,
    TimeWindowPartitionMapping,
    SpecificPartitionsPartitionMapping,
    StaticPartitionMapping,
    MultiToSingleDimensionPartitionMapping,
    MultiPartitionMapping,
)


def check_partition_mapping(mapping: Any, where: str) -> PartitionMappingSpec | None:
    """``mapping`` when it is one of the built-in mappings (or None); an error naming ``where`` if not."""
    if mapping is None or isinstance(mapping, BUILTIN_MAPPINGS):
        return mapping
    raise InvalidDefinitionError(
        f"{where}: partition_mapping={mapping!r} is not a partition mapping Headwater knows. Use one of "
        + ", ".join(c.__name__ for c in BUILTIN_MAPPINGS)
        + " (custom PartitionMapping subclasses are not supported)."
    )


class DepPartitionMapping(msgspec.Struct, frozen=True, gc=False):
    """The partition mapping an asset declares for one of its upstream assets (a path, as AssetKey's)."""

    upstream: AssetKey
    mapping: PartitionMappingSpec


__all__ = [
    "BUILTIN_MAPPINGS",
    "AllPartitionMapping",
    "DepPartitionMapping",
    "DimensionPartitionMapping",
    "IdentityPartitionMapping",
    "LastPartitionMapping",
    "MultiPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "PartitionMapping",
    "PartitionMappingSpec",
    "SpecificPartitionsPartitionMapping",
    "StaticPartitionMapping",
    "TimeWindowPartitionMapping",
    "check_partition_mapping",
]
