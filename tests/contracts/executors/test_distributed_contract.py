"""The executor contract over every executor, with module-level jobs (``_jobs``) so that Celery
(Redis and RabbitMQ brokers) and Dask workers can import them: values passed, retries, dynamic
outputs, failures, skips, instance-wide pools -- on one shared PostgreSQL store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from headwater.core.asset_key import AssetKey
from headwater.core.data_version import SKIP_REASON_KEY, SKIP_UNCHANGED_TAG
from headwater.definitions.reconstructable import ReconstructableJob
from headwater.events.event_type import EventType
from headwater.executors.job_execution import execute_job
from headwater.instance import Instance

from .distributed import Services, services, shared_home  # noqa: F401 - fixtures

ALL = ["in_process", "multiprocess", "celery_redis", "celery_rabbitmq", "dask"]


@pytest.fixture(params=ALL)
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def instance(shared_home: Path) -> Iterator[Instance]:  # noqa: F811
    inst = Instance.get()
    yield inst
    inst.dispose()


class Runner:
    def __init__(self, name: str, instance: Instance, services: Services, home: Path) -> None:  # noqa: F811
        self.name = name
        self.instance = instance
        self.services = services
        self.home = home

    def __call__(
        self, scenario: str, run_config: dict[str, Any] | None = None, tags: dict[str, str] | None = None
    ) -> Any:
        from tests.contracts.executors import _jobs

        config = dict(run_config or {})
        if self.name.startswith("celery"):
            self.services.celery(self.name)
        elif self.name == "dask":
            address = self.services.dask_address(self.home)
            config["execution"] = {"config": {"cluster": {"existing": {"address": address}}}}
        job = _jobs.JOBS[self.name][scenario]
        target = ReconstructableJob("tests.contracts.executors._jobs", "defs", job.name)
        return execute_job(target, instance=self.instance, run_config=config, tags=tags)


@pytest.fixture
def run(name: str, instance: Instance, services: Services, shared_home: Path) -> Runner:  # noqa: F811
    return Runner(name, instance, services, shared_home)


def _types(result: Any, step: str) -> list[EventType]:
    return [e.event_type for e in result.all_events if e.step_key == step]


def test_values_flow_through_chains_and_fan_in(run: Runner) -> None:
    result = run("values")
    assert result.success
    assert result.output_for_node("add_one_2") == 3
    assert result.output_for_node("times_ten_2") == 30
    assert result.output_for_node("total") == 3 + 10 + 31
    stored = run.instance.all_logs(result.run_id, of_type=EventType.STEP_SUCCESS)
    assert len(stored) == 7  # each step succeeded once, stored once


def test_retry_policy_retries_in_place(run: Runner, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    result = run("retries", {"ops": {"flaky": {"config": {"counter": str(counter)}}}})
    assert result.success
    assert result.output_for_node("add_one") == 4
    assert _types(result, "flaky").count(EventType.STEP_UP_FOR_RETRY) == 2
    assert _types(result, "flaky").count(EventType.STEP_SUCCESS) == 1


def test_dynamic_outputs_map_and_collect(run: Runner) -> None:
    result = run("dynamic")
    assert result.success
    assert result.output_for_node("total") == 0 + 1 + 4
    assert result.output_for_node("square") == {"k0": 0, "k1": 1, "k2": 4}


def test_failure_fails_the_run_and_stops_downstream(run: Runner) -> None:
    result = run("failure")
    assert not result.success
    failure = [e for e in result.all_events if e.event_type is EventType.STEP_FAILURE]
    assert [e.step_key for e in failure] == ["boom"]
    assert "boom: the op failed on purpose" in failure[0].event_specific_data.error.to_string()
    assert EventType.STEP_START not in _types(result, "add_one")
    assert EventType.STEP_SUCCESS in _types(result, "one")
    run_failure = [e for e in result.all_events if e.event_type is EventType.RUN_FAILURE]
    assert len(run_failure) == 1


def test_unproduced_optional_output_skips_downstream(run: Runner) -> None:
    result = run("skips")
    assert result.success
    assert EventType.STEP_SUCCESS in _types(result, "after_yes")
    assert EventType.STEP_SKIPPED in _types(result, "after_no")
    assert EventType.STEP_START not in _types(result, "after_no")


def test_instance_pool_limit_holds_across_workers(run: Runner) -> None:
    run.instance.set_concurrency_limit("contract-pool", 1)
    try:
        result = run("pools")
    finally:
        run.instance.delete_concurrency_limit("contract-pool")
    assert result.success
    (a0, a1), (b0, b1) = result.output_for_node("pooled_a"), result.output_for_node("pooled_b")
    assert a1 <= b0 or b1 <= a0, "two steps of a pool of 1 ran at once"


def test_skip_unchanged_skips_unchanged_steps_and_reuses_their_outputs(run: Runner) -> None:
    first = run("versioned")
    assert first.success
    again = run("versioned", tags={SKIP_UNCHANGED_TAG: "true"})
    assert again.success
    for step in ("versioned_root", "versioned_leaf"):
        types = _types(again, step)  # (after the executor's STEP_WORKER_* events, where it has them)
        assert EventType.STEP_SKIPPED in types and EventType.STEP_START not in types, (step, types)
        assert EventType.ASSET_MATERIALIZATION not in types
    skipped = [e for e in again.all_events if e.event_type is EventType.STEP_SKIPPED]
    assert all(SKIP_REASON_KEY in e.event_specific_data.metadata for e in skipped)
    # nothing was materialized again: the latest materializations are the first run's
    for key in ("versioned_root", "versioned_leaf"):
        latest = run.instance.get_latest_materialization_event(AssetKey(key))
        assert latest is not None and latest.run_id == first.run_id
