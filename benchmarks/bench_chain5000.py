"""``materialize_to_memory`` of a 5,000-asset chain: Headwater must succeed; Dagster gets 120 s.

Per step is the wall time of the call (which builds the job, plans and runs it) over 5,000. Python's
default recursion limit is kept; a RecursionError is reported as such.
"""

from __future__ import annotations

import sys
import time
from types import ModuleType

from benchmarks._harness import Case, Outcome, main, per_step, stage
from benchmarks._workloads import asset_chain

N = 5000


def in_memory(dg: ModuleType, lib: str) -> Outcome:
    assert dg.materialize_to_memory(asset_chain(dg, 3)).success
    assets = asset_chain(dg, N)
    t, cpu = time.perf_counter(), time.process_time()
    with stage("materialize_to_memory"):
        result = dg.materialize_to_memory(assets)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    assert result.success
    return {"value": per_step(elapsed, N), "cpu ms/step": per_step(cpu, N), "total s": elapsed}


CASES = [
    Case(
        f"materialize_to_memory, {N}-asset chain",
        unit="ms/step",
        fn=in_memory,
        timeout=300,
        dagster_timeout=120,
        dagster_runs=3,
        extras=("cpu ms/step", "total s"),
    ),
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_chain5000", f"materialize a {N}-asset chain in memory", CASES))
