"""Workloads written against a ``dg`` module (``headwater.compat.dagster`` or ``dagster``).

Every asset and op is trivial: the root returns 1, every other one returns its input plus 1, so the
figures are the orchestrator's overhead per step.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any


def _root() -> int:
    return 1


def _child() -> Callable[[int], int]:
    def step(x: int) -> int:
        return x + 1

    return step


def asset_chain(dg: ModuleType, n: int) -> list[Any]:
    """``a0 -> a1 -> ... -> a{n-1}``, each asset reading the previous one's value."""
    assets = [dg.asset(name="a0")(_root)]
    for i in range(1, n):
        assets.append(dg.asset(name=f"a{i}", ins={"x": dg.AssetIn(f"a{i - 1}")})(_child()))
    return assets


def asset_fan(dg: ModuleType, n: int) -> list[Any]:
    """One root and ``n - 1`` children of it."""
    assets = [dg.asset(name="root")(_root)]
    for i in range(1, n):
        assets.append(dg.asset(name=f"c{i}", ins={"x": dg.AssetIn("root")})(_child()))
    return assets


def op_chain_job(dg: ModuleType, n: int) -> Any:
    """A job of ``n`` ops in a chain: ``start`` then ``inc_1`` ... ``inc_{n-1}``."""
    start = dg.op(name="start")(_root)
    inc = dg.op(name="inc")(_child())

    def chain() -> None:
        value = start()
        for i in range(1, n):
            value = inc.alias(f"inc_{i}")(value)

    return dg.job(name=f"op_chain_{n}")(chain)


def plain_loop(n: int) -> int:
    """The floor: the same functions called in a plain Python loop."""
    value = _root()
    fns = [_child() for _ in range(1, n)]
    for fn in fns:
        value = fn(value)
    return value


def plan_steps(lib: str, job: Any) -> int:
    """Plan ``job`` and return its number of steps (the two libraries name this differently)."""
    if lib == "headwater":
        from headwater.planning.plan import build_plan

        return len(build_plan(job.spec).steps)
    from dagster._core.execution.api import (  # type: ignore[import-not-found,unused-ignore]
        create_execution_plan,
    )

    return len(create_execution_plan(job).step_keys_to_execute)


def stored(home: str | os.PathLike[str]) -> dict[str, int]:
    """Rows in every table of every SQLite file under ``home``, their bytes (with any WAL), and the
    bytes of every other file (the IO manager's outputs)."""
    rows = db_bytes = other_bytes = 0
    for path in Path(home).rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        if path.name.endswith(".db"):
            rows += _count_rows(path)
            db_bytes += size
        elif path.name.endswith(".db-wal"):
            db_bytes += size
        elif not path.name.endswith(".db-shm"):
            other_bytes += size
    return {"rows": rows, "db_bytes": db_bytes, "other_bytes": other_bytes}


def _count_rows(path: Path) -> int:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith("sqlite_")
        ]
        return sum(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
    finally:
        con.close()
