"""Run coordinators: when a created run is launched.

* ``ImmediateRunCoordinator`` (the default): hand the run to the launcher now.
* ``QueuedRunCoordinator``: put it in QUEUED (a RUN_ENQUEUED event); ``dequeue_tick`` launches queued
  runs as the concurrency limits allow. The queue is the runs table: a restart loses nothing.
"""

from __future__ import annotations

from headwater.events.event_type import EventType
from headwater.runs.protocols import RunCoordinator, RunLauncher
from headwater.runs.run_events import emit_run_event, get_run
from headwater.runs.settings import RunsSettings
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run

__all__ = ["ImmediateRunCoordinator", "QueuedRunCoordinator", "RunCoordinator", "coordinator_for"]


class ImmediateRunCoordinator:
    """Launches each submitted run at once (Dagster's ``DefaultRunCoordinator``)."""

    def submit_run(self, storage: Storage, launcher: RunLauncher, run: Run) -> Run:
        return launcher.launch_run(storage, run)


class QueuedRunCoordinator:
    """Queues each submitted run; ``dequeue_tick`` (the daemon, ``headwater run dequeue``) launches it."""

    def submit_run(self, storage: Storage, launcher: RunLauncher, run: Run) -> Run:
        emit_run_event(storage, run, EventType.RUN_ENQUEUED, "Placed run in the queue.")
        return get_run(storage, run.run_id) or run


def coordinator_for(settings: RunsSettings) -> RunCoordinator:
    if settings.coordinator == "queued":
        return QueuedRunCoordinator()
    return ImmediateRunCoordinator()
