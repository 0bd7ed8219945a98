"""Versioning, staleness and caching (issue 12, items 4 and 6).

* staleness of 10,000 assets after a change of one root: a layered graph (100 layers of 100 assets,
  each reading 3 assets of the layer above), every asset materialized with its provenance on a
  SQLite instance (events written through the event store, as runs write them), then one root
  materialized again with a new data version; timed: ``Instance.get_stale_status_by_asset`` -- one
  read of the asset index plus the one-pass resolve -- warm (the graph's order already computed, as
  in the webserver, where the graph lives as long as the location's spec); the first call (cold) and
  the read and resolve parts are shown beside it;
* a re-run of a 1,000-asset graph (10 layers of 100 assets, each reading 2 of the layer above, all with
  a ``code_version``) on a SQLite instance with the filesystem IO manager: ``materialize`` of the
  whole graph again with nothing changed, with ``skip_unchanged=True`` and without (a full re-run),
  end to end (the one call); the first materialization is not timed.

Headwater only: Dagster has no skip of unchanged steps, and its staleness resolver is private.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from types import ModuleType
from typing import Any

from benchmarks._harness import Case, Outcome, main

WIDTH, DEPTH, FAN_IN = 100, 100, 3
GRAPH_WIDTH, GRAPH_DEPTH = 100, 10


def _stale_graph() -> tuple[Any, list[Any]]:
    from headwater.core.asset_key import AssetKey
    from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec

    nodes = []
    for layer in range(DEPTH):
        for i in range(WIDTH):
            deps = (
                tuple(AssetKey([f"l{layer - 1}", f"n{(i + j) % WIDTH}"]) for j in range(FAN_IN))
                if layer
                else ()
            )
            nodes.append(AssetNodeSpec(AssetKey([f"l{layer}", f"n{i}"]), deps, code_version="1"))
    return AssetGraph(nodes), nodes


def _mat(node: Any, version: str, inputs: dict[Any, str], clock: float) -> Any:
    from headwater.core.asset_events import AssetMaterialization
    from headwater.core.data_version import CODE_VERSION_TAG, DATA_VERSION_TAG, provenance_tags
    from headwater.events.event import Event, EventLogEntry
    from headwater.events.event_type import EventType

    tags = {CODE_VERSION_TAG: "1", DATA_VERSION_TAG: version, **provenance_tags(inputs)}
    event = Event(
        EventType.ASSET_MATERIALIZATION,
        "bench",
        "s",
        event_specific_data=AssetMaterialization(node.key, tags=tags),
    )
    return EventLogEntry("", clock, event, job_name="bench", step_key="s")


def staleness(dg: ModuleType, lib: str) -> Outcome:
    from headwater.core.stale_status import StaleStatus
    from headwater.instance import Instance
    from headwater.selection.staleness import resolve_staleness

    home = tempfile.mkdtemp(prefix="bench-stale-")
    try:
        instance = Instance.local_temp(home)
        graph, nodes = _stale_graph()
        store = instance.event_log_storage
        batch = []
        for node in nodes:
            inputs = {d: (f"v-{d.to_user_string()}", None) for d in node.deps}
            batch.append(_mat(node, f"v-{node.key.to_user_string()}", inputs, time.time()))
            if len(batch) == 1000:
                store.store_events(batch)
                batch = []
        root = nodes[0]
        store.store_events([_mat(root, "changed", {}, time.time())])

        t = time.perf_counter()
        out = instance.get_stale_status_by_asset(graph)
        cold = (time.perf_counter() - t) * 1e3
        warm, cpus, reads, resolves = [], [], [], []
        for _ in range(5):
            t, cpu = time.perf_counter(), time.process_time()
            out = instance.get_stale_status_by_asset(graph)
            warm.append((time.perf_counter() - t) * 1e3)
            cpus.append((time.process_time() - cpu) * 1e3)
            t = time.perf_counter()
            versions = store.get_asset_versions()
            reads.append((time.perf_counter() - t) * 1e3)
            t = time.perf_counter()
            resolve_staleness(graph, versions)
            resolves.append((time.perf_counter() - t) * 1e3)
        stale = sum(1 for s in out.values() if s.status is StaleStatus.STALE)
        assert stale > 5000, stale
        instance.dispose()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {
        "value": statistics.median(warm),
        "cpu ms": statistics.median(cpus),
        "cold ms": cold,
        "read ms": statistics.median(reads),
        "resolve ms": statistics.median(resolves),
        "stale": stale,
    }


def _graph_assets(dg: ModuleType) -> list[Any]:
    assets = []
    for i in range(GRAPH_WIDTH):
        assets.append(dg.asset(name=f"g0_{i}", code_version="1")(lambda: 1))
    for layer in range(1, GRAPH_DEPTH):
        for i in range(GRAPH_WIDTH):
            ins = {
                "x": dg.AssetIn(f"g{layer - 1}_{i}"),
                "y": dg.AssetIn(f"g{layer - 1}_{(i + 1) % GRAPH_WIDTH}"),
            }
            assets.append(dg.asset(name=f"g{layer}_{i}", ins=ins, code_version="1")(lambda x, y: x + y))
    return assets


def _rerun(dg: ModuleType, skip: bool) -> Outcome:
    home = tempfile.mkdtemp(prefix="bench-rerun-")
    try:
        instance = dg.DagsterInstance.local_temp(tempdir=home)
        assets = _graph_assets(dg)
        assert dg.materialize(assets, instance=instance).success
        t, cpu = time.perf_counter(), time.process_time()
        result = dg.materialize(assets, instance=instance, skip_unchanged=skip)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        assert result.success
        skipped = sum(1 for e in result.all_events if e.event_type_value == "STEP_SKIPPED")
        assert skipped == (len(assets) if skip else 0), skipped
        instance.dispose()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {"value": elapsed, "cpu s": cpu, "skipped": skipped}


def rerun_skip_unchanged(dg: ModuleType, lib: str) -> Outcome:
    return _rerun(dg, True)


def rerun_full(dg: ModuleType, lib: str) -> Outcome:
    return _rerun(dg, False)


CASES = [
    Case(
        "staleness of 10,000 assets after one root changed (warm)",
        unit="ms",
        fn=staleness,
        libs=("headwater",),
        extras=("cpu ms", "cold ms", "read ms", "resolve ms", "stale"),
    ),
    Case(
        "re-run of 1,000 assets, nothing changed, skip_unchanged",
        unit="s",
        fn=rerun_skip_unchanged,
        libs=("headwater",),
        extras=("cpu s", "skipped"),
    ),
    Case(
        "full re-run of the same 1,000 assets",
        unit="s",
        fn=rerun_full,
        libs=("headwater",),
        extras=("cpu s",),
    ),
]

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_versioning", "Versioning, staleness and caching", CASES))
