"""Runs out of process: create, queue (coordinator), launch (launcher), cancel, monitor, re-execute.

The lifecycle of a launched run::

    create_run_for_launch   the run record: code pointer (tag), plan snapshot, config, tags, selection
    coordinator.submit_run  Immediate: launch now; Queued: QUEUED + RUN_ENQUEUED, then dequeue_tick
    launcher.launch_run     STARTING, then `python -m headwater.cli.main run-worker RUN_ID`, detached
    run worker              loads the code, runs the stored plan, writes events, heartbeats, exits
    cancel_run              CANCELING, SIGTERM, SIGKILL after a grace period, CANCELED
    monitor_tick            FAILURE for runs whose worker stopped heartbeating or exited (frees their
                            instance pool slots)
    retry_tick              re-executes FAILURE runs tagged dagster/max_retries (Dagster's run retries)

This package holds no user code and imports none (DESIGN.md §2): the worker itself is
``headwater.cli.run_worker``. Its functions take what they need -- the ``Storage`` (every store and
its clock), a ``RunLauncher``/``RunCoordinator``, settings as arguments -- never an ``Instance``: the
instance composes this package (``Instance.submit_run`` is ``coordinator.submit_run(storage, launcher,
run)``), and the daemon and webserver call it with the stores they hold.
"""

from __future__ import annotations

from headwater.runs.cancel import cancel_run
from headwater.runs.code_pointer import CodePointer
from headwater.runs.coordinator import ImmediateRunCoordinator, QueuedRunCoordinator, RunCoordinator
from headwater.runs.create import create_run_for_launch
from headwater.runs.launcher import DefaultRunLauncher, RunLauncher
from headwater.runs.monitor import monitor_tick
from headwater.runs.queue import TagConcurrencyLimit, dequeue_tick, select_runs_to_dequeue
from headwater.runs.reexecute import ReexecutionStrategy, create_reexecution_run
from headwater.runs.retry import retry_tick
from headwater.runs.settings import RunsSettings

__all__ = [
    "CodePointer",
    "DefaultRunLauncher",
    "ImmediateRunCoordinator",
    "QueuedRunCoordinator",
    "ReexecutionStrategy",
    "RunCoordinator",
    "RunLauncher",
    "RunsSettings",
    "TagConcurrencyLimit",
    "cancel_run",
    "create_reexecution_run",
    "create_run_for_launch",
    "dequeue_tick",
    "monitor_tick",
    "retry_tick",
    "select_runs_to_dequeue",
]
