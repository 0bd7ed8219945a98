"""A Celery worker killed mid-step (its whole process group, SIGKILL): the broker gives the message
back (RabbitMQ at once, Redis after the visibility timeout), another worker claims the step, sees that
its worker was lost, and retries it per its RetryPolicy; the run completes, the step succeeded once."""

from __future__ import annotations

import os
import signal
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from tests.contracts.executors import _jobs
from tests.contracts.executors.distributed import CeleryWorker, shared_home, wait_for  # noqa: F401

from headwater.definitions.reconstructable import ReconstructableJob
from headwater.events.event_type import EventType
from headwater.executors.job_execution import execute_job
from headwater.instance import Instance

LONG_TIMEOUT = 300


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    """This module's tests start brokers' workers, webservers and run workers: a longer bound than the
    directory's 60 s (a loaded machine takes minutes), still a bound."""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"test took more than {LONG_TIMEOUT}s (hung run?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(LONG_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("broker", ["celery_redis", "celery_rabbitmq"])
def test_killed_worker_mid_step_is_retried_and_the_run_completes(
    broker: str,
    shared_home: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    queue = f"loss-{uuid.uuid4().hex[:8]}"
    if broker == "celery_redis":
        source: dict[str, Any] = {**_jobs.REDIS_SOURCE, "task_default_queue": queue}
        url, backend = _jobs.REDIS_URL, _jobs.REDIS_URL
    else:
        source = {**_jobs.AMQP_SOURCE, "task_default_queue": queue}
        url, backend = _jobs.AMQP_URL, "rpc://"
    workers = [CeleryWorker(url, backend, source, concurrency=1) for _ in range(2)]
    instance = Instance.get()
    marker = tmp_path / "marker"
    outcome: dict[str, Any] = {}
    job = _jobs.JOBS[broker]["slow"]
    config = {
        "ops": {"slow": {"config": {"seconds": 3.0, "marker": str(marker)}}},
        "execution": {"config": {"config_source": source}},
    }

    def drive() -> None:
        target = ReconstructableJob("tests.contracts.executors._jobs", "defs", job.name)
        outcome["result"] = execute_job(target, instance=instance, run_config=config)

    thread = threading.Thread(target=drive)
    try:
        thread.start()
        wait_for(marker.exists, 60, "the slow step to start on a worker")
        pid = int(marker.read_text())
        victim = next(w for w in workers if os.getpgid(pid) == w.pgid)
        marker.unlink()
        victim.kill()
        thread.join(90)
        assert not thread.is_alive(), "the run did not finish after its worker was killed"
    finally:
        for w in workers:
            w.stop()
    result = outcome["result"]
    assert result.success
    slow_events = [e for e in result.all_events if e.step_key == "slow"]
    types = [e.event_type for e in slow_events]
    assert types.count(EventType.STEP_SUCCESS) == 1
    retry = [e for e in slow_events if e.event_type is EventType.STEP_UP_FOR_RETRY]
    assert len(retry) == 1 and "was lost" in retry[0].message, "\n".join(
        f"{e.event_type} {e.message}" for e in result.all_events
    )
    assert int(marker.read_text()) != pid  # the retry ran in another worker's process
    assert result.output_for_node("add_one") == 2
    instance.dispose()
