"""Module-level jobs for the Dask worker-resource test (Dask workers import them by module name)."""

from __future__ import annotations

import os

import headwater as hw
from headwater.executors.dask_executor import RESOURCES_TAG, DaskExecutor

ADDRESS = os.environ.get("HEADWATER_TEST_DASK_ADDRESS", "")


@hw.op(tags={RESOURCES_TAG: {"GPU": 1}})
def on_gpu() -> int:
    return os.getpid()


@hw.op(tags={RESOURCES_TAG: '{"GPU": 1}'})  # the JSON-string form of the same requirement
def on_gpu_json() -> int:
    return os.getpid()


@hw.op
def anywhere() -> int:
    return os.getpid()


@hw.job(executor_def=DaskExecutor({"existing": {"address": ADDRESS}} if ADDRESS else {"local": {}}))
def gpu_job() -> None:
    for i in range(3):
        on_gpu.alias(f"gpu_{i}")()
        anywhere.alias(f"cpu_{i}")()
    on_gpu_json()


defs = hw.Definitions(jobs=[gpu_job])
