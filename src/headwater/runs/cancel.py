"""Canceling a run: CANCELING, SIGTERM to its worker, SIGKILL after a grace period, CANCELED.

The worker, on SIGTERM, stops launching steps, terminates its step workers and stores RUN_CANCELED
itself; when it does not within the grace period it is killed and the run is marked CANCELED here.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

from headwater.errors import HeadwaterError, RunNotFoundError
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.runs.processes import pid_alive, send_signal, worker_pid
from headwater.runs.run_events import emit_run_event, get_run, report_run_canceled
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run

_POLL = 0.05


class CancelError(HeadwaterError):
    """A run cannot be canceled (it has finished)."""


def cancel_run(
    storage: Storage, run_id: str, *, grace_period: float, sleep: Callable[[float], None] = time.sleep
) -> Run:
    """Cancel ``run_id`` and wait (up to ``grace_period`` seconds -- ``run_monitoring``'s
    ``cancel_grace_period_seconds`` -- then SIGKILL) until it is CANCELED (or it finished first).
    Returns the run as it ends up."""
    run = get_run(storage, run_id)
    if run is None:
        raise RunNotFoundError(f"No run {run_id} in this instance; `headwater run list` shows the runs.")
    if run.is_finished:
        raise CancelError(
            f"Run {run_id} has already finished ({run.status.value}); there is nothing to cancel."
        )
    grace = grace_period
    if run.status in (RunStatus.QUEUED, RunStatus.NOT_STARTED):
        report_run_canceled(storage, run, "Canceled before it started.")
        return get_run(storage, run_id) or run
    if run.status is not RunStatus.CANCELING:
        emit_run_event(storage, run, EventType.RUN_CANCELING, "Sending the run worker a termination request.")
    pid = worker_pid(run.tags)
    if pid is not None and send_signal(pid, signal.SIGTERM):
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            current = get_run(storage, run_id)
            if current is not None and current.is_finished and not pid_alive(pid):
                return current
            if not pid_alive(pid):
                break
            sleep(_POLL)
        if pid_alive(pid):
            send_signal(pid, signal.SIGKILL)
            for _ in range(100):
                if not pid_alive(pid):
                    break
                sleep(_POLL)
    current = get_run(storage, run_id) or run
    if not current.is_finished:
        why = (
            f"the run worker (pid {pid}) did not stop within {grace:g} s of SIGTERM and was killed"
            if pid is not None
            else "no run worker process was found on this machine"
        )
        report_run_canceled(storage, current, f"Run canceled: {why}.")
        storage.concurrency.free_slots_for_run(run_id)  # its worker could not free them
        current = get_run(storage, run_id) or current
    return current
