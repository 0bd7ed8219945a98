"""Storing the run events of the lifecycle (ENQUEUED, DEQUEUED, STARTING, CANCELING...)."""

from __future__ import annotations

import logging
import time
from typing import Any

from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.runs.protocols import RunsInstance
from headwater.storage.runs import Run


def emit_run_event(
    instance: RunsInstance,
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
        time.time() if timestamp is None else timestamp,
        Event(event_type, run.job_name, message=message, event_specific_data=data),
        job_name=run.job_name,
        level=level,
        user_message=message,
    )
    instance.handle_new_events([entry])
