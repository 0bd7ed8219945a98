"""Which partitions of each selected asset a backfill materializes: pure, from specs and statuses.

``PartitionChoice`` says what the user asked for: a range (``START...END``), a list of keys, every
partition, the missing ones (never materialized, or whose latest attempt failed) or the failed ones.

``target_partitions`` applies it to each selected asset, parents first. A range or a list of keys is
taken as the asset's own keys when it has them; an asset partitioned differently (a weekly asset under
daily ones) gets the partitions that read the chosen partitions of its parents in the selection,
through the partition mappings. Anything else is an error naming the asset, the key and what exists,
raised before a backfill or a run is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import msgspec

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidInvocationError, UnknownPartitionError
from headwater.selection.partition_keys import DynamicPartitionsStore, partition_keys_for
from headwater.selection.partition_mapping import upstream_partition_keys
from headwater.selection.partition_status import AssetPartitionStatus
from headwater.specs.asset_graph import AssetGraph

RANGE_SEPARATOR = "..."
KINDS = ("range", "keys", "all", "missing", "failed")


class PartitionChoice(msgspec.Struct, frozen=True, omit_defaults=True):
    """What to backfill: ``kind`` is one of "range" (``start``..``end``, inclusive), "keys", "all",
    "missing" (not materialized, or failed) or "failed"."""

    kind: str
    start: str | None = None
    end: str | None = None
    keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInvocationError(
                f"Unknown partition choice {self.kind!r}: one of {', '.join(KINDS)}."
            )
        if self.kind == "range" and (not self.start or not self.end):
            raise InvalidInvocationError("A partition range needs a start and an end key: START...END.")
        if self.kind == "keys" and not self.keys:
            raise InvalidInvocationError("Name at least one partition key to backfill.")

    @staticmethod
    def parse(text: str) -> PartitionChoice:
        """``START...END`` (a range), or keys separated by commas."""
        if RANGE_SEPARATOR in text:
            start, _, end = text.partition(RANGE_SEPARATOR)
            if not start or not end or RANGE_SEPARATOR in end:
                raise InvalidInvocationError(
                    f"{text!r} is not a partition range: write START...END with two existing keys, "
                    "e.g. 2024-01-01...2024-12-31."
                )
            return PartitionChoice("range", start=start.strip(), end=end.strip())
        keys = tuple(k.strip() for k in text.split(",") if k.strip())
        if not keys:
            raise InvalidInvocationError(
                f"{text!r} names no partition: write START...END or keys separated by commas."
            )
        return PartitionChoice("keys", keys=keys)

    def describe(self) -> str:
        if self.kind == "range":
            return f"{self.start}{RANGE_SEPARATOR}{self.end}"
        if self.kind == "keys":
            shown = ", ".join(self.keys[:5])
            return shown + (f" (+{len(self.keys) - 5} more)" if len(self.keys) > 5 else "")
        return self.kind


StatusReader = Callable[[AssetKey], Mapping[str, AssetPartitionStatus]]


def target_partitions(
    graph: AssetGraph,
    asset_keys: Sequence[AssetKey],
    choice: PartitionChoice,
    *,
    statuses: StatusReader,
    now: float | None = None,
    dynamic: DynamicPartitionsStore | None = None,
) -> dict[AssetKey, tuple[str, ...] | None]:
    """The partition keys to materialize for each of ``asset_keys`` (None: not partitioned), in the
    partitions' order. Raises ``UnknownPartitionError``/``InvalidInvocationError`` naming the asset."""
    wanted = set(asset_keys)
    out: dict[AssetKey, tuple[str, ...] | None] = {}
    for key in graph.toposorted():
        if key not in wanted:
            continue
        spec = graph.get(key).partitions
        if spec is None:
            out[key] = None
            continue
        keys = partition_keys_for(spec)
        owner = f"asset '{key.to_user_string()}'"
        if choice.kind in ("all", "missing", "failed"):
            every = keys.keys(now, dynamic)
            if choice.kind == "all":
                out[key] = tuple(every)
                continue
            found = statuses(key)
            if choice.kind == "failed":
                out[key] = tuple(k for k in every if found.get(k) is AssetPartitionStatus.FAILED)
            else:
                out[key] = tuple(k for k in every if found.get(k) in (None, AssetPartitionStatus.FAILED))
            continue
        own_error: Exception | None = None
        try:
            if choice.kind == "range":
                assert choice.start is not None and choice.end is not None
                out[key] = tuple(keys.keys_in_range(choice.start, choice.end, now, dynamic))
            else:
                for k in choice.keys:
                    keys.check_key(k, owner, now, dynamic)
                order = {k: i for i, k in enumerate(keys.keys(now, dynamic))}
                out[key] = tuple(sorted(set(choice.keys), key=order.__getitem__))
            continue
        except (InvalidInvocationError, UnknownPartitionError) as exc:
            if choice.kind == "range" and "start comes after its end" in str(exc):
                raise InvalidInvocationError(f"Backfill of {owner}: {exc}") from exc
            own_error = exc
        derived = _from_parents(graph, key, out, now, dynamic)
        if derived is None:
            raise type(own_error)(
                f"Cannot backfill {owner} with partitions {choice.describe()}: {own_error} No parent of "
                "it in the selection maps partitions to it either: choose keys of its own, or select its "
                "parents."
            )
        out[key] = derived
    return out


def _from_parents(
    graph: AssetGraph,
    key: AssetKey,
    chosen: Mapping[AssetKey, tuple[str, ...] | None],
    now: float | None,
    dynamic: DynamicPartitionsStore | None,
) -> tuple[str, ...] | None:
    """The partitions of ``key`` that read a chosen partition of a parent in the selection (None when
    no partitioned parent is in the selection)."""
    node = graph.get(key)
    spec = node.partitions
    assert spec is not None
    parents = [p for p in node.deps if chosen.get(p) is not None]
    if not parents:
        return None
    picked: list[str] = []
    for candidate in partition_keys_for(spec).keys(now, dynamic):
        for parent in parents:
            parent_spec = graph.get(parent).partitions
            assert parent_spec is not None
            mapping = node.partition_mapping_for(parent)
            ups = upstream_partition_keys(mapping, spec, [candidate], parent_spec, now, dynamic)
            chosen_keys = _as_set(chosen, parent)
            if any(k in chosen_keys for k in ups.keys):
                picked.append(candidate)
                break
    return tuple(picked)


_SETS: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}


def _as_set(chosen: Mapping[AssetKey, tuple[str, ...] | None], key: AssetKey) -> frozenset[str]:
    keys = chosen[key] or ()
    entry = _SETS.get(id(keys))
    if entry is None or entry[0] is not keys:
        entry = (keys, frozenset(keys))
        if len(_SETS) > 64:
            _SETS.clear()
        _SETS[id(keys)] = entry
    return entry[1]


__all__ = ["PartitionChoice", "StatusReader", "target_partitions"]
