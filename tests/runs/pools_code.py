"""User code for the pool and retry tests (loaded by the run worker with ``-f``); side effects go to
files under ``$HW_TEST_DIR``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import headwater as hw
from headwater.executors.multiprocess import multiprocess_executor


def _dir() -> Path:
    return Path(os.environ["HW_TEST_DIR"])


def _span(name: str, seconds: float) -> None:
    start = time.time()
    time.sleep(seconds)
    (_dir() / f"span-{name}-{os.getpid()}-{start:.6f}").write_text(f"{start} {time.time()}")


@hw.op(pool="db")
def db_a() -> None:
    _span("a", 0.6)


@hw.op(pool="db")
def db_b() -> None:
    _span("b", 0.6)


@hw.job(executor_def=multiprocess_executor)
def pooled() -> None:
    db_a()
    db_b()


@hw.op(pool="db")
def db_sleeper() -> None:
    (_dir() / f"holding-{os.getpid()}").write_text("")
    while (_dir() / "hold").exists():
        time.sleep(0.05)


@hw.job(tags={"dagster/max_retries": "1"})
def holder() -> None:
    db_sleeper()


@hw.op
def upstream() -> int:
    with open(_dir() / "upstream.count", "a") as f:
        f.write("x\n")
    return 21


@hw.op
def fails_once(x: int) -> int:
    marker = _dir() / "failed-once"
    if not marker.exists():
        marker.write_text("")
        raise ValueError("failing the first time on purpose")
    (_dir() / "result").write_text(str(x * 2))
    return x * 2


@hw.job(tags={"dagster/max_retries": "2"})
def retried() -> None:
    fails_once(upstream())


@hw.op
def always_fails() -> None:
    with open(_dir() / "always.count", "a") as f:
        f.write("x\n")
    raise ValueError("always")


@hw.job(tags={"dagster/max_retries": "2", "dagster/retry_strategy": "ALL_STEPS"})
def hopeless() -> None:
    always_fails()


defs = hw.Definitions(jobs=[pooled, holder, retried, hopeless])
