"""Dagster's side of the Celery scenarios: module-level jobs on ``dagster_celery.celery_executor``.

Imported only under Dagster's interpreter (by the benchmark worker and by Dagster's Celery workers,
which reconstruct the job from this module). Broker and backend: Redis DB 5, so that Headwater's
queues (DB 0) are never touched; the queue is per run (``HEADWATER_BENCH_QUEUE``).
"""

from __future__ import annotations

import os
import time

import dagster as dg
from dagster_celery import celery_executor

REDIS_URL = os.environ.get("HEADWATER_BENCH_DAGSTER_REDIS_URL", "redis://127.0.0.1:6379/5")
QUEUE = os.environ.get("HEADWATER_BENCH_QUEUE", "dagster-bench")
CELERY_CONFIG = {"broker": REDIS_URL, "backend": REDIS_URL, "config_source": {"task_default_queue": QUEUE}}
TRIVIAL_STEPS = 200
SLEEP_STEPS = 32
SLEEP_SECONDS = 1.0

executor = celery_executor.configured(CELERY_CONFIG)


@dg.op
def trivial() -> int:
    return 1


@dg.op
def nap() -> float:
    time.sleep(SLEEP_SECONDS)
    return SLEEP_SECONDS


@dg.job(executor_def=executor)
def trivial_celery() -> None:
    for i in range(TRIVIAL_STEPS):
        trivial.alias(f"t{i}")()


@dg.job(executor_def=executor)
def sleeps_celery() -> None:
    for i in range(SLEEP_STEPS):
        nap.alias(f"n{i}")()


@dg.job(executor_def=executor)
def warm_celery() -> None:
    for i in range(8):
        trivial.alias(f"w{i}")()


JOBS = {"trivial": trivial_celery, "sleeps": sleeps_celery, "warm": warm_celery}
