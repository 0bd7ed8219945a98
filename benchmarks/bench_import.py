"""Import time: ``import headwater`` vs ``import dagster``, in a fresh interpreter each run.

The clock starts after the interpreter is up and stops when the import returns; nothing else is
imported first. Headwater imports its names lazily, so a second case also touches the names a first
script uses (``asset``, ``AssetIn``, ``Definitions``, ``materialize``).
"""

from __future__ import annotations

import sys

from benchmarks._harness import Case, main, outcome_line

_FIRST_USE = "dg.asset, dg.AssetIn, dg.Definitions, dg.materialize"


def _import(python: str, lib: str) -> list[str]:
    code = f"import time; t = time.perf_counter(); import {lib}; dt = time.perf_counter() - t; "
    return [python, "-c", code + outcome_line("dt * 1000")]


def _first_use(python: str, lib: str) -> list[str]:
    module = "headwater.compat.dagster" if lib == "headwater" else "dagster"
    code = f"import time; t = time.perf_counter(); import {module} as dg; {_FIRST_USE}; "
    return [python, "-c", code + "dt = time.perf_counter() - t; " + outcome_line("dt * 1000")]


CASES = [
    Case("import headwater vs import dagster", unit="ms", argv=_import, timeout=60, dagster_timeout=60),
    Case(
        "import + first names (asset, Definitions, materialize)",
        unit="ms",
        argv=_first_use,
        timeout=60,
        dagster_timeout=60,
    ),
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_import", "import time", CASES))
