"""Run monitoring: a run whose worker stopped heartbeating (or exited) without finishing is failed.

``monitor_tick(storage, now, timeout)`` checks every STARTING/STARTED/CANCELING run: a worker heartbeat older
than ``timeout`` seconds, or a worker pid (on this host) that is gone, ends the run -- FAILURE with
the reason, or CANCELED for a run that was being canceled -- and frees the instance pool slots its
steps held.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from headwater.events.payloads import RunFailureData
from headwater.events.run_status import RunStatus
from headwater.runs.processes import pid_alive, worker_pid
from headwater.runs.run_events import get_run, report_run_canceled, report_run_failed
from headwater.storage.protocols import Storage
from headwater.storage.runs import RunsFilter

_WATCHED = (RunStatus.STARTING, RunStatus.STARTED, RunStatus.CANCELING)


@dataclass(frozen=True, slots=True)
class MonitorResult:
    checked: int
    failed: tuple[tuple[str, str], ...]  # (run id, reason)


def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def monitor_tick(storage: Storage, now: float, timeout: float) -> MonitorResult:
    """End the runs whose worker is gone; ``timeout`` (seconds) is ``run_monitoring``'s
    ``heartbeat_timeout_seconds``."""
    limit = timeout
    records = storage.run_store.get_run_records(RunsFilter(statuses=list(_WATCHED)))
    beats = storage.run_workers.get_heartbeats([r.dagster_run.run_id for r in records])
    failed: list[tuple[str, str]] = []
    for record in records:
        run = record.dagster_run
        pid = worker_pid(run.tags)
        beat = beats.get(run.run_id)
        reason: str | None = None
        if beat is not None and now - beat.timestamp > limit:
            reason = (
                f"run worker pid {beat.pid} stopped heartbeating at {_when(beat.timestamp)} "
                f"({now - beat.timestamp:.0f} s ago; timeout {limit:g} s)"
            )
        elif pid is not None and not pid_alive(pid):
            last = f"; last heartbeat at {_when(beat.timestamp)}" if beat is not None else ""
            reason = f"run worker pid {pid} exited without finishing the run{last}"
        elif beat is None and now - record.update_timestamp.timestamp() > limit:
            reason = f"run worker never sent a heartbeat within {limit:g} s of the run's last update"
        if reason is None:
            continue
        current = get_run(storage, run.run_id)
        if current is None or current.is_finished:
            continue
        if current.status is RunStatus.CANCELING:
            report_run_canceled(storage, current, f"Run canceled: {reason}.")
        else:
            report_run_failed(
                storage, current, f"Run failed: {reason}.", RunFailureData(None, "RUN_WORKER_LOST", None)
            )
        storage.run_workers.clear(run.run_id)
        storage.concurrency.free_slots_for_run(run.run_id)  # the dead worker's pool slots
        failed.append((run.run_id, reason))
    return MonitorResult(len(records), tuple(failed))
