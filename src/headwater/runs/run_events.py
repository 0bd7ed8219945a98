"""Storing the run events of the lifecycle (ENQUEUED, DEQUEUED, STARTING, CANCELING, FAILURE...), and
reading a run as it is stored now. Times come from the storage's clock unless given."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.payloads import EngineEventData, RunFailureData
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run


def emit_run_event(
    storage: Storage,
    run: Run,
    event_type: EventType,
    message: str,
    data: Any = None,
    *,
    timestamp: float | None = None,
    level: int = logging.INFO,
) -> None:
    """Store one event of ``run`` (and the status change it implies, checked by the transition table)."""
    entry = EventLogEntry(
        run.run_id,
        storage.clock() if timestamp is None else timestamp,
        Event(event_type, run.job_name, message=message, event_specific_data=data),
        job_name=run.job_name,
        level=level,
        user_message=message,
    )
    storage.handle_new_events([entry])


def emit_run_events(
    storage: Storage, runs: Sequence[Run], event_type: EventType, message: str, *, level: int = logging.INFO
) -> None:
    """``emit_run_event`` for many runs, in one transaction (all or none)."""
    now = storage.clock()
    storage.handle_new_events(
        [
            EventLogEntry(
                run.run_id,
                now,
                Event(event_type, run.job_name, message=message),
                job_name=run.job_name,
                level=level,
                user_message=message,
            )
            for run in runs
        ]
    )


def report_run_failed(storage: Storage, run: Run, message: str, data: RunFailureData | None = None) -> None:
    """Mark ``run`` FAILURE from outside its execution (a RUN_FAILURE event)."""
    emit_run_event(storage, run, EventType.RUN_FAILURE, message, data, level=logging.ERROR)


def report_run_canceled(storage: Storage, run: Run, message: str) -> None:
    """Mark ``run`` CANCELED from outside its execution (a RUN_CANCELED event)."""
    emit_run_event(storage, run, EventType.RUN_CANCELED, message, level=logging.ERROR)


def report_engine_event(
    storage: Storage, run: Run, message: str, data: EngineEventData | None = None
) -> None:
    emit_run_event(storage, run, EventType.ENGINE_EVENT, message, data or EngineEventData())


def get_run(storage: Storage, run_id: str) -> Run | None:
    """``run_id`` as stored now (None when there is no such run)."""
    record = storage.run_store.get_run_record(run_id)
    return record.dagster_run if record is not None else None
