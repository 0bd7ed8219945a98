"""The multiprocess executor: parallel sleeping steps, and the overhead per trivial step.

Both sides make the same call, ``execute_job(reconstructable(factory), instance, run_config)``, with
their multiprocess executor, on a persistent (SQLite) instance in a temporary directory; the job
factories are in ``benchmarks._mp_jobs``. The time is the wall time of that call, including starting
the worker processes, after one small warm-up run in the same process (Headwater).

(Until 2026-12-05 Headwater's side called ``execute_in_process``, which since 61fea30 runs in process
as in Dagster: its figures from then to that date measured the in-process executor.)

- ``16 x 0.5 s sleeps + join, max_concurrent=C``: ideal = 16 x 0.5 / C seconds; "x ideal" shows
  the ratio (target for Headwater: within 1.1x).
- ``20-op trivial chain``: every step waits for the one before, so wall time / 20 is the per-step
  overhead of the executor (target for Headwater: < 20 ms/step).
- ``200-op trivial chain`` (Headwater only): the same, with the pool start amortized.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from benchmarks import _mp_jobs as jobs
from benchmarks._harness import Case, Outcome, main, per_step


def _run(dg: ModuleType, factory: Any, concurrency: int) -> float:
    """Seconds for one run of the job ``factory`` builds, through ``execute_job(reconstructable(...))``
    with the multiprocess executor, on a fresh SQLite instance (the same call for both libraries)."""
    tmp = tempfile.mkdtemp(prefix="bench-mp-")
    config = {"execution": {"config": {"max_concurrent": concurrency}}}
    try:
        instance = dg.DagsterInstance.local_temp(tmp)
        target = dg.reconstructable(factory)
        t = time.perf_counter()
        with dg.execute_job(target, instance=instance, run_config=config) as result:
            elapsed = time.perf_counter() - t
            assert result.success
        return elapsed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _factories(lib: str) -> tuple[Any, Any, Any]:
    """The (sleep, 20-chain, 200-chain) job factories of ``lib``."""
    if lib == "dagster":
        return jobs.dagster_sleep_job, jobs.dagster_trivial_chain_job, jobs.dagster_long_chain_job
    return jobs.headwater_sleep_job, jobs.headwater_trivial_chain_job, jobs.headwater_long_chain_job


def _warm_up(dg: ModuleType, lib: str) -> None:
    if lib == "headwater":  # imports and first-run costs out of the figure (Dagster: its own per-step cost)
        _run(dg, _factories(lib)[1], 2)


def sleeps(concurrency: int) -> Callable[[ModuleType, str], Outcome]:
    ideal = jobs.SLEEP_STEPS * jobs.SLEEP_SECONDS / concurrency

    def case(dg: ModuleType, lib: str) -> Outcome:
        _warm_up(dg, lib)
        elapsed = _run(dg, _factories(lib)[0], concurrency)
        return {"value": elapsed, "x_ideal": elapsed / ideal}

    return case


def chain(n: int) -> Callable[[ModuleType, str], Outcome]:
    def case(dg: ModuleType, lib: str) -> Outcome:
        _warm_up(dg, lib)
        factory = _factories(lib)[1 if n == jobs.TRIVIAL_CHAIN else 2]
        elapsed = _run(dg, factory, 2)
        return {"value": per_step(elapsed, n), "total_s": elapsed}

    return case


_S = f"{jobs.SLEEP_STEPS} x {jobs.SLEEP_SECONDS} s sleeps + join"
CASES = [
    Case(f"{_S}, max_concurrent=2", unit="s", fn=sleeps(2), extras=("x_ideal",), dagster_runs=1),
    Case(f"{_S}, max_concurrent=4", unit="s", fn=sleeps(4), extras=("x_ideal",), dagster_runs=1),
    Case(
        f"{jobs.TRIVIAL_CHAIN}-op trivial chain",
        unit="ms/step",
        fn=chain(jobs.TRIVIAL_CHAIN),
        extras=("total_s",),
        dagster_runs=1,
    ),
    Case(
        f"{jobs.LONG_CHAIN}-op trivial chain",
        unit="ms/step",
        fn=chain(jobs.LONG_CHAIN),
        libs=("headwater",),
        extras=("total_s",),
    ),
]

if __name__ == "__main__":
    sys.exit(
        main(
            "benchmarks.bench_multiprocess",
            "the multiprocess executor (warm pool vs process per step)",
            CASES,
        )
    )
