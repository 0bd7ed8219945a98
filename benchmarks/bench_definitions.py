"""Building definitions for 100 and 5,000 assets, in a chain and in a fan (one root, the rest children).

The figure is the time to build ``Definitions``, resolve the implicit asset job and plan it; making
the asset definitions themselves (the decorators) is shown apart. Python's default recursion limit
is kept: a RecursionError is reported, with the stage it happened in.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from benchmarks._harness import Case, Outcome, main, stage
from benchmarks._workloads import asset_chain, asset_fan, plan_steps

N = 5000
SMALL = 100


def _build(shape: Callable[[ModuleType, int], list[Any]], n: int = N) -> Callable[[ModuleType, str], Outcome]:
    def run(dg: ModuleType, lib: str) -> Outcome:
        t0 = time.perf_counter()
        with stage("asset definitions"):
            assets = shape(dg, n)
        t1, cpu = time.perf_counter(), time.process_time()
        with stage("Definitions"):
            defs = dg.Definitions(assets=assets)
        with stage("implicit asset job"):
            job = defs.resolve_implicit_global_asset_job_def()
        with stage("plan"):
            steps = plan_steps(lib, job)
        t2, cpu = time.perf_counter(), time.process_time() - cpu
        assert steps == n, steps
        return {"value": t2 - t1, "cpu s": cpu, "decorators s": t1 - t0}

    return run


CASES = [
    # The cost every small project, test and code-server start pays: the first Definitions in a process.
    Case(
        f"Definitions + job + plan, {SMALL}-asset chain (first in the process)",
        unit="s",
        fn=_build(asset_chain, SMALL),
        timeout=120,
        dagster_timeout=300,
        extras=("cpu s", "decorators s"),
    ),
    Case(
        f"Definitions + job + plan, {N}-asset chain",
        unit="s",
        fn=_build(asset_chain),
        timeout=120,
        dagster_timeout=300,
        dagster_runs=3,
        extras=("cpu s", "decorators s"),
    ),
    Case(
        f"Definitions + job + plan, {N}-asset fan",
        unit="s",
        fn=_build(asset_fan),
        timeout=120,
        dagster_timeout=300,
        dagster_runs=3,
        extras=("cpu s", "decorators s"),
    ),
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_definitions", f"definitions for {SMALL} and {N} assets", CASES))
