"""Versions inside a step: the provenance each materialization records, and the skip of an unchanged
step (``skip_unchanged``).

When a step materializes an asset, ``StepVersions`` reads once (one indexed query of the asset index,
``EventStore.get_asset_versions``) the current data version and event id of each of the step's
upstream assets -- for a partitioned run, of the same partition of parents with the same partitions --
and tags the materialization with them (``core.data_version``): its code version, its data version
(reported by the asset, else computed by the IO manager from the stored output, else the logical
version), and the input data versions and event pointers.

``unchanged_step`` decides, before a step runs, whether the run asked to skip unchanged steps (the run
tag ``headwater/skip_unchanged``) and the step's assets are unchanged: each declares a
``code_version`` equal to the one its last materialization recorded, and the current data versions of
its inputs equal the recorded ones. The step is then not run: its outputs are the stored ones, loaded
by the IO manager when downstream steps ask for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from headwater.core.asset_key import AssetKey
from headwater.core.asset_versions import AssetVersions, VersionRecord
from headwater.core.data_version import (
    CODE_VERSION_TAG,
    DATA_VERSION_TAG,
    SKIP_REASON_KEY,
    SKIP_UNCHANGED_TAG,
    compute_logical_data_version,
    data_version_tags,
    provenance_tags,
)
from headwater.selection.staleness import INITIAL_DATA_VERSION, current_record, same_partitions

if TYPE_CHECKING:
    from headwater.execution.run_context import RunContext
    from headwater.execution.step_runner import StepAttempt
    from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec
    from headwater.specs.job import NodeSpec

__all__ = ["SKIP_REASON_KEY", "SKIP_UNCHANGED_TAG", "StepVersions", "Unchanged", "unchanged_step"]

_TRUE = frozenset({"true", "True", "1", "yes"})


def _store(run: RunContext) -> Any:
    """The run's event store, or None where the step worker cannot reach it (a spawned pool worker)."""
    try:
        return run.instance.event_log_storage
    except AttributeError:
        return None


class StepVersions:
    """The upstream versions of one step's assets, read on first use."""

    __slots__ = ("_graph", "_inputs", "_run")

    def __init__(self, run: RunContext) -> None:
        self._run = run
        layer = run.layer
        self._graph: AssetGraph | None = layer.asset_graph if layer is not None else None
        self._inputs: dict[AssetKey, tuple[str, int | None]] | None = None

    def node(self, key: AssetKey) -> AssetNodeSpec | None:
        return self._graph.nodes.get(key) if self._graph is not None else None

    def inputs_of(self, key: AssetKey) -> dict[AssetKey, tuple[str, int | None]]:
        """(data version, event storage id) of each parent of ``key``, as of now."""
        node = self.node(key)
        if node is None or not node.deps:
            return {}
        if self._inputs is None:
            self._inputs = {}
        missing = [d for d in node.deps if d not in self._inputs]
        if missing:
            self._inputs.update(self._read(node, missing))
        return {d: self._inputs[d] for d in node.deps if d in self._inputs}

    def _read(self, node: AssetNodeSpec, deps: list[AssetKey]) -> dict[AssetKey, tuple[str, int | None]]:
        graph = self._graph
        if graph is None:
            return {}
        partition = self._run.partition_key
        by_partition = [d for d in deps if same_partitions(graph, node, d)] if partition is not None else []
        out: dict[AssetKey, tuple[str, int | None]] = {}
        known = self._run.known_versions
        for dep in deps:  # materialized earlier in this run by this process: no query
            dep_node = graph.nodes.get(dep)
            if dep_node is None or not dep_node.is_materializable:
                continue
            if dep in by_partition:
                hit = known.get((dep, partition))
            else:
                hit = known.get((dep, None)) if dep_node.partitions is None else None
            if hit is not None:
                out[dep] = hit
        rest = [d for d in deps if d not in out]
        snapshot = self._run.version_snapshot
        if snapshot is not None and rest:
            # The run's snapshot holds what the run did not change: assets outside the run, and, when
            # every step runs in this process, those of the run it did not materialize (not known).
            layer = self._run.layer
            selected = layer.selected_asset_keys if layer is not None else frozenset()
            single = self._run.single_process
            for dep in rest:
                dep_node = graph.nodes.get(dep)
                if dep in by_partition or (dep_node is not None and dep_node.partitions is not None):
                    continue
                if single or dep not in selected:
                    out[dep] = _version_and_id(current_record(dep_node, snapshot.get(dep)))
            rest = [d for d in rest if d not in out]
        store = _store(self._run) if rest else None
        if store is None:
            return out
        whole = [d for d in rest if d not in by_partition]
        versions: dict[AssetKey, AssetVersions | None] = {}
        if whole:
            versions.update(store.get_asset_versions(whole))
        for dep in rest:
            if dep in by_partition:
                versions[dep] = store.get_asset_partition_versions(dep, [partition]).get(partition)
        for dep in rest:
            out[dep] = _version_and_id(current_record(graph.nodes.get(dep), versions.get(dep)))
        return out

    def code_version(self, key: AssetKey) -> str:
        node = self.node(key)
        return node.code_version if node is not None and node.code_version else self._run.run_id

    def tags(
        self,
        key: AssetKey,
        reported: Any,
        computed: str | None,
        user_tags: Mapping[str, str] | None,
    ) -> dict[str, str]:
        """A materialization's tags, as Dagster writes them, then the user's."""
        code_version = self.code_version(key)
        inputs = self.inputs_of(key)
        tags = {CODE_VERSION_TAG: code_version}
        if reported is not None:
            tags.update(data_version_tags(reported))
        elif computed is not None:
            tags[DATA_VERSION_TAG] = computed
        else:
            logical = compute_logical_data_version(code_version, {k: v for k, (v, _) in inputs.items()})
            tags[DATA_VERSION_TAG] = logical.value
        tags.update(provenance_tags(inputs))
        if user_tags:
            tags.update(user_tags)
        return tags


def _version_and_id(record: VersionRecord | None) -> tuple[str, int | None]:
    if record is None:
        return INITIAL_DATA_VERSION, None
    version = record.data_version if record.data_version is not None else f"event:{record.storage_id}"
    return version, record.storage_id


class Unchanged(NamedTuple):
    """Why a step is skipped: per asset, the data version kept."""

    reason: str
    data_versions: dict[str, str]


def skip_unchanged_requested(run: RunContext) -> bool:
    tags = getattr(run.run, "tags", None) or {}
    return tags.get(SKIP_UNCHANGED_TAG) in _TRUE


def unchanged_step(run: RunContext, attempt: StepAttempt, versions: StepVersions) -> Unchanged | None:
    """The skip of ``attempt``'s step when the run asked for it and its assets are unchanged (see the
    module docstring); None: the step runs."""
    if attempt.retry_number or attempt.instance.mapping_key is not None or not skip_unchanged_requested(run):
        return None
    layer = run.layer
    if layer is None:
        return None
    node_spec: NodeSpec = attempt.node_spec
    selected = attempt.selected_outputs
    keys: list[tuple[AssetKey, str]] = []
    for output in node_spec.outputs:
        if selected is not None and output.name not in selected:
            continue
        if output.check_key is not None:
            continue
        if output.asset_key is None:
            return None  # an op output: nothing records what it was computed from
        keys.append((output.asset_key, output.io_manager_key))
    if not keys:
        return None
    store = _store(run)
    if store is None:
        return None
    if run.version_snapshot is None:  # one read of the job's assets, the first time a step asks
        run.version_snapshot = store.get_asset_versions(list(layer.asset_graph.nodes))
    snapshot = run.version_snapshot
    partition = run.partition_key
    kept: dict[str, str] = {}
    for key, io_key in keys:
        node = versions.node(key)
        if node is None or not node.code_version or node.is_observable:
            return None
        if getattr(run.io_manager(io_key), "keeps_values_in_memory", False):
            return None  # the stored output would not outlive its run
        if node.partitions is not None:
            if partition is None:
                return None
            record = _materialized(store.get_asset_partition_versions(key, [partition]).get(partition))
        else:
            record = _materialized(snapshot.get(key))  # only this step materializes it in the run
        if record is None or record.code_version != node.code_version or record.data_version is None:
            return None
        current = {d.to_user_string(): v for d, (v, _) in versions.inputs_of(key).items()}
        if current != record.inputs:
            return None
        kept[key.to_user_string()] = record.data_version
    return Unchanged("its code version and input data versions equal those of its last materialization", kept)


def _materialized(versions: AssetVersions | None) -> VersionRecord | None:
    return versions.materialized if versions is not None else None
