"""Module-level jobs of the distributed benchmark (Celery and Dask workers import this module)."""

from __future__ import annotations

import os
import time

import headwater as hw
from headwater.executors.celery_executor import CeleryExecutor
from headwater.executors.dask_executor import DaskExecutor

REDIS_URL = os.environ.get("HEADWATER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = os.environ.get("HEADWATER_BENCH_QUEUE", "headwater-bench")
SOURCE = {"task_default_queue": QUEUE}
TRIVIAL_STEPS = 200
SLEEP_STEPS = 32
SLEEP_SECONDS = 1.0

EXECUTORS = {
    "celery": CeleryExecutor(REDIS_URL, REDIS_URL, config_source=SOURCE),
    "dask": DaskExecutor({"existing": {"address": os.environ.get("HEADWATER_BENCH_DASK", "tcp://x:1")}}),
}


@hw.op
def trivial() -> int:
    return 1


@hw.op
def nap() -> float:
    time.sleep(SLEEP_SECONDS)
    return SLEEP_SECONDS


def _jobs(name: str, executor: object) -> dict[str, object]:
    @hw.job(name=f"trivial_{name}", executor_def=executor)
    def trivial_job() -> None:
        for i in range(TRIVIAL_STEPS):
            trivial.alias(f"t{i}")()

    @hw.job(name=f"sleeps_{name}", executor_def=executor)
    def sleeps_job() -> None:
        for i in range(SLEEP_STEPS):
            nap.alias(f"n{i}")()

    @hw.job(name=f"warm_{name}", executor_def=executor)
    def warm_job() -> None:
        for i in range(8):
            trivial.alias(f"w{i}")()

    return {"trivial": trivial_job, "sleeps": sleeps_job, "warm": warm_job}


JOBS = {name: _jobs(name, ex) for name, ex in EXECUTORS.items()}
defs = hw.Definitions(jobs=[j for js in JOBS.values() for j in js.values()])  # type: ignore[misc]
