"""How an asset is partitioned, as data: a closed tagged union that specs carry across processes.

The four kinds, with the meanings of Dagster's partitions definitions:

* ``StaticPartitionsSpec`` — a fixed list of keys (``StaticPartitionsDefinition``).
* ``TimeWindowPartitionsSpec`` — a key per window of a cron schedule from ``start`` up to ``end``
  (exclusive, or open when None), in ``timezone``, each key its window start formatted with ``fmt``
  (``TimeWindowPartitionsDefinition``; the daily/hourly/weekly/monthly ones are this with their
  schedule).
* ``DynamicPartitionsSpec`` — keys added and removed at run time, stored under ``name``
  (``DynamicPartitionsDefinition``).
* ``MultiPartitionsSpec`` — two named dimensions, each one of the above; a key is one key per
  dimension (``MultiPartitionsDefinition``).

JSON: ``{"type": "static", "partition_keys": [...]}`` etc. (``"type"`` is the tag).

**The protocol.** An asset's ``partitions_def`` is described by calling its
``to_partitions_spec()`` method, which returns one of these specs (:func:`partitions_spec_of`); an
object without that method gives no spec. The partitions definitions classes implement it.
"""

from __future__ import annotations

import itertools
from typing import Any, Protocol, runtime_checkable

import msgspec

from headwater.errors import InvalidDefinitionError

#: Separator of the dimension keys in a multi-partition key (Dagster's ``MultiPartitionKey``).
MULTI_KEY_DELIMITER = "|"
#: Substrings a partition key may not contain (Dagster's rule): "..." separates the ends of a range.
INVALID_PARTITION_SUBSTRINGS = ("...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0")


class _Spec(msgspec.Struct, frozen=True, omit_defaults=True, gc=False, tag_field="type"):
    pass


class StaticPartitionsSpec(_Spec, tag="static", frozen=True):
    """A fixed, ordered list of partition keys."""

    partition_keys: tuple[str, ...]

    def __post_init__(self) -> None:
        keys = self.partition_keys
        if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
            raise InvalidDefinitionError(f"Static partition keys must be a list of str; got {keys!r}.")
        if type(keys) is not tuple:
            msgspec.structs.force_setattr(self, "partition_keys", tuple(keys))
        for key in keys:
            bad = [s for s in INVALID_PARTITION_SUBSTRINGS if s in key]
            if bad:
                raise InvalidDefinitionError(
                    f'{bad} are invalid substrings in a partition key (found in {key!r}): "..." separates '
                    "the ends of a partition range."
                )
        if len(set(keys)) != len(keys):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            raise InvalidDefinitionError(f"Static partition keys must be unique; repeated: {dupes}.")

    def get_partition_keys(self) -> list[str]:
        return list(self.partition_keys)


class TimeWindowPartitionsSpec(_Spec, tag="time_window", frozen=True):
    """Windows between consecutive ticks of ``cron_schedule`` from ``start`` up to ``end``.

    ``start`` and ``end`` are UNIX timestamps (seconds); ``end`` is exclusive, None for no end (the
    last window is the latest complete one, moved by ``end_offset`` windows). Ticks are read in
    ``timezone``; a key is a window's start formatted with ``fmt`` (``strftime``). The minute, hour and
    day offsets of Dagster's daily/weekly/monthly definitions are part of ``cron_schedule``
    (``"15 2 * * *"``), as in Dagster. Keys, windows and ranges are computed from this spec alone by
    ``headwater.selection.partition_keys``.
    """

    cron_schedule: str
    start: float
    fmt: str
    timezone: str = "UTC"
    end: float | None = None
    end_offset: int = 0

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise InvalidDefinitionError(
                f"A time window partitions end ({self.end}) must be after its start ({self.start})."
            )


class DynamicPartitionsSpec(_Spec, tag="dynamic", frozen=True):
    """Partition keys kept in storage under ``name``, added and removed at run time."""

    name: str | None = None


class PartitionDimensionSpec(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One named dimension of a multi-partitioned asset."""

    name: str
    partitions: StaticPartitionsSpec | TimeWindowPartitionsSpec | DynamicPartitionsSpec


class MultiPartitionsSpec(_Spec, tag="multi", frozen=True):
    """Two named dimensions; a key is one key of each (``"2024-01-01|east"``, in dimension name order)."""

    dimensions: tuple[PartitionDimensionSpec, ...]

    def __post_init__(self) -> None:
        names = [d.name for d in self.dimensions]
        if len(names) != 2 or len(set(names)) != 2:
            raise InvalidDefinitionError(
                f"A multi-partitions spec needs exactly two dimensions with distinct names; got {names}."
            )
        for dim in self.dimensions:
            if not isinstance(
                dim.partitions, (StaticPartitionsSpec, TimeWindowPartitionsSpec, DynamicPartitionsSpec)
            ):
                raise InvalidDefinitionError(
                    f"Dimension {dim.name!r} must be static, time window or dynamic partitions; "
                    f"got {type(dim.partitions).__name__}."
                )
        ordered = tuple(sorted(self.dimensions, key=lambda d: d.name))
        if ordered != self.dimensions:
            msgspec.structs.force_setattr(self, "dimensions", ordered)

    @property
    def dimension_names(self) -> list[str]:
        return [d.name for d in self.dimensions]

    def key(self, keys_by_dimension: dict[str, str]) -> str:
        """The multi-partition key of one key per dimension."""
        if set(keys_by_dimension) != set(self.dimension_names):
            raise InvalidDefinitionError(
                f"A multi-partition key needs a key for each of {self.dimension_names}; "
                f"got {sorted(keys_by_dimension)}."
            )
        return MULTI_KEY_DELIMITER.join(keys_by_dimension[name] for name in self.dimension_names)

    def get_partition_keys(self, dimension_keys: dict[str, list[str]] | None = None) -> list[str]:
        """Every key: the product of the dimensions' keys, static ones from the spec, the others from
        ``dimension_keys`` (by dimension name)."""
        given = dimension_keys or {}
        per_dimension: list[list[str]] = []
        for dim in self.dimensions:
            if dim.name in given:
                per_dimension.append(list(given[dim.name]))
            elif isinstance(dim.partitions, StaticPartitionsSpec):
                per_dimension.append(dim.partitions.get_partition_keys())
            else:
                raise InvalidDefinitionError(
                    f"The keys of dimension {dim.name!r} ({type(dim.partitions).__name__}) are not in the "
                    "spec; pass them in dimension_keys."
                )
        return [MULTI_KEY_DELIMITER.join(combo) for combo in itertools.product(*per_dimension)]


#: Any partitions spec (the closed union).
PartitionsSpec = StaticPartitionsSpec | TimeWindowPartitionsSpec | DynamicPartitionsSpec | MultiPartitionsSpec


@runtime_checkable
class HasPartitionsSpec(Protocol):
    """A partitions definition that can describe itself as a spec."""

    def to_partitions_spec(self) -> PartitionsSpec: ...


def partitions_spec_of(partitions_def: Any) -> PartitionsSpec | None:
    """The spec of ``partitions_def``: what its ``to_partitions_spec()`` returns; None when it is None
    or has no such method."""
    to_spec = getattr(partitions_def, "to_partitions_spec", None)
    if to_spec is None:
        return None
    spec = to_spec()
    if not isinstance(
        spec, (StaticPartitionsSpec, TimeWindowPartitionsSpec, DynamicPartitionsSpec, MultiPartitionsSpec)
    ):
        raise InvalidDefinitionError(
            f"{type(partitions_def).__name__}.to_partitions_spec() returned {spec!r}; expected a "
            "StaticPartitionsSpec, TimeWindowPartitionsSpec, DynamicPartitionsSpec or MultiPartitionsSpec."
        )
    return spec


__all__ = [
    "MULTI_KEY_DELIMITER",
    "DynamicPartitionsSpec",
    "HasPartitionsSpec",
    "MultiPartitionsSpec",
    "PartitionDimensionSpec",
    "PartitionsSpec",
    "StaticPartitionsSpec",
    "TimeWindowPartitionsSpec",
    "partitions_spec_of",
]
