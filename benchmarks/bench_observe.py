"""Observable source assets: one run observing 200 sources on SQLite (per observation, Headwater and
Dagster), and the daemon's auto-observe tick over a code location of 1,000 sources: the tick that
requests them all (one run of 1,000 observation steps, checked by the code and queued) and an idle tick
(nothing due: the cost the loop adds every 30 s).

The first run of each process observes 3 sources on its own instance, so imports are not counted.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from types import ModuleType
from typing import Any

from benchmarks._harness import Case, Outcome, main, per_step
from benchmarks._locations import InProcessLocation

N = 200
N_TICK = 1000


def sources(dg: ModuleType, n: int, interval: float | None = None) -> list[Any]:
    out = []
    for i in range(n):

        def observe_fn(i: int = i) -> Any:
            return dg.DataVersion(f"v{i}")

        kwargs = {"auto_observe_interval_minutes": interval} if interval else {}
        out.append(dg.SourceAsset(f"src_{i}", observe_fn=observe_fn, **kwargs))
    return out


def _observe(dg: ModuleType, assets: list[Any], instance: Any) -> Any:
    job = dg.define_asset_job("observe_all", dg.AssetSelection.all(include_sources=True))
    defs = dg.Definitions(assets=assets, jobs=[job])
    return defs.resolve_job_def("observe_all").execute_in_process(instance=instance)


def on_sqlite(dg: ModuleType, lib: str) -> Outcome:
    warm, home = tempfile.mkdtemp(prefix="bench-warm-"), tempfile.mkdtemp(prefix="bench-observe-")
    try:
        instance = dg.DagsterInstance.local_temp(tempdir=warm)
        assert _observe(dg, sources(dg, 3), instance).success
        instance.dispose()
        assets = sources(dg, N)
        instance = dg.DagsterInstance.local_temp(tempdir=home)
        t, cpu = time.perf_counter(), time.process_time()
        result = _observe(dg, assets, instance)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        assert result.success
        stored = len(instance.fetch_observations(dg.AssetKey("src_0"), limit=5).records)
        assert stored == 1, stored
        instance.dispose()
    finally:
        shutil.rmtree(warm, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    return {"value": per_step(elapsed, N), "cpu ms/step": per_step(cpu, N)}


def auto_observe_tick(dg: ModuleType, lib: str) -> Outcome:
    import headwater as hw
    from headwater.daemon.auto_observe_tick import AutoObserveTick
    from headwater.daemon.tick_runs import submitter
    from headwater.runs.coordinator import QueuedRunCoordinator
    from headwater.storage.sql import SqlStorage
    from headwater.testing import FakeClock

    home = tempfile.mkdtemp(prefix="bench-tick-")
    try:
        clock = FakeClock(1_700_000_000.0)
        storage = SqlStorage.sqlite(f"{home}/hw.db", clock=clock)
        location = InProcessLocation(hw.Definitions(assets=sources(hw, N_TICK, interval=60)), "bench")
        loop = AutoObserveTick(storage, location, submitter(storage, QueuedRunCoordinator(), None))
        t = time.perf_counter()
        loop.tick(clock())
        requesting = time.perf_counter() - t
        clock.advance(60)
        t = time.perf_counter()
        loop.tick(clock())
        idle = time.perf_counter() - t
        [run] = storage.run_store.get_run_records()
        assert len(run.dagster_run.asset_selection or ()) == N_TICK
        storage.dispose()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {"value": requesting * 1000, "idle tick ms": idle * 1000}


CASES = [
    Case(
        f"observe {N} observable source assets on SQLite, one run",
        unit="ms/observation",
        fn=on_sqlite,
        timeout=180,
        dagster_runs=3,
        extras=("cpu ms/step",),
    ),
    Case(
        f"auto-observe tick requesting {N_TICK} sources (one queued run)",
        unit="ms",
        fn=auto_observe_tick,
        libs=("headwater",),
        extras=("idle tick ms",),
    ),
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_observe", "observable source assets", CASES))
