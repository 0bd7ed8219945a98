"""Instance-wide pools in both executors: a step of a full pool waits (without spinning) while the
steps of other pools run, starts when the slot is freed, and frees its own slot when it ends."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import headwater as hw
from headwater.events.event_type import EventType
from headwater.execution.api import execute_job
from headwater.execution.in_process_executor import in_process_executor
from headwater.executors.multiprocess import multiprocess_executor
from headwater.instance import Instance

EXECUTORS = {"in_process": in_process_executor, "multiprocess": multiprocess_executor}


def _job(executor: Any) -> Any:
    @hw.op(pool="db")
    def pooled() -> None:
        time.sleep(0.05)

    @hw.op
    def free_op() -> None:
        pass

    @hw.op(pool="other")
    def other_pool() -> None:
        pass

    @hw.job(executor_def=executor)
    def pools_job() -> None:
        pooled()
        free_op()
        other_pool()

    return pools_job


@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_a_full_pool_holds_its_step_back_until_a_slot_is_freed(instance: Instance, executor: str) -> None:
    instance.set_concurrency_limit("db", 1)
    instance.set_concurrency_limit("other", 1)
    assert instance.claim_concurrency_slot("db", "another-run", "its-step")
    results: list[Any] = []
    thread = threading.Thread(
        target=lambda: results.append(execute_job(_job(EXECUTORS[executor]), instance=instance))
    )
    thread.start()

    def step_done(key: str) -> bool:
        return any(
            e.dagster_event is not None
            and e.dagster_event.event_type is EventType.STEP_SUCCESS
            and e.step_key == key
            for r in instance.get_runs()
            for e in instance.all_logs(r.run_id)
        )

    deadline = time.monotonic() + 20
    while not (step_done("free_op") and step_done("other_pool")):
        assert time.monotonic() < deadline, "the steps of other pools did not run"
        time.sleep(0.02)
    (run,) = instance.get_runs()
    info = instance.get_pool_info("db")
    assert [(p.run_id, p.step_key) for p in info.pending] == [(run.run_id, "pooled")]
    assert not step_done("pooled")
    assert instance.free_concurrency_slot("db", "another-run", "its-step")
    thread.join(20)
    assert results and results[0].success
    messages = [e.message for e in instance.all_logs(run.run_id) if e.step_key == "pooled"]
    assert any('is waiting for a slot of pool "db"' in m for m in messages)
    assert any('got a slot of pool "db"' in m for m in messages)
    assert instance.get_pool_info("db").claimed == () and instance.get_pool_info("db").pending == ()
    assert instance.get_pool_info("other").claimed == ()


@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_a_failing_step_frees_its_slot(instance: Instance, executor: str) -> None:
    instance.set_concurrency_limit("db", 1)

    @hw.op(pool="db")
    def boom() -> None:
        raise ValueError("boom")

    @hw.job(executor_def=EXECUTORS[executor])
    def failing() -> None:
        boom()

    result = execute_job(failing, instance=instance, raise_on_error=False)
    assert not result.success
    assert instance.get_pool_info("db").claimed == ()
