"""Partition keys from a partitions spec alone: list them, test one, expand a range, and say what
exists when a key does not — so the webserver and the daemon can do it without user code.

``partition_keys_for(spec)`` returns the compiled form of a spec (kept, so repeated calls are cheap):

* static: the spec's keys;
* time window: ``selection.time_window_keys`` (windows of a cron schedule, Dagster's semantics);
* dynamic: the keys stored under the spec's name, read through a ``DynamicPartitionsStore`` (the
  instance);
* multi: the product of the two dimensions' keys, dimensions in name order (``"red|2024-01-01"``).

``now`` is a UNIX timestamp (default: the current time); it only matters for time windows without
an end.
"""

from __future__ import annotations

import difflib
import itertools
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from headwater.core.partition_keys import MULTIPARTITION_KEY_DELIMITER, MultiPartitionKey, TimeWindow
from headwater.errors import InvalidInvocationError, UnknownPartitionError
from headwater.selection.time_window_keys import TimeWindowKeys
from headwater.specs.partitions import (
    DynamicPartitionsSpec,
    MultiPartitionsSpec,
    PartitionsSpec,
    StaticPartitionsSpec,
    TimeWindowPartitionsSpec,
)

_SHOWN = 5  # keys quoted in a message


class DynamicPartitionsStore(Protocol):
    """Where dynamic partition keys are kept (the instance)."""

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]: ...

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool: ...


class PartitionKeys(ABC):
    """The keys of one partitions spec (one subclass per kind of partitions)."""

    spec: PartitionsSpec

    @abstractmethod
    def keys(self, now: float | None = None, dynamic: DynamicPartitionsStore | None = None) -> list[str]:
        """Every key, in order."""

    def has_key(
        self, key: str, now: float | None = None, dynamic: DynamicPartitionsStore | None = None
    ) -> bool:
        return key in self.keys(now, dynamic)

    def describe(self, now: float | None = None, dynamic: DynamicPartitionsStore | None = None) -> str:
        """What exists, for messages: the kind of partitions, the first and last keys, how many."""
        return f"{self.kind()} ({_summary(self.keys(now, dynamic))})"

    @abstractmethod
    def kind(self) -> str:
        """The kind of partitions, for messages ("daily partitions from 2024-01-01"...)."""

    def keys_in_range(
        self,
        start: str,
        end: str,
        now: float | None = None,
        dynamic: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The keys from ``start`` through ``end`` in the spec's order; both must exist, start first."""
        keys = self.keys(now, dynamic)
        missing = [k for k in dict.fromkeys((start, end)) if not self.has_key(k, now, dynamic)]
        if missing:
            raise InvalidInvocationError(
                f"Partition range {start} to {end} is not a valid range. Nonexistent partition keys: "
                f"{missing}. The partitions are {self.kind()} ({_summary(keys)})."
            )
        i, j = keys.index(start), keys.index(end)
        if i > j:
            raise InvalidInvocationError(
                f"Partition range {start} to {end} is not a valid range: its start comes after its end "
                f"in the partitions' order ({self.kind()}). Swap them: {end}...{start}."
            )
        return keys[i : j + 1]

    def check_key(
        self,
        key: str,
        owner: str,
        now: float | None = None,
        dynamic: DynamicPartitionsStore | None = None,
    ) -> None:
        """Raise UnknownPartitionError naming ``owner`` (e.g. "asset 'daily_sales'") unless ``key`` exists."""
        if not isinstance(key, str):
            raise UnknownPartitionError(
                f"A partition key must be a str; got {key!r} ({type(key).__name__}) for {owner}."
            )
        if self.has_key(key, now, dynamic):
            return
        keys = self.keys(now, dynamic)
        close = difflib.get_close_matches(key, keys, n=1) if len(keys) <= 5000 else []
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise UnknownPartitionError(
            f"Could not find a partition with key `{key}` in {owner}: its partitions are {self.kind()} "
            f"({_summary(keys)}).{hint}"
        )


def _summary(keys: Sequence[str]) -> str:
    if not keys:
        return "no keys yet"
    if len(keys) <= _SHOWN:
        return f"{len(keys)} key{'s' if len(keys) != 1 else ''}: " + ", ".join(repr(k) for k in keys)
    return f"{len(keys)} keys, from {keys[0]!r} to {keys[-1]!r}"


class StaticKeys(PartitionKeys):
    spec: StaticPartitionsSpec

    def __init__(self, spec: StaticPartitionsSpec) -> None:
        self.spec = spec
        self._keys = list(spec.partition_keys)
        self._set: frozenset[str] | None = None

    def keys(self, now: float | None = None, dynamic: DynamicPartitionsStore | None = None) -> list[str]:
        return list(self._keys)

    def has_key(
        self, key: str, now: float | None = None, dynamic: DynamicPartitionsStore | None = None
    ) -> bool:
        if self._set is None:
            self._set = frozenset(self._keys)
        return key in self._set

    def kind(self) -> str:
        return "static partitions"


class DynamicKeys(PartitionKeys):
    spec: DynamicPartitionsSpec

    def __init__(self, spec: DynamicPartitionsSpec) -> None:
        self.spec = spec

    def _store(self, dynamic: DynamicPartitionsStore | None) -> tuple[str, DynamicPartitionsStore]:
        name = self.spec.name
        if name is None:
            raise InvalidInvocationError(
                "These dynamic partitions have no name (a partition_fn defines them), so only the code "
                "that defines them can list their keys. Give the DynamicPartitionsDefinition a name."
            )
        if dynamic is None:
            raise InvalidInvocationError(
                f"The keys of dynamic partitions {name!r} are stored in an instance; pass one "
                "(dynamic_partitions_store=instance, or context.instance inside a run)."
            )
        return name, dynamic

    def keys(self, now: float | None = None, dynamic: DynamicPartitionsStore | None = None) -> list[str]:
        name, store = self._store(dynamic)
        return list(store.get_dynamic_partitions(name))

    def has_key(
        self, key: str, now: float | None = None, dynamic: DynamicPartitionsStore | None = None
    ) -> bool:
        name, store = self._store(dynamic)
        return bool(store.has_dynamic_partition(name, key))

    def kind(self) -> str:
        return f"dynamic partitions {self.spec.name!r}"


class TimeKeys(PartitionKeys):
    spec: TimeWindowPartitionsSpec

    def __init__(self, spec: TimeWindowPartitionsSpec) -> None:
        self.spec = spec
        self.windows = TimeWindowKeys(spec)

    def keys(self, now: float | None = None, dynamic: DynamicPartitionsStore | None = None) -> list[str]:
        return self.windows.keys(time.time() if now is None else now)

    def has_key(
        self, key: str, now: float | None = None, dynamic: DynamicPartitionsStore | None = None
    ) -> bool:
        return self.windows.has_key(key, time.time() if now is None else now)

    def kind(self) -> str:
        spec = self.spec
        return f"time windows of '{spec.cron_schedule}' in {spec.timezone}, keys formatted '{spec.fmt}'"

    def time_window(self, key: str) -> TimeWindow:
        return self.windows.time_window(key)

    def keys_in_range(
        self,
        start: str,
        end: str,
        now: float | None = None,
        dynamic: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """As the base class, without listing every key: the windows from start's through end's."""
        at = time.time() if now is None else now
        first, last = self.windows.tick_of_key(start, at), self.windows.tick_of_key(end, at)
        if first is None or last is None or first > last:
            return super().keys_in_range(start, end, at, dynamic)  # raises: a missing key, or start after end
        return self.windows.keys_between(first, last)


class MultiKeys(PartitionKeys):
    spec: MultiPartitionsSpec

    def __init__(self, spec: MultiPartitionsSpec) -> None:
        self.spec = spec
        self.names = [d.name for d in spec.dimensions]
        self.dimensions = [partition_keys_for(d.partitions) for d in spec.dimensions]

    def keys(self, now: float | None = None, dynamic: DynamicPartitionsStore | None = None) -> list[str]:
        per_dim = [d.keys(now, dynamic) for d in self.dimensions]
        a, b = self.names
        return [MultiPartitionKey({a: x, b: y}) for x, y in itertools.product(*per_dim)]

    def split(self, key: str) -> dict[str, str] | None:
        """The dimension keys of ``key`` (a MultiPartitionKey or its string form); None if malformed."""
        if isinstance(key, MultiPartitionKey):
            return key.keys_by_dimension
        parts = key.split(MULTIPARTITION_KEY_DELIMITER)
        if len(parts) != len(self.names):
            return None
        return dict(zip(self.names, parts, strict=True))

    def to_key(self, key: str) -> MultiPartitionKey:
        parts = self.split(key)
        if parts is None:
            raise UnknownPartitionError(
                f"{key!r} is not a key of multi-partitions with dimensions {self.names}: expected one key "
                f"per dimension joined by '|', in dimension-name order ({'|'.join(self.names)})."
            )
        return MultiPartitionKey(parts)

    def has_key(
        self, key: str, now: float | None = None, dynamic: DynamicPartitionsStore | None = None
    ) -> bool:
        parts = self.split(key)
        if parts is None or set(parts) != set(self.names):
            return False
        return all(
            d.has_key(parts[n], now, dynamic) for n, d in zip(self.names, self.dimensions, strict=True)
        )

    def keys_in_range(
        self,
        start: str,
        end: str,
        now: float | None = None,
        dynamic: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        a, b = self.to_key(start).keys_by_dimension, self.to_key(end).keys_by_dimension
        per_dim = [
            d.keys_in_range(a[n], b[n], now, dynamic)
            for n, d in zip(self.names, self.dimensions, strict=True)
        ]
        x, y = self.names
        return [MultiPartitionKey({x: k1, y: k2}) for k1, k2 in itertools.product(*per_dim)]

    def kind(self) -> str:
        inner = " and ".join(f"{n} ({d.kind()})" for n, d in zip(self.names, self.dimensions, strict=True))
        return f"multi-partitions with dimensions {inner}"

    def describe(self, now: float | None = None, dynamic: DynamicPartitionsStore | None = None) -> str:
        return self.kind()


_COMPILED: dict[int, tuple[PartitionsSpec, PartitionKeys]] = {}


def partition_keys_for(spec: PartitionsSpec) -> PartitionKeys:
    """The compiled keys of ``spec`` (kept per spec object, so its caches are reused)."""
    entry = _COMPILED.get(id(spec))
    if entry is not None and entry[0] is spec:
        return entry[1]
    compiled: PartitionKeys
    if isinstance(spec, StaticPartitionsSpec):
        compiled = StaticKeys(spec)
    elif isinstance(spec, TimeWindowPartitionsSpec):
        compiled = TimeKeys(spec)
    elif isinstance(spec, DynamicPartitionsSpec):
        compiled = DynamicKeys(spec)
    else:
        compiled = MultiKeys(spec)
    if len(_COMPILED) > 1024:
        _COMPILED.clear()
    _COMPILED[id(spec)] = (spec, compiled)  # holds spec, so its id is not reused while cached
    return compiled


def get_partition_keys(
    spec: PartitionsSpec, now: float | None = None, dynamic: DynamicPartitionsStore | None = None
) -> list[str]:
    return partition_keys_for(spec).keys(now, dynamic)


def has_partition_key(
    spec: PartitionsSpec, key: str, now: float | None = None, dynamic: DynamicPartitionsStore | None = None
) -> bool:
    return partition_keys_for(spec).has_key(key, now, dynamic)


__all__ = [
    "DynamicKeys",
    "DynamicPartitionsStore",
    "MultiKeys",
    "PartitionKeys",
    "StaticKeys",
    "TimeKeys",
    "get_partition_keys",
    "has_partition_key",
    "partition_keys_for",
]
