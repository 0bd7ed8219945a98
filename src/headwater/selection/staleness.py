"""Staleness of a whole asset graph from the versions in the asset index, in one pass.

``resolve_staleness`` walks the graph in topological order once, each asset looking only at its own
versions and at its parents' results (memoised), so the cost is O(assets + edges) with no reads: the
caller fetches the versions of every asset in one query (``EventStore.get_asset_versions``).

An asset is MISSING when it has no materialization (a source asset: neither a versioned observation
nor a materialization); a source asset is otherwise FRESH; a materialized asset is STALE when one of
these holds, FRESH otherwise (Dagster's causes and reasons):

- CODE: its definition's ``code_version`` differs from the one its materialization recorded;
- DEPENDENCIES: it has a dependency its materialization did not read, or lost one it did;
- DATA: a dependency's data version differs from the one its materialization recorded (for a
  partitioned dependency: its latest event differs from the one recorded), or a materializable
  dependency is itself STALE ("has stale dependency").

A materialization recorded before versioning (no provenance) is compared by event order: a parent
materialized after it makes it stale. A partitioned asset is FRESH at the asset level, as in Dagster;
its partitions have their own status (``resolve_partition_staleness``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from headwater.core.asset_key import AssetKey
from headwater.core.asset_versions import AssetVersions, VersionRecord
from headwater.core.codec import paused_gc
from headwater.core.stale_status import StaleCause, StaleCauseCategory, StaleStatus
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec
from headwater.specs.partition_mappings import IdentityPartitionMapping

#: The data version of an asset that has none yet (Dagster's DEFAULT_DATA_VERSION).
INITIAL_DATA_VERSION = "INITIAL"

_CODE = StaleCauseCategory.CODE
_DATA = StaleCauseCategory.DATA
_DEPS = StaleCauseCategory.DEPENDENCIES
_NO_CAUSES: tuple[StaleCause, ...] = ()
_NEW_DATA_VERSION = "has a new dependency data version"
_NEW_MATERIALIZATION = "has a new dependency materialization"


class Staleness(NamedTuple):
    """An asset's (or partition's) status, why, and its current data version (None: it has none)."""

    status: StaleStatus
    causes: tuple[StaleCause, ...] = ()
    data_version: str | None = None


def current_record(node: AssetNodeSpec | None, versions: AssetVersions | None) -> VersionRecord | None:
    """The event holding ``node``'s current data version: its latest materialization; for a source
    asset, its latest versioned observation (else a reported materialization)."""
    if versions is None:
        return None
    if node is None:  # an asset the graph does not define: its latest versioned event
        mat, obs = versions.materialized, versions.observed
        if mat is None or obs is None:
            return mat or obs
        return mat if mat.storage_id > obs.storage_id else obs
    if node.is_materializable:
        return versions.materialized
    return versions.observed or versions.materialized


def _version_of(record: VersionRecord | None) -> str | None:
    if record is None:
        return None
    return record.data_version if record.data_version is not None else f"event:{record.storage_id}"


class _Prepared:
    """What a pass needs of a graph, computed once per graph: the topological order, and for each
    asset its parents in the graph (index and user string, sorted) -- so that the pass hashes strings
    and ints, not asset keys."""

    __slots__ = ("dep_names", "deps", "keys", "names", "nodes")

    def __init__(self, graph: AssetGraph) -> None:
        self.keys = graph.toposorted()
        self.nodes = [graph.nodes[k] for k in self.keys]
        self.names = [k.to_user_string() for k in self.keys]
        index = {k: i for i, k in enumerate(self.keys)}
        self.deps: list[tuple[tuple[int, str], ...]] = []
        self.dep_names: list[frozenset[str]] = []
        for node in self.nodes:
            found = sorted((self.names[index[d]], index[d]) for d in node.deps if d in index)
            self.deps.append(tuple((i, name) for name, i in found))
            self.dep_names.append(frozenset(d.to_user_string() for d in node.deps))


_PREPARED: dict[int, tuple[AssetGraph, _Prepared]] = {}


def _prepared(graph: AssetGraph) -> _Prepared:
    found = _PREPARED.get(id(graph))
    if found is not None and found[0] is graph:
        return found[1]
    prepared = _Prepared(graph)
    if len(_PREPARED) >= 8:  # a few graphs are live at a time (one per code location version)
        _PREPARED.pop(next(iter(_PREPARED)))
    _PREPARED[id(graph)] = (graph, prepared)
    return prepared


#: A parent as a cause computation sees it: key, user string, spec, current event, state, partition.
_Dep = tuple[AssetKey, str, AssetNodeSpec, "VersionRecord | None", "Staleness | None", "str | None"]


def resolve_staleness(
    graph: AssetGraph,
    versions: Mapping[AssetKey, AssetVersions],
) -> dict[AssetKey, Staleness]:
    """The staleness of every asset of ``graph`` (see the module docstring)."""
    with paused_gc():  # tens of thousands of small objects, all kept: no heap rescans meanwhile
        return _resolve(graph, versions)


def _resolve(graph: AssetGraph, versions: Mapping[AssetKey, AssetVersions]) -> dict[AssetKey, Staleness]:
    prep = _prepared(graph)
    keys, nodes = prep.keys, prep.nodes
    records = [current_record(n, versions.get(k)) for k, n in zip(keys, nodes, strict=True)]
    states: list[Staleness] = []
    for i, node in enumerate(nodes):
        record = records[i]
        if record is None:
            states.append(Staleness(StaleStatus.MISSING))
            continue
        version = _version_of(record)
        if not node.is_materializable or node.partitions is not None:
            states.append(Staleness(StaleStatus.FRESH, _NO_CAUSES, version))
            continue
        deps: list[_Dep] = [
            (keys[j], name, nodes[j], records[j], states[j], None) for j, name in prep.deps[i]
        ]
        causes = _causes(node, record, deps, prep.dep_names[i], None)
        states.append(Staleness(StaleStatus.STALE if causes else StaleStatus.FRESH, causes, version))
    return dict(zip(keys, states, strict=True))


def _causes(
    node: AssetNodeSpec,
    record: VersionRecord,
    deps: list[_Dep],
    dep_names: frozenset[str],
    partition: str | None,
) -> tuple[StaleCause, ...]:
    """Why the materialization ``record`` of ``node`` (``partition``) is stale, given its parents in
    the graph (sorted by name); () when it is not."""
    key = node.key
    causes: list[StaleCause] = []
    provenance = record.has_provenance
    inputs = record.inputs
    if provenance:
        if node.code_version is not None and node.code_version != record.code_version:
            causes.append(StaleCause(key, _CODE, "has a new code version", None, partition))
        if inputs and not dep_names.issuperset(inputs):
            for name in sorted(set(inputs) - dep_names):
                reason = f"removed dependency on {name}"
                causes.append(StaleCause(key, _DEPS, reason, AssetKey.from_user_string(name), partition))
    for dep, name, dep_node, dep_record, dep_state, dep_partition in deps:
        if provenance:
            recorded = inputs.get(name)
            if recorded is None:
                reason = f"has a new dependency on {name}"
                causes.append(StaleCause(key, _DEPS, reason, dep, partition, dep_partition))
            elif dep_node.partitions is not None and dep_partition is None:
                # A partitioned parent read as a whole: compare its latest event (as Dagster does).
                recorded_id = record.input_ids.get(name)
                newer = dep_record is not None and dep_record.storage_id != recorded_id
                if newer and recorded_id is not None:
                    causes.append(StaleCause(key, _DATA, _NEW_MATERIALIZATION, dep, partition))
            elif recorded != (_version_of(dep_record) or INITIAL_DATA_VERSION):
                reported = (  # as Dagster words it: a source asset's version is always reported
                    not dep_node.is_materializable
                    or dep_node.code_version is not None
                    or (dep_record is not None and dep_record.user_provided)
                )
                reason = _NEW_DATA_VERSION if reported else _NEW_MATERIALIZATION
                causes.append(StaleCause(key, _DATA, reason, dep, partition, dep_partition))
        elif dep_record is not None and dep_record.storage_id > record.storage_id:
            causes.append(StaleCause(key, _DATA, _NEW_MATERIALIZATION, dep, partition, dep_partition))
        if dep_state is not None and dep_state.status is StaleStatus.STALE and dep_node.is_materializable:
            causes.append(StaleCause(key, _DATA, "has stale dependency", dep, partition, dep_partition))
    return tuple(causes) if causes else _NO_CAUSES


def same_partitions(graph: AssetGraph, node: AssetNodeSpec, dep: AssetKey) -> bool:
    """Whether partition p of ``node`` reads partition p of ``dep`` (same partitions, identity mapping)."""
    dep_node = graph.nodes.get(dep)
    if dep_node is None or dep_node.partitions is None or dep_node.partitions != node.partitions:
        return False
    mapping = node.partition_mapping_for(dep)
    return mapping is None or isinstance(mapping, IdentityPartitionMapping)


class PartitionStaleness:
    """Staleness of partitions, memoised across assets: partition p of an asset looks at partition p
    of each parent with the same partitions (identity mapping), and at the asset-level state of the
    other parents (unpartitioned ones, or a partitioned one read as a whole)."""

    def __init__(
        self,
        graph: AssetGraph,
        asset_staleness: Mapping[AssetKey, Staleness],
        asset_versions: Mapping[AssetKey, AssetVersions],
        partition_versions: Callable[[AssetKey], Mapping[str, AssetVersions]],
    ) -> None:
        self._graph = graph
        self._assets = asset_staleness
        self._records = {k: current_record(n, asset_versions.get(k)) for k, n in graph.nodes.items()}
        self._fetch = partition_versions
        self._versions: dict[AssetKey, Mapping[str, AssetVersions]] = {}
        self._memo: dict[tuple[AssetKey, str], Staleness] = {}

    def versions_of(self, key: AssetKey) -> Mapping[str, AssetVersions]:
        found = self._versions.get(key)
        if found is None:
            found = self._versions[key] = self._fetch(key)
        return found

    def get(self, key: AssetKey, partition: str) -> Staleness:
        """The staleness of ``partition`` of ``key`` (its parents first, without recursion)."""
        pending = [(key, partition)]
        while pending:
            k, p = pending[-1]
            if (k, p) in self._memo:
                pending.pop()
                continue
            node = self._graph.get(k)
            todo = [
                (d, p)
                for d in node.deps
                if same_partitions(self._graph, node, d) and (d, p) not in self._memo
            ]
            if todo:
                pending.extend(todo)
                continue
            pending.pop()
            self._memo[(k, p)] = self._resolve(node, p)
        return self._memo[(key, partition)]

    def _resolve(self, node: AssetNodeSpec, partition: str) -> Staleness:
        record = current_record(node, self.versions_of(node.key).get(partition))
        version = _version_of(record)
        if record is None:
            return Staleness(StaleStatus.MISSING)
        if not node.is_materializable:
            return Staleness(StaleStatus.FRESH, _NO_CAUSES, version)
        graph = self._graph
        deps: list[_Dep] = []
        for dep in sorted((d for d in node.deps if d in graph.nodes), key=AssetKey.to_user_string):
            dep_node = graph.nodes[dep]
            name = dep.to_user_string()
            if same_partitions(graph, node, dep):
                dep_record = current_record(dep_node, self.versions_of(dep).get(partition))
                deps.append((dep, name, dep_node, dep_record, self._memo.get((dep, partition)), partition))
            else:
                deps.append((dep, name, dep_node, self._records.get(dep), self._assets.get(dep), None))
        dep_names = frozenset(d.to_user_string() for d in node.deps)
        causes = _causes(node, record, deps, dep_names, partition)
        return Staleness(StaleStatus.STALE if causes else StaleStatus.FRESH, causes, version)

    def all(self, key: AssetKey, partitions: Iterable[str]) -> dict[str, Staleness]:
        return {p: self.get(key, p) for p in partitions}
