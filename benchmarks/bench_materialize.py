"""Materializing a 500-asset chain of trivial assets: in memory, and on a persistent SQLite instance.

Per step is the wall time of the one ``materialize`` call over the number of assets (its CPU time,
less sensitive to a loaded machine, is shown too). Each process first materializes a 3-asset chain
(on its own instance), so imports are not counted; import time is ``bench_import``'s. On SQLite the
stored rows (every table of every ``.db`` file under the instance directory) and bytes are counted
after the run, less what the new instance held before it; "files" are the other files written (the
IO manager's pickles; Dagster also keeps captured compute logs).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from types import ModuleType

from benchmarks._harness import Case, Outcome, main, per_step
from benchmarks._workloads import asset_chain, plain_loop, stored

N = 500


def in_memory(dg: ModuleType, lib: str) -> Outcome:
    assert dg.materialize_to_memory(asset_chain(dg, 3)).success
    assets = asset_chain(dg, N)
    t, cpu = time.perf_counter(), time.process_time()
    result = dg.materialize_to_memory(assets)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    assert result.success
    return {"value": per_step(elapsed, N), "cpu ms/step": per_step(cpu, N)}


def on_sqlite(dg: ModuleType, lib: str) -> Outcome:
    warm, home = tempfile.mkdtemp(prefix="bench-warm-"), tempfile.mkdtemp(prefix="bench-sqlite-")
    try:
        instance = dg.DagsterInstance.local_temp(tempdir=warm)
        assert dg.materialize(asset_chain(dg, 3), instance=instance).success
        instance.dispose()

        assets = asset_chain(dg, N)
        instance = dg.DagsterInstance.local_temp(tempdir=home)
        before = stored(home)
        t, cpu = time.perf_counter(), time.process_time()
        result = dg.materialize(assets, instance=instance)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        assert result.success
        instance.dispose()
        after = stored(home)
    finally:
        shutil.rmtree(warm, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    return {
        "value": per_step(elapsed, N),
        "cpu ms/step": per_step(cpu, N),
        "rows/step": (after["rows"] - before["rows"]) / N,
        "db B/step": (after["db_bytes"] - before["db_bytes"]) / N,
        "files B/step": (after["other_bytes"] - before["other_bytes"]) / N,
    }


def floor(dg: ModuleType, lib: str) -> Outcome:
    t = time.perf_counter()
    for _ in range(1000):
        plain_loop(N)
    return {"value": (time.perf_counter() - t) * 1e6 / (1000 * N)}


CASES = [
    Case(
        f"materialize_to_memory, {N}-asset chain",
        unit="ms/step",
        fn=in_memory,
        timeout=120,
        extras=("cpu ms/step",),
    ),
    Case(
        f"materialize on SQLite, {N}-asset chain",
        unit="ms/step",
        fn=on_sqlite,
        timeout=180,
        dagster_runs=3,
        extras=("cpu ms/step", "rows/step", "db B/step", "files B/step"),
    ),
    Case("floor: plain Python loop, same functions", unit="µs/step", fn=floor, libs=("headwater",)),
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_materialize", f"materialize a {N}-asset chain", CASES))
