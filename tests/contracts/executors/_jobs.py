"""Module-level jobs of the executor contract, one per (scenario, executor): Celery and Dask workers
import this module to run their steps, so every job lives at module scope.

Executors read their settings from the environment that ``conftest`` sets before importing this
module (and hands to the workers): the brokers, and a queue name of this test session.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import headwater as hw
from headwater.execution.in_process_executor import in_process_executor
from headwater.executors.celery_executor import CeleryExecutor
from headwater.executors.dask_executor import DaskExecutor
from headwater.executors.multiprocess import MultiprocessExecutor

REDIS_URL = os.environ.get("HEADWATER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AMQP_URL = os.environ.get("HEADWATER_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
QUEUE = os.environ.get("HEADWATER_TEST_CELERY_QUEUE", "headwater-tests")
DASK_ADDRESS = os.environ.get("HEADWATER_TEST_DASK_ADDRESS", "")

#: Celery settings shared by the executors and the workers of the tests (``--config-source``).
REDIS_SOURCE: dict[str, Any] = {
    "task_default_queue": QUEUE,
    "broker_transport_options": {
        "visibility_timeout": 6,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    },
}
AMQP_SOURCE: dict[str, Any] = {"task_default_queue": QUEUE + "-amqp"}

EXECUTORS: dict[str, Any] = {
    "in_process": in_process_executor,
    "multiprocess": MultiprocessExecutor(max_concurrent=2),
    "celery_redis": CeleryExecutor(REDIS_URL, REDIS_URL, config_source=REDIS_SOURCE),
    "celery_rabbitmq": CeleryExecutor(AMQP_URL, "rpc://", config_source=AMQP_SOURCE),
    "dask": DaskExecutor({"existing": {"address": DASK_ADDRESS}} if DASK_ADDRESS else {"local": {}}),
}


def _bump(path: str) -> int:
    p = Path(path)
    n = int(p.read_text()) + 1 if p.exists() else 1
    p.write_text(str(n))
    return n


@hw.op
def one() -> int:
    return 1


@hw.op
def add_one(x: int) -> int:
    return x + 1


@hw.op
def times_ten(x: int) -> int:
    return x * 10


@hw.op(ins={"xs": hw.In()})
def total(xs: list[int]) -> int:
    return sum(xs)


@hw.op(retry_policy=hw.RetryPolicy(max_retries=2), config_schema={"counter": str})
def flaky(context: Any) -> int:
    n = _bump(context.op_config["counter"])
    if n < 3:
        raise ValueError(f"attempt {n} fails")
    return n


@hw.op(out=hw.DynamicOut())
def fan_out() -> Iterator[hw.DynamicOutput[int]]:
    for i in range(3):
        yield hw.DynamicOutput(i, mapping_key=f"k{i}")


@hw.op
def square(x: int) -> int:
    return x * x


@hw.op
def boom() -> int:
    raise ValueError("boom: the op failed on purpose")


@hw.op(out={"yes": hw.Out(is_required=False), "no": hw.Out(is_required=False)})
def branch() -> Iterator[hw.Output[int]]:
    yield hw.Output(1, "yes")


@hw.op
def after(x: int) -> int:
    return x


@hw.op(pool="contract-pool")
def pooled_a() -> tuple[float, float]:
    start = time.time()
    time.sleep(0.4)
    return start, time.time()


@hw.op(pool="contract-pool")
def pooled_b() -> tuple[float, float]:
    start = time.time()
    time.sleep(0.4)
    return start, time.time()


@hw.op(config_schema={"seconds": float, "marker": str}, retry_policy=hw.RetryPolicy(max_retries=1))
def slow(context: Any) -> int:
    Path(context.op_config["marker"]).write_text(str(os.getpid()))
    time.sleep(context.op_config["seconds"])
    return 1


@hw.asset(code_version="1")
def versioned_root() -> int:
    return 20


@hw.asset(code_version="1")
def versioned_leaf(versioned_root: int) -> int:
    return versioned_root + 1


def _build(name: str, executor: Any) -> dict[str, Any]:
    @hw.job(name=f"values_{name}", executor_def=executor)
    def values() -> None:
        x = one()
        y = add_one(add_one(x))
        total([y, times_ten(x), add_one(times_ten(y))])

    @hw.job(name=f"retries_{name}", executor_def=executor)
    def retries() -> None:
        add_one(flaky())

    @hw.job(name=f"dynamic_{name}", executor_def=executor)
    def dynamic() -> None:
        total(fan_out().map(square).collect())

    @hw.job(name=f"failure_{name}", executor_def=executor)
    def failure() -> None:
        add_one(boom())
        one()

    @hw.job(name=f"skips_{name}", executor_def=executor)
    def skips() -> None:
        yes, no = branch()
        after.alias("after_yes")(yes)
        after.alias("after_no")(no)

    @hw.job(name=f"pools_{name}", executor_def=executor)
    def pools() -> None:
        pooled_a()
        pooled_b()

    @hw.job(name=f"slow_{name}", executor_def=executor)
    def slow_job() -> None:
        add_one(slow())

    return {
        "values": values,
        "retries": retries,
        "dynamic": dynamic,
        "failure": failure,
        "skips": skips,
        "pools": pools,
        "slow": slow_job,
        "versioned": hw.define_asset_job(
            f"versioned_{name}", selection=[versioned_root, versioned_leaf], executor_def=executor
        ),
    }


JOBS = {name: _build(name, executor) for name, executor in EXECUTORS.items()}
defs = hw.Definitions(
    assets=[versioned_root, versioned_leaf], jobs=[job for jobs in JOBS.values() for job in jobs.values()]
)
