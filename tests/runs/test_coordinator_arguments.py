"""QueuedRunCoordinator and DefaultRunLauncher built in Python with Dagster's arguments."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.runs.settings import RunsConfigError


def test_a_queued_coordinator_built_in_python_sets_the_queue_limits(tmp_path: object) -> None:
    coordinator = hw.QueuedRunCoordinator(
        max_concurrent_runs=2, tag_concurrency_limits=[{"key": "db", "value": "pg", "limit": 1}]
    )
    config = coordinator.get_run_queue_config()
    assert config.max_concurrent_runs == 2
    assert config.tag_concurrency_limits == [{"key": "db", "limit": 1, "value": "pg"}]
    with hw.instance_for_test() as instance:
        instance.configure_runs(coordinator=coordinator, launcher=hw.DefaultRunLauncher())
        assert instance.run_coordinator is coordinator
        assert instance.runs_settings.max_concurrent_runs == 2
        assert isinstance(instance.run_launcher, hw.DefaultRunLauncher)


def test_bad_coordinator_arguments_are_named() -> None:
    with pytest.raises(RunsConfigError, match="max_concurrent_runs"):
        hw.QueuedRunCoordinator(max_concurrent_runs=-5)
