"""Run coordinators: when a created run is launched.

* ``ImmediateRunCoordinator`` (the default): hand the run to the launcher now.
* ``QueuedRunCoordinator``: put it in QUEUED (a RUN_ENQUEUED event); ``dequeue_tick`` launches queued
  runs as the concurrency limits allow. The queue is the runs table: a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from headwater.events.event_type import EventType
from headwater.runs.protocols import RunCoordinator, RunLauncher
from headwater.runs.run_events import emit_run_event, emit_run_events, get_run
from headwater.runs.settings import RunsSettings
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run

__all__ = [
    "ImmediateRunCoordinator",
    "QueuedRunCoordinator",
    "RunCoordinator",
    "RunQueueConfig",
    "coordinator_for",
]


class ImmediateRunCoordinator:
    """Launches each submitted run at once (Dagster's ``DefaultRunCoordinator``)."""

    def submit_run(self, storage: Storage, launcher: RunLauncher, run: Run) -> Run:
        return launcher.launch_run(storage, run)

    def submit_runs(self, storage: Storage, launcher: RunLauncher, runs: Sequence[Run]) -> None:
        """Submit many runs (a scheduler tick's): each launched in turn."""
        for run in runs:
            launcher.launch_run(storage, run)


class RunQueueConfig(NamedTuple):
    """The queue limits of a ``QueuedRunCoordinator`` (Dagster's ``get_run_queue_config()``)."""

    max_concurrent_runs: int
    tag_concurrency_limits: Sequence[Mapping[str, Any]]
    dequeue_interval_seconds: float


class QueuedRunCoordinator:
    """Queues each submitted run; ``dequeue_tick`` (the daemon, ``headwater run dequeue``) launches it.

    Built from ``headwater.yaml`` (``run_coordinator: {queued: {...}}``, or Dagster's ``{class:
    QueuedRunCoordinator, config: {...}}``), or in Python with Dagster's arguments --
    ``QueuedRunCoordinator(max_concurrent_runs=5, tag_concurrency_limits=[...])`` -- for
    ``Instance.configure_runs(coordinator=...)``. ``max_concurrent_runs=-1`` (the default): no limit.
    """

    def __init__(
        self,
        max_concurrent_runs: int | None = None,
        tag_concurrency_limits: Sequence[Mapping[str, Any]] | None = None,
        dequeue_interval_seconds: float | None = None,
        dequeue_use_threads: bool | None = None,
        dequeue_num_workers: int | None = None,
        max_user_code_failure_retries: int | None = None,
        user_code_failure_retry_delay: int | None = None,
        block_op_concurrency_limited_runs: Mapping[str, Any] | None = None,
        inst_data: Any = None,
        *,
        settings: RunsSettings | None = None,
    ) -> None:
        if settings is None:
            given = {
                "max_concurrent_runs": max_concurrent_runs,
                "tag_concurrency_limits": list(tag_concurrency_limits) if tag_concurrency_limits else None,
                "dequeue_interval_seconds": dequeue_interval_seconds,
                "dequeue_use_threads": dequeue_use_threads,
                "dequeue_num_workers": dequeue_num_workers,
                "max_user_code_failure_retries": max_user_code_failure_retries,
                "user_code_failure_retry_delay": user_code_failure_retry_delay,
                "block_op_concurrency_limited_runs": block_op_concurrency_limited_runs,
            }
            config = {k: v for k, v in given.items() if v is not None}
            settings = RunsSettings.from_config({"run_coordinator": {"queued": config}})
        self.settings = settings

    def get_run_queue_config(self) -> RunQueueConfig:
        limits = [
            {
                "key": t.key,
                "limit": t.limit,
                **({"value": t.value} if t.value is not None else {}),
                **({"value": {"applyLimitPerUniqueValue": True}} if t.per_unique_value else {}),
            }
            for t in self.settings.tag_concurrency_limits
        ]
        return RunQueueConfig(
            self.settings.max_concurrent_runs, limits, self.settings.dequeue_interval_seconds
        )

    @property
    def dequeue_interval_seconds(self) -> float:
        return self.settings.dequeue_interval_seconds

    def submit_run(self, storage: Storage, launcher: RunLauncher, run: Run) -> Run:
        emit_run_event(storage, run, EventType.RUN_ENQUEUED, "Placed run in the queue.")
        return get_run(storage, run.run_id) or run

    def submit_runs(self, storage: Storage, launcher: RunLauncher, runs: Sequence[Run]) -> None:
        """Queue many runs (a scheduler tick's) in one transaction."""
        emit_run_events(storage, runs, EventType.RUN_ENQUEUED, "Placed run in the queue.")


def coordinator_for(settings: RunsSettings) -> RunCoordinator:
    if settings.coordinator == "queued":
        return QueuedRunCoordinator(settings=settings)
    return ImmediateRunCoordinator()
