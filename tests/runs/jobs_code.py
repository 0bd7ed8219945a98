"""User code for the run tests, loaded by the run worker with ``-f``.

Side effects go to files under ``$HW_TEST_DIR`` so the tests can count executions across processes:
``<op>.count`` gets one line per execution. ``$HW_TEST_DIR/fail`` present makes ``flaky`` fail.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import headwater as hw
from headwater.executors.multiprocess import multiprocess_executor


def _mark(name: str) -> None:
    directory = Path(os.environ["HW_TEST_DIR"])
    with open(directory / f"{name}.count", "a") as f:
        f.write(f"{os.getpid()}\n")


@hw.op
def first() -> int:
    _mark("first")
    return 20


@hw.op
def second(x: int) -> int:
    _mark("second")
    return x + 1


@hw.op
def flaky(x: int) -> int:
    _mark("flaky")
    if (Path(os.environ["HW_TEST_DIR"]) / "fail").exists():
        raise ValueError("flaky failed on purpose")
    return x * 2


@hw.op
def last(x: int) -> int:
    _mark("last")
    (Path(os.environ["HW_TEST_DIR"]) / "result").write_text(str(x))
    return x


@hw.job
def chain() -> None:
    last(flaky(second(first())))


class SleepConfig(hw.Config):
    seconds: float = 60.0


@hw.op
def sleeper(config: SleepConfig) -> None:
    _mark("sleeper")
    (Path(os.environ["HW_TEST_DIR"]) / f"sleeping-{os.getpid()}").write_text("")
    time.sleep(config.seconds)


@hw.job
def sleepy() -> None:
    sleeper()


@hw.job(executor_def=multiprocess_executor)
def sleepy_mp() -> None:
    sleeper()


@hw.op
def stamp() -> None:
    (Path(os.environ["HW_TEST_DIR"]) / f"stamp-{time.time():.6f}").write_text(str(time.time()))


@hw.job
def quick() -> None:
    stamp()


defs = hw.Definitions(jobs=[chain, sleepy, sleepy_mp, quick])
