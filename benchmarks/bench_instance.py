"""Opening an ephemeral instance: ``DagsterInstance.ephemeral()`` (Headwater: SQLite in memory).

* warm: the median of 200 opens in one process, after a first one (imports, and Headwater's schema
  template, made once per process); "with dispose" is open + dispose.
* first in a process: the first ``DagsterInstance.ephemeral()`` after ``import dagster`` (or
  ``headwater.compat.dagster``) and touching ``materialize``: Headwater imports SQLAlchemy here and
  creates the schema template; Dagster imported SQLAlchemy with ``import dagster``.
"""

from __future__ import annotations

import statistics
import sys
import time
from types import ModuleType

from benchmarks._harness import Case, Outcome, main

OPENS = 200


def warm(dg: ModuleType, lib: str) -> Outcome:
    dg.DagsterInstance.ephemeral().dispose()
    opens: list[float] = []
    cycles: list[float] = []
    for _ in range(OPENS):
        t = time.perf_counter()
        instance = dg.DagsterInstance.ephemeral()
        opened = time.perf_counter()
        instance.dispose()
        done = time.perf_counter()
        opens.append(opened - t)
        cycles.append(done - t)
    return {"value": statistics.median(opens) * 1000, "with dispose ms": statistics.median(cycles) * 1000}


def first(dg: ModuleType, lib: str) -> Outcome:
    dg.materialize  # noqa: B018 - the names a script touches first
    t = time.perf_counter()
    instance = dg.DagsterInstance.ephemeral()
    elapsed = time.perf_counter() - t
    instance.dispose()
    return {"value": elapsed * 1000}


CASES = [
    Case("DagsterInstance.ephemeral(), warm", unit="ms", fn=warm, timeout=120, extras=("with dispose ms",)),
    Case("first DagsterInstance.ephemeral() in a process", unit="ms", fn=first, timeout=120),
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_instance", "opening an ephemeral instance", CASES))
