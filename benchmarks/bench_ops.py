"""A job of 500 trivial ops in a chain, run with ``execute_in_process`` (in memory, in process).

Per step is the wall time of ``execute_in_process`` over the number of ops; each process first runs a
3-op job so imports are not counted.
"""

from __future__ import annotations

import sys
import time
from types import ModuleType

from benchmarks._harness import Case, Outcome, main, per_step
from benchmarks._workloads import op_chain_job

N = 500


def execute(dg: ModuleType, lib: str) -> Outcome:
    assert op_chain_job(dg, 3).execute_in_process().success
    job = op_chain_job(dg, N)
    t, cpu = time.perf_counter(), time.process_time()
    result = job.execute_in_process()
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    assert result.success
    return {"value": per_step(elapsed, N), "cpu ms/step": per_step(cpu, N)}


CASES = [
    Case(
        f"execute_in_process, {N}-op chain", unit="ms/step", fn=execute, timeout=120, extras=("cpu ms/step",)
    )
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_ops", f"a {N}-op job", CASES))
