"""Launch latency: from launching a run to the first line of user code in its first step.

Headwater only (Dagster's equivalent needs a daemon and a gRPC code server). A fresh SQLite
``HEADWATER_HOME`` in a temporary directory; the job is one op whose first line writes
``time.time()`` to a file. Cases, each the median of ``--runs`` (default 5) launches:

- ``cli``: ``headwater job launch -f code.py -j quick`` started as a subprocess (the CLI imports the
  code, validates the config, creates the run with its plan and starts the worker); the clock starts
  just before the CLI process is spawned.
- ``api``: ``create_run_for_launch`` + ``instance.submit_run`` in this process (what the webserver or
  daemon does, with the job spec already in hand); the clock starts before ``create_run_for_launch``.

Both then pay the worker's start: a new interpreter, ``headwater.cli.main``, the instance, loading the
code, checking the stored plan, RUN_START. Target: < 1 s. Run: ``python -m benchmarks.bench_launch``.

Child processes get a bytecode cache (``PYTHONPYCACHEPREFIX`` in the temporary directory), as an
installed Headwater has; ``--no-bytecode-cache`` measures with every module compiled each time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CODE = """
import os, time
import headwater as hw

@hw.op
def stamp() -> None:
    t = time.time()
    with open(os.path.join(os.environ["HW_BENCH_DIR"], "stamp-%d" % os.getpid()), "w") as f:
        f.write(repr(t))

@hw.job
def quick() -> None:
    stamp()

defs = hw.Definitions(jobs=[quick])
"""


def _wait_stamp(directory: Path, before: set[str], timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p for p in directory.glob("stamp-*") if p.name not in before]
        if new and new[0].read_text():
            return float(new[0].read_text())
        time.sleep(0.002)
    raise TimeoutError("the op never ran")


def _wait_finished(run_id: str, timeout: float = 60) -> None:
    from headwater.instance import Instance

    deadline = time.monotonic() + timeout
    with Instance.get() as instance:
        while time.monotonic() < deadline:
            run = instance.get_run_by_id(run_id)
            if run is not None and run.is_finished:
                return
            time.sleep(0.02)
    raise TimeoutError(f"run {run_id} did not finish")


def bench_cli(code: Path, side: Path) -> float:
    before = {p.name for p in side.glob("stamp-*")}
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", "job", "launch", "-f", str(code), "-j", "quick"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = _wait_stamp(side, before) - started
    _wait_finished(out.strip().splitlines()[0])
    return latency


def bench_api(code: Path, side: Path) -> float:
    from headwater.instance import Instance
    from headwater.locations.server.loader import load_definitions
    from headwater.runs.code_pointer import CodePointer
    from headwater.runs.create import create_run_for_launch

    spec = load_definitions(python_file=str(code)).resolve_job_def("quick").spec
    pointer = CodePointer.from_options(None, str(code))
    with Instance.get() as instance:
        before = {p.name for p in side.glob("stamp-*")}
        started = time.time()
        run = create_run_for_launch(instance.run_storage, spec, pointer)
        instance.submit_run(run.run_id)
        latency = _wait_stamp(side, before) - started
    _wait_finished(run.run_id)
    return latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="Compile every module in every process."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hw-bench-launch-") as tmp:
        root = Path(tmp)
        home, side = root / "home", root / "side"
        side.mkdir()
        code = root / "code.py"
        code.write_text(CODE)
        os.environ["HEADWATER_HOME"] = str(home)
        os.environ["HW_BENCH_DIR"] = str(side)
        if not args.no_bytecode_cache:
            # As installed: bytecode cached (this sandbox sets PYTHONDONTWRITEBYTECODE; the cache goes
            # to the temporary directory, not the source tree).
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        bench_cli(code, side)  # warm-up: creates the database, warms the OS file cache
        cache = "off" if args.no_bytecode_cache else "on"
        print(
            f"launch latency to the first line of user code, median of {args.runs} "
            f"(s; bytecode cache {cache})"
        )
        for name, fn in (("cli", bench_cli), ("api", bench_api)):
            times = [fn(code, side) for _ in range(args.runs)]
            spread = ", ".join(f"{t:.3f}" for t in times)
            print(f"  {name:4s} median {statistics.median(times):.3f}  (runs: {spread})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
