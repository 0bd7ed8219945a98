"""A backfill's plan: which runs it needs and in what order -- pure, from specs.

The selected assets are put in **groups**, each materialized by the same runs: assets with the same
partitions and backfill policy, joined by identity mappings, at the same *level*. An asset's level is
its parents' level, one more across a change of partitioning or a mapping other than identity (a
weekly asset under daily ones, a daily asset reading the day before). Every edge between groups so
goes to a higher level, and the groups' order is a dependency order.

Each group's partitions are cut into **requests**, one run each: one partition per run, or -- when
the group's assets declare a ``BackfillPolicy`` -- ranges of consecutive partitions
(``single_run()``: as long as possible, ``multi_run(n)``: at most ``n``). A request depends on the
requests of other groups that hold the parent partitions it reads (the partition mappings of
``selection.partition_mapping``): a weekly partition waits for its seven days.

A run's id is derived from the backfill's id and the request's assets and partitions
(``run_id_for``): creating it twice is refused by the run store, so a backfill interrupted anywhere
resumes without a duplicate run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence

import msgspec

from headwater.core.asset_key import AssetKey
from headwater.selection.partition_keys import DynamicPartitionsStore, partition_keys_for
from headwater.selection.partition_mapping import infer_partition_mapping, upstream_partition_keys
from headwater.specs.asset_graph import AssetGraph
from headwater.specs.job import JobSpec
from headwater.specs.partition_mappings import IdentityPartitionMapping, TimeWindowPartitionMapping

PLAN_FORMAT_VERSION = 1
_RUN_ID_NAMESPACE = uuid.UUID("5f0c2d4e-8a61-4b1e-9a57-6865616477a1")


class BackfillGroup(msgspec.Struct, frozen=True, omit_defaults=True):
    """Assets materialized together, by runs of ``job`` (the asset job over exactly these keys)."""

    asset_keys: tuple[AssetKey, ...]
    job: JobSpec
    level: int = 0


class BackfillRequest(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One run: the group's assets over ``partition_keys`` (empty: not partitioned; several: a range
    run); it waits until the runs of ``depends_on`` (request indexes) have succeeded."""

    group: int
    partition_keys: tuple[str, ...] = ()
    depends_on: tuple[int, ...] = ()

    @property
    def is_range(self) -> bool:
        return len(self.partition_keys) > 1

    def describe(self) -> str:
        keys = self.partition_keys
        if not keys:
            return "(not partitioned)"
        return keys[0] if len(keys) == 1 else f"{keys[0]}...{keys[-1]} ({len(keys)} partitions)"


class BackfillPlan(msgspec.Struct, frozen=True, omit_defaults=True):
    """Every run of a backfill, in a dependency order; stored once (a snapshot) when it is launched."""

    code_pointer: dict[str, str]
    groups: tuple[BackfillGroup, ...]
    requests: tuple[BackfillRequest, ...]

    def run_id_for(self, backfill_id: str, index: int) -> str:
        """The id of request ``index``'s run: the same for the same backfill and partitions."""
        request = self.requests[index]
        assets = ",".join(k.to_user_string() for k in self.groups[request.group].asset_keys)
        keys = request.partition_keys
        span = f"{keys[0]}...{keys[-1]}:{len(keys)}" if keys else "-"
        return str(uuid.uuid5(_RUN_ID_NAMESPACE, f"{backfill_id}|{assets}|{span}"))

    def run_ids(self, backfill_id: str) -> list[str]:
        return [self.run_id_for(backfill_id, i) for i in range(len(self.requests))]

    def partitions_by_asset(self) -> dict[AssetKey, int]:
        """How many partitions of each asset the backfill materializes (1 for an unpartitioned one)."""
        out: dict[AssetKey, int] = {}
        for request in self.requests:
            n = len(request.partition_keys) or 1
            for key in self.groups[request.group].asset_keys:
                out[key] = out.get(key, 0) + n
        return out


def _joins(graph: AssetGraph, parent: AssetKey, child: AssetKey) -> bool:
    """Whether ``child`` can run in the same runs as ``parent``: same partitions and policy, and the
    mapping between them is the identity."""
    p, c = graph.get(parent), graph.get(child)
    if p.partitions != c.partitions or p.backfill_policy != c.backfill_policy:
        return False
    if c.partitions is None:
        return True
    mapping = infer_partition_mapping(c.partition_mapping_for(parent), c.partitions, p.partitions)
    if isinstance(mapping, IdentityPartitionMapping):
        return True
    return (
        isinstance(mapping, TimeWindowPartitionMapping)
        and not mapping.start_offset
        and not mapping.end_offset
    )


def _chunks(all_keys: Sequence[str], chosen: Sequence[str], per_run: int | None) -> list[tuple[str, ...]]:
    """``chosen`` cut into runs of consecutive keys (by their place in ``all_keys``), at most
    ``per_run`` each (None: no limit)."""
    if per_run == 1:
        return [(k,) for k in chosen]
    place = {k: i for i, k in enumerate(all_keys)}
    out: list[tuple[str, ...]] = []
    current: list[str] = []
    last = -2
    for key in chosen:
        i = place[key]
        if current and (i != last + 1 or (per_run is not None and len(current) >= per_run)):
            out.append(tuple(current))
            current = []
        current.append(key)
        last = i
    if current:
        out.append(tuple(current))
    return out


def build_backfill_plan(
    graph: AssetGraph,
    targets: Mapping[AssetKey, tuple[str, ...] | None],
    job_spec_for: Callable[[tuple[AssetKey, ...]], JobSpec],
    code_pointer: Mapping[str, str],
    *,
    now: float | None = None,
    dynamic: DynamicPartitionsStore | None = None,
) -> BackfillPlan:
    """The runs that materialize ``targets`` (asset -> its partition keys, None when unpartitioned);
    ``job_spec_for`` gives the asset job of a group's keys (from the code, or its server)."""
    order = [k for k in graph.toposorted() if k in targets]
    level: dict[AssetKey, int] = {}
    for key in order:
        parents = [p for p in graph.get(key).deps if p in targets]
        level[key] = max((level[p] + (0 if _joins(graph, p, key) else 1) for p in parents), default=0)
    by_group: dict[tuple[int, bytes, bytes], list[AssetKey]] = {}
    for key in order:
        node = graph.get(key)
        ident = (level[key], msgspec.json.encode(node.partitions), msgspec.json.encode(node.backfill_policy))
        by_group.setdefault(ident, []).append(key)
    idents = sorted(by_group, key=lambda i: (i[0], order.index(by_group[i][0])))
    group_of: dict[AssetKey, int] = {}
    groups: list[BackfillGroup] = []
    for gi, ident in enumerate(idents):
        keys = tuple(by_group[ident])
        for key in keys:
            group_of[key] = gi
        groups.append(BackfillGroup(keys, job_spec_for(keys), ident[0]))
    requests: list[BackfillRequest] = []
    index_of: list[dict[str, int]] = []  # per group: partition key -> request index
    for gi, group in enumerate(groups):
        first = graph.get(group.asset_keys[0])
        chosen: list[str] = []
        seen: set[str] = set()
        for key in group.asset_keys:
            for k in targets[key] or ():
                if k not in seen:
                    seen.add(k)
                    chosen.append(k)
        positions: dict[str, int] = {}
        if first.partitions is None:
            pieces: list[tuple[str, ...]] = [()]
        else:
            every = partition_keys_for(first.partitions).keys(now, dynamic)
            rank = {k: i for i, k in enumerate(every)}
            chosen.sort(key=rank.__getitem__)
            policy = first.backfill_policy
            per_run = 1 if policy is None else policy.max_partitions_per_run
            pieces = _chunks(every, chosen, per_run)
        for piece in pieces:
            deps = _depends_on(graph, group, piece, group_of, index_of, requests, now, dynamic)
            for k in piece:
                positions[k] = len(requests)
            requests.append(BackfillRequest(gi, piece, deps))
        index_of.append(positions)
    return BackfillPlan(dict(code_pointer), tuple(groups), tuple(requests))


def _depends_on(
    graph: AssetGraph,
    group: BackfillGroup,
    piece: tuple[str, ...],
    group_of: Mapping[AssetKey, int],
    index_of: Sequence[Mapping[str, int]],
    requests: Sequence[BackfillRequest],
    now: float | None,
    dynamic: DynamicPartitionsStore | None,
) -> tuple[int, ...]:
    deps: set[int] = set()
    members = set(group.asset_keys)
    this_group = group_of[group.asset_keys[0]]
    for key in group.asset_keys:
        node = graph.get(key)
        for parent in node.deps:
            pg = group_of.get(parent)
            if pg is None or parent in members or pg == this_group:
                continue
            upstream = index_of[pg]
            parent_spec = graph.get(parent).partitions
            if parent_spec is None or node.partitions is None or not upstream:
                deps.update(i for i, r in enumerate(requests) if r.group == pg)
                continue
            mapped = upstream_partition_keys(
                node.partition_mapping_for(parent), node.partitions, list(piece), parent_spec, now, dynamic
            )
            deps.update(upstream[k] for k in mapped.keys if k in upstream)
    return tuple(sorted(deps))


__all__ = ["BackfillGroup", "BackfillPlan", "BackfillRequest", "build_backfill_plan"]
