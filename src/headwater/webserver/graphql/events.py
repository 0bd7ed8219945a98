"""Run events: ``RunEvent`` over a stored ``EventLogRecord``, pages of them (``EventConnection``).

One GraphQL type for every kind of event (Dagster has one per kind): its common fields, plus ``data``,
the event's payload in the codec's own JSON form (``{"type": "StepFailureData", ...}``, the stored
shape). ``event_dict`` gives the same fields as plain JSON for the Server-Sent Events stream.
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import Any, cast

import strawberry

from headwater.core import codec
from headwater.events.event import EventLogRecord
from headwater.events.event_type import EventType
from headwater.webserver.graphql.asset_keys import AssetKey
from headwater.webserver.graphql.errors import PythonError
from headwater.webserver.graphql.scalars import JSON

DagsterEventType = strawberry.enum(EventType, name="DagsterEventType", description="What happened.")


@strawberry.enum(description="A log level, as Python's logging names it.")
class LogLevel(Enum):
    CRITICAL = "CRITICAL"
    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"
    DEBUG = "DEBUG"


def log_level(level: int) -> LogLevel:
    if level >= logging.CRITICAL:
        return LogLevel.CRITICAL
    if level >= logging.ERROR:
        return LogLevel.ERROR
    if level >= logging.WARNING:
        return LogLevel.WARNING
    if level >= logging.INFO:
        return LogLevel.INFO
    return LogLevel.DEBUG


@strawberry.interface(description="Dagster's interface of run events: what every event has.")
class MessageEvent:
    run_id: str
    message: str
    timestamp: str = strawberry.field(description="Milliseconds since the epoch, as a string (Dagster).")
    level: LogLevel
    step_key: str | None


@strawberry.type(description="One stored event of a run (or a plain log message: eventType null).")
class RunEvent(MessageEvent):
    record: strawberry.Private[EventLogRecord]
    cursor: str = strawberry.field(description="Its storage id: pass it as afterCursor to read on.")
    event_type: DagsterEventType | None  # type: ignore[valid-type]

    @strawberry.field(description="The asset it is about, if any.")
    def asset_key(self) -> AssetKey | None:
        key = self.record.asset_key
        return AssetKey.of(key) if key is not None else None

    @strawberry.field(description="The partition it is about, if any.")
    def partition(self) -> str | None:
        return self.record.partition_key

    @strawberry.field(description="The event's payload in the codec's JSON form (its stored shape).")
    def data(self) -> JSON | None:
        return cast(JSON, payload_json(self.record))

    @strawberry.field(description="The error a failure event carries.")
    def error(self) -> PythonError | None:
        event = self.record.event_log_entry.dagster_event
        info = getattr(event.event_specific_data, "error", None) if event is not None else None
        return PythonError.from_info(info) if info is not None else None

    @staticmethod
    def of(record: EventLogRecord) -> RunEvent:
        entry = record.event_log_entry
        event = entry.dagster_event
        return RunEvent(
            record=record,
            cursor=str(record.storage_id),
            run_id=entry.run_id,
            message=entry.message,
            timestamp=str(int(entry.timestamp * 1000)),
            level=log_level(entry.level),
            step_key=entry.step_key if entry.step_key is not None else (event.step_key if event else None),
            event_type=event.event_type if event is not None else None,
        )


def payload_json(record: EventLogRecord) -> Any:
    event = record.event_log_entry.dagster_event
    if event is None or event.event_specific_data is None:
        return None
    return codec.to_builtins(event.event_specific_data)


def event_dict(record: EventLogRecord) -> dict[str, Any]:
    """The fields of ``RunEvent`` as plain JSON (the Server-Sent Events stream sends this)."""
    entry = record.event_log_entry
    event = entry.dagster_event
    key = record.asset_key
    return {
        "cursor": str(record.storage_id),
        "runId": entry.run_id,
        "timestamp": str(int(entry.timestamp * 1000)),
        "eventType": event.event_type.name if event is not None else None,
        "level": log_level(entry.level).value,
        "message": entry.message,
        "stepKey": entry.step_key if entry.step_key is not None else (event.step_key if event else None),
        "assetKey": {"path": list(key.path)} if key is not None else None,
        "partition": record.partition_key,
        "data": payload_json(record),
    }


@strawberry.type(description="A page of a run's events.")
class EventConnection:
    events: list[RunEvent]
    cursor: str = strawberry.field(description="Pass as afterCursor for the next page.")
    has_more: bool
