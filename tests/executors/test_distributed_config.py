"""The Celery and Dask executors' config and their refusals, without workers: Dagster's config shape,
errors that name the entry, an ephemeral instance refused before any step, Redis priorities."""

from __future__ import annotations

from pathlib import Path

import pytest

import headwater as hw
from headwater.compat.dagster_celery import celery_executor
from headwater.compat.dagster_dask import dask_executor
from headwater.errors import InvalidConfigError, UnmetExecutorRequirementsError
from headwater.events.event_type import EventType
from headwater.executors.celery_app import priority_for
from headwater.executors.job_execution import execute_job
from headwater.instance import Instance


def test_celery_config_takes_dagsters_keys() -> None:
    configured = celery_executor.configured(
        {"broker": "redis://h:6379/0", "backend": "redis://h:6379/1", "include": ["a.b"],
         "config_source": {"task_default_queue": "q"}}
    )  # fmt: skip
    assert (configured.broker, configured.backend, configured.include) == (
        "redis://h:6379/0",
        "redis://h:6379/1",
        ("a.b",),
    )
    assert configured.config_source == {"task_default_queue": "q"}
    assert celery_executor.broker is None  # the original is unchanged


def test_celery_config_errors_name_the_entry() -> None:
    with pytest.raises(InvalidConfigError, match=r"Unexpected entries \['brokr'\]"):
        celery_executor.configured({"brokr": "x"})
    with pytest.raises(InvalidConfigError, match="include must be a list"):
        celery_executor.configured({"include": "a.b"})


def test_dask_config_errors_name_the_entry() -> None:
    assert dask_executor.configured({"cluster": {"existing": {"address": "tcp://s:8786"}}}).cluster == {
        "existing": {"address": "tcp://s:8786"}
    }
    with pytest.raises(InvalidConfigError, match="cluster must be"):
        dask_executor.configured({"cluster": {"yarn": {}}})
    with pytest.raises(InvalidConfigError, match="needs the scheduler's address"):
        dask_executor.configured({"cluster": {"existing": {}}})


@pytest.mark.parametrize("executor", [celery_executor, dask_executor], ids=["celery", "dask"])
def test_an_ephemeral_instance_is_refused_before_any_step(executor: object, tmp_path: Path) -> None:
    @hw.op
    def one() -> int:
        return 1

    @hw.job(executor_def=executor)
    def job() -> None:
        one()

    instance = Instance.ephemeral(tmp_path)
    try:
        with pytest.raises(UnmetExecutorRequirementsError, match="ephemeral instance"):
            execute_job(job, instance=instance, raise_on_error=True)
        (run,) = instance.get_runs()
        types = [e.dagster_event.event_type for e in instance.all_logs(run.run_id) if e.dagster_event]
        assert EventType.RUN_FAILURE in types and EventType.STEP_START not in types
    finally:
        instance.dispose()


def test_higher_priority_runs_first_on_both_brokers() -> None:
    assert priority_for("amqp://h//", 8) > priority_for("amqp://h//", 2)
    # Redis serves lower numbers first: the order is turned around
    assert priority_for("redis://h:6379/0", 8) < priority_for("redis://h:6379/0", 2)
