"""Module-level jobs for the spawn/forkserver start methods (a new interpreter imports them by name)."""

from __future__ import annotations

import os

import headwater as hw
from headwater.executors.multiprocess import multiprocess_executor


@hw.op
def worker_pid() -> int:
    return os.getpid()


@hw.op
def plus_one(x: int) -> int:
    return x + 1


@hw.job(executor_def=multiprocess_executor)
def module_job() -> None:
    plus_one(worker_pid())


@hw.asset
def pid_asset() -> int:
    return os.getpid()


defs = hw.Definitions(
    assets=[pid_asset], jobs=[hw.define_asset_job("asset_job")], executor=multiprocess_executor
)
