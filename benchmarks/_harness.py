"""The benchmark harness: runs each case of a scenario in fresh subprocesses, under Headwater and Dagster.

A scenario module defines its cases and calls :func:`main`. Run as a driver
(``python -m benchmarks.bench_x [--dagster PY] [--runs N] [--case NAME]``) it starts one worker
process per run, ``PY -m benchmarks.bench_x --worker --lib headwater|dagster --case NAME``, from the
repository root, with a timeout; the worker imports the library (``headwater.compat.dagster`` or
``dagster``) as ``dg``, runs the case and prints one JSON line. The driver prints medians in a table.

Only the standard library is imported here, so the same code runs in either interpreter.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DAGSTER_PYTHON_ENV = "HEADWATER_BENCH_DAGSTER_PYTHON"
LIBS = ("headwater", "dagster")
SRC_ENV = "HEADWATER_BENCH_SRC"
_MARK = "@@bench "

# What a case returns: {"value": float} plus any figures worth showing (rows, bytes, ...), or raises.
Outcome = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One row of a scenario's table: ``fn(dg, lib)`` measured in a fresh process per run (or the
    command ``argv(python, lib)``, which prints the outcome line itself; see :func:`outcome_line`)."""

    name: str
    unit: str  # "ms/step", "ms", ...
    fn: Callable[[ModuleType, str], Outcome] | None = None
    timeout: float = 300.0  # seconds, per run, Headwater
    dagster_timeout: float = 600.0  # seconds, per run, Dagster
    dagster_runs: int | None = None  # fewer runs for slow Dagster cases (default: --runs)
    libs: tuple[str, ...] = LIBS
    extras: tuple[str, ...] = ()  # keys of the outcome shown (as medians) next to the value
    argv: Callable[[str, str], list[str]] | None = None  # custom worker command (python, lib)


@dataclass
class Summary:
    value: float | None = None
    error: str | None = None
    extras: dict[str, float] = field(default_factory=dict)
    values: list[float] = field(default_factory=list)


def load_dg(lib: str) -> ModuleType:
    """``headwater.compat.dagster`` or ``dagster``, imported only when asked for."""
    if lib == "headwater":
        import headwater.compat.dagster as dg
    else:
        import dagster as dg  # type: ignore[import-not-found,no-redef,unused-ignore]
    return dg


def per_step(seconds: float, steps: int) -> float:
    return seconds * 1000.0 / steps


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Name the part of a case that is running, so a RecursionError says where it happened."""
    try:
        yield
    except RecursionError as exc:
        exc.bench_stage = name  # type: ignore[attr-defined]
        raise


def outcome_line(value_expr: str) -> str:
    """Python source printing the outcome line with ``value_expr`` as the value (for ``Case.argv``)."""
    return f"import json; print({_MARK!r} + json.dumps({{'value': {value_expr}}}), flush=True)"


def _worker(case: Case, lib: str) -> None:
    # The recursion limit is left at Python's default: Dagster's RecursionError is part of the result.
    assert case.fn is not None, f"case {case.name!r} has no function"
    try:
        outcome: Outcome = case.fn(load_dg(lib), lib)
    except RecursionError as exc:
        outcome = {"error": f"RecursionError{_where(exc)}"}
    except Exception as exc:
        outcome = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"}
    print(_MARK + json.dumps(outcome), flush=True)
    os._exit(0)  # skip tearing down large object graphs; cases remove their own temporary files


def _where(exc: BaseException) -> str:
    """`` (stage; recursing in package/module.py:function)`` for a RecursionError."""
    frames = traceback.extract_tb(exc.__traceback__)
    counts = collections.Counter((f.filename, f.name) for f in frames)
    parts = [getattr(exc, "bench_stage", None)]
    if counts:
        (filename, name), _ = counts.most_common(1)[0]
        short = filename.split("site-packages/")[-1].split("/src/")[-1]
        parts.append(f"recursing in {short}:{name}")
    shown = "; ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def _run_one(python: str, module: str, case: Case, lib: str, env: dict[str, str]) -> Outcome:
    if case.argv is not None:
        argv = case.argv(python, lib)
    else:
        argv = [python, "-m", module, "--worker", "--lib", lib, "--case", case.name]
    timeout = case.dagster_timeout if lib == "dagster" else case.timeout
    try:
        proc = subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:g} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(_MARK):
            result: Outcome = json.loads(line[len(_MARK) :])
            return result
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit {proc.returncode}: {tail[:120]}"}


def _summarise(outcomes: Sequence[Outcome], extras: Sequence[str]) -> Summary:
    errors = [o["error"] for o in outcomes if "error" in o]
    if errors:
        return Summary(error=errors[0] if len(errors) == len(outcomes) else f"{errors[0]} (in some runs)")
    values = [float(o["value"]) for o in outcomes]
    medians = {k: statistics.median(float(o[k]) for o in outcomes) for k in extras if k in outcomes[0]}
    return Summary(value=statistics.median(values), extras=medians, values=values)


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 100 else f"{x:,.0f}"


def _cell(s: Summary, unit: str) -> str:
    if s.value is None:
        return s.error or "—"
    return f"{_fmt(s.value)} {unit}"


def _checkout() -> str:
    """The checkout's commit (read only: ``git rev-parse``); its working tree may differ."""
    try:
        argv = ["git", "rev-parse", "--short", "HEAD"]
        out = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
    except (subprocess.SubprocessError, OSError):
        return "the checkout"
    return f"the working tree at {out.stdout.strip() or '?'}"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _version(python: str, lib: str, env: dict[str, str]) -> str:
    mod = "headwater" if lib == "headwater" else "dagster"
    code = f"import sys, importlib.metadata as m; print(sys.version.split()[0], m.version({mod!r}))"
    try:
        out = subprocess.run(
            [python, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
        )
    except (subprocess.SubprocessError, OSError):
        return "?"
    return out.stdout.strip()


def main(module: str, title: str, cases: Sequence[Case], argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run as worker or driver; returns the exit status."""
    p = argparse.ArgumentParser(prog=f"python -m {module}", description=title)
    p.add_argument("--dagster", default=os.environ.get(DAGSTER_PYTHON_ENV), help="Dagster's python")
    p.add_argument("--runs", type=int, default=5, help="runs per case (median reported); default 5")
    p.add_argument("--dagster-runs", type=int, default=None, help="runs per slow Dagster case; default 3")
    p.add_argument("--case", action="append", help="run only cases whose name contains this (repeatable)")
    p.add_argument("--lib", choices=LIBS, default="headwater", help=argparse.SUPPRESS)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument(
        "--src",
        type=Path,
        default=os.environ.get(SRC_ENV),
        help="import headwater from this directory (e.g. a `git archive` of a commit) instead of .venv's",
    )
    args = p.parse_args(argv)

    by_name = {c.name: c for c in cases}
    if args.worker:
        _worker(by_name[args.case[0]], args.lib)
        return 0

    chosen = [c for c in cases if not args.case or any(s in c.name for s in args.case)]
    pythons = {"headwater": sys.executable}
    if args.dagster:
        pythons["dagster"] = args.dagster
    # Users run with cached bytecode: never measure with it turned off, and compile both trees once
    # first so that no run pays for compiling (the first run would otherwise be an outlier).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if args.src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.src.resolve()), env.get("PYTHONPATH")]))
    versions = {lib: _version(py, lib, env) for lib, py in pythons.items()}
    for py in pythons.values():
        subprocess.run(
            [py, "-m", "compileall", "-q", str(args.src or ROOT / "src")],
            env=env,
            check=False,
            capture_output=True,
        )
    print(f"# {title}")
    print(
        f"# {datetime.date.today()}, {os.cpu_count()} cores, {platform.machine()}; "
        + "; ".join(f"{lib} {v}" for lib, v in versions.items())
        + f"; headwater from {args.src or _checkout()}"
    )
    print(f"# load average at start: {_load()}", flush=True)

    rows: list[dict[str, Any]] = []
    failed = False
    for case in chosen:
        row: dict[str, Any] = {"case": case.name, "unit": case.unit}
        libs = [lib for lib in pythons if lib in case.libs]
        runs = {lib: args.runs for lib in libs}
        if "dagster" in runs and case.dagster_runs is not None:
            runs["dagster"] = args.dagster_runs or min(args.runs, case.dagster_runs)
        outcomes: dict[str, list[Outcome]] = {lib: [] for lib in libs}
        for i in range(max(runs.values(), default=0)):  # interleaved, so both see the same load
            for lib in libs:
                if i < runs[lib]:
                    outcomes[lib].append(_run_one(pythons[lib], module, case, lib, env))
        for lib in libs:
            s = _summarise(outcomes[lib], case.extras)
            failed |= lib == "headwater" and s.value is None
            row[lib] = s
            shown = ", ".join(f"{_fmt(v)}" for v in s.values)
            extra = ", ".join(f"{k}={_fmt(v)}" for k, v in s.extras.items())
            extra = f"; {extra}" if extra else ""
            print(f"  {case.name} [{lib}] runs: {shown or s.error}{extra}", flush=True)
        rows.append(row)

    print(f"# load average at end: {_load()}")
    _table(rows)
    if args.json:
        args.json.write_text(json.dumps(_jsonable(rows, versions), indent=2) + "\n")
    return 1 if failed else 0


def _table(rows: Sequence[dict[str, Any]]) -> None:
    header = ["scenario", "Headwater", "Dagster", "Dagster/Headwater", "notes"]
    lines: list[list[str]] = [header]
    for row in rows:
        hw: Summary | None = row.get("headwater")
        dag: Summary | None = row.get("dagster")
        ratio = "—"
        if hw and dag and hw.value and dag.value is not None:
            ratio = f"{dag.value / hw.value:,.1f}x"
        notes = "; ".join(
            f"{lib}: " + ", ".join(f"{k} {_fmt(v)}" for k, v in s.extras.items())
            for lib, s in (("HW", hw), ("DG", dag))
            if s and s.extras
        )
        lines.append(
            [
                row["case"],
                _cell(hw, row["unit"]) if hw else "—",
                _cell(dag, row["unit"]) if dag else "—",
                ratio,
                notes,
            ]
        )
    widths = [max(len(r[i]) for r in lines) for i in range(len(header))]
    print()
    for i, r in enumerate(lines):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def _jsonable(rows: Sequence[dict[str, Any]], versions: dict[str, str]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for row in rows:
        item: dict[str, Any] = {"case": row["case"], "unit": row["unit"]}
        for lib in LIBS:
            s = row.get(lib)
            if s is not None:
                item[lib] = {"median": s.value, "runs": s.values, "error": s.error, **s.extras}
        out.append(item)
    return {"date": str(datetime.date.today()), "cpus": os.cpu_count(), "versions": versions, "rows": out}
