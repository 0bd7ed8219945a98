"""Jobs for the multiprocess benchmark, as module-level factories so Dagster can reconstruct them in its
step processes (``reconstructable(dagster_sleep_job)``). The same builders serve Headwater (through
``headwater.compat.dagster``). Only the standard library is imported at module level.
"""

from __future__ import annotations

import time
from types import ModuleType
from typing import Any

SLEEP_STEPS = 16
SLEEP_SECONDS = 0.5
TRIVIAL_CHAIN = 20
LONG_CHAIN = 200


def sleep_job(dg: ModuleType) -> Any:
    """``SLEEP_STEPS`` independent ops sleeping ``SLEEP_SECONDS`` each, then one op joining them."""

    @dg.op
    def nap() -> float:
        time.sleep(SLEEP_SECONDS)
        return SLEEP_SECONDS

    @dg.op
    def join(xs: list[float]) -> float:
        return sum(xs)

    @dg.job(name="mp_sleep", executor_def=dg.multiprocess_executor)
    def job() -> None:
        join([nap.alias(f"nap_{i}")() for i in range(SLEEP_STEPS)])

    return job


def chain_job(dg: ModuleType, n: int) -> Any:
    """``n`` trivial ops in a chain: each step waits for the previous one, so wall time / n is the
    executor's overhead per step."""

    @dg.op
    def start() -> int:
        return 1

    @dg.op
    def inc(x: int) -> int:
        return x + 1

    @dg.job(name=f"mp_chain_{n}", executor_def=dg.multiprocess_executor)
    def job() -> None:
        value = start()
        for i in range(1, n):
            value = inc.alias(f"inc_{i}")(value)

    return job


def _dagster() -> ModuleType:
    import dagster

    return dagster


def dagster_sleep_job() -> Any:
    return sleep_job(_dagster())


def dagster_trivial_chain_job() -> Any:
    return chain_job(_dagster(), TRIVIAL_CHAIN)


def _headwater() -> ModuleType:
    import headwater.compat.dagster as dg

    return dg


def headwater_sleep_job() -> Any:
    return sleep_job(_headwater())


def headwater_trivial_chain_job() -> Any:
    return chain_job(_headwater(), TRIVIAL_CHAIN)


def headwater_long_chain_job() -> Any:
    return chain_job(_headwater(), LONG_CHAIN)


def dagster_long_chain_job() -> Any:
    return chain_job(_dagster(), LONG_CHAIN)
