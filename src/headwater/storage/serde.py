"""JSON form of stored objects: event log entries and runs (versioned), through :mod:`headwater.core.codec`.

An event log entry is stored in format 3 (:func:`entry_to_json`): one flat object, only what differs
from a default, the payload as its tagged union member (``"data": {"type": "StepInputData", ...}``).
Rows of formats 1 and 2, written by Headwater 0.1, are translated on read (``storage.legacy_rows``).
A run is stored in format 2 (its fields; ``run_config`` plain JSON); format 1 is still read.
"""

from __future__ import annotations

import json
import logging
from typing import NamedTuple

import msgspec
from msgspec import UNSET, UnsetType

from headwater.core import codec
from headwater.errors import HeadwaterError, StorageError
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.payloads import PAYLOAD_CLASSES, EventPayload
from headwater.storage import legacy_rows
from headwater.storage.runs import Run

#: Format of stored event log entries; 1 and 2 are still read.
ENTRY_FORMAT_VERSION = 3
#: Format of stored runs; 1 is still read.
RUN_FORMAT_VERSION = 2
_DEFAULT_LEVEL = 10
_PREFIX = '{"v":3,'
log = logging.getLogger("headwater.storage")


class RowColumns(NamedTuple):
    """The values of an ``event_logs`` row's columns, which its JSON body does not repeat."""

    run_id: str
    timestamp: float
    step_key: str | None
    event_type: str | None


class EntryBody(msgspec.Struct, omit_defaults=True, gc=False):
    """A stored event log entry (format 3). ``run_id``, ``timestamp``, ``step_key`` and
    ``event_type`` are left out of an ``event_logs`` row's body (its columns hold them); the event's
    own job and step only where they differ from the entry's."""

    v: int
    run_id: str | UnsetType = UNSET
    timestamp: float | UnsetType = UNSET
    step_key: str | UnsetType | None = UNSET
    event_type: EventType | UnsetType = UNSET
    job_name: str | None = None
    level: int = _DEFAULT_LEVEL
    user_message: str = ""
    event_job_name: str | UnsetType | None = UNSET
    event_step_key: str | UnsetType | None = UNSET
    message: str | None = None
    node_name: str | None = None
    pid: int | None = None
    data: EventPayload | None = None


_entry_decoder = codec.decoder(EntryBody)


def entry_to_json(entry: EventLogEntry, *, in_row: bool = False) -> str:
    """The stored JSON of ``entry`` (format 3); ``in_row``: without what an ``event_logs`` row's
    columns hold (:class:`RowColumns`)."""
    job_name, step_key = entry.job_name, entry.step_key
    event = entry.dagster_event
    body = EntryBody(
        ENTRY_FORMAT_VERSION, job_name=job_name, level=entry.level, user_message=entry.user_message
    )
    if not in_row:
        body.run_id = entry.run_id
        body.timestamp = entry.timestamp
        if step_key is not None:
            body.step_key = step_key
        if event is not None:
            body.event_type = event.event_type
    if event is not None:
        if event.job_name != job_name:
            body.event_job_name = event.job_name
        if event.step_key != step_key:
            body.event_step_key = event.step_key
        body.message, body.node_name, body.pid = event.message, event.node_name, event.pid
        data = event.event_specific_data
        if data is not None:
            if type(data) not in PAYLOAD_CLASSES:
                raise StorageError(
                    f"Cannot store {event.event_type.value} event data {_short(data)}: an event's data must "
                    f"be one of {', '.join(sorted(c.__name__ for c in PAYLOAD_CLASSES))}, or None."
                )
            body.data = data
    try:
        return codec.encode(body).decode()
    except codec.SerdeError as exc:
        raise StorageError(f"Cannot store event {entry!r}: {exc}") from exc


def entry_from_json(
    text: str, storage_id: int | None = None, columns: RowColumns | None = None
) -> EventLogEntry:
    """Decode a stored entry (format 1, 2 or 3); ``columns``: those of its ``event_logs`` row, for what
    its body leaves out. A malformed one raises ``CorruptRowError`` naming ``storage_id``."""
    try:
        if text.startswith(_PREFIX):
            return _entry(_entry_decoder.decode(text), columns)
        body = json.loads(text)  # the stdlib reads NaN, which old rows may hold
        version = body.get("v") if isinstance(body, dict) else None
        if version == 1:
            return _entry(codec.convert(legacy_rows.entry_body(body), EntryBody), None)  # self-contained
        if version == 2:
            column_type = columns.event_type if columns is not None else None
            return _entry(codec.convert(legacy_rows.entry_body(body, column_type), EntryBody), columns)
        if version == ENTRY_FORMAT_VERSION:
            return _entry(codec.convert(body, EntryBody), columns)
        raise ValueError(
            f"unknown format version {version!r} (this Headwater reads versions 1 to {ENTRY_FORMAT_VERSION}; "
            "a newer version was written by a newer Headwater)"
        )
    except (msgspec.MsgspecError, HeadwaterError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise _corrupt("event log row", storage_id, exc) from exc


def _entry(body: EntryBody, columns: RowColumns | None) -> EventLogEntry:
    run_id, timestamp, step_key, event_type = body.run_id, body.timestamp, body.step_key, body.event_type
    if columns is not None:
        if run_id is UNSET:
            run_id = columns.run_id
        if timestamp is UNSET:
            timestamp = columns.timestamp
        if step_key is UNSET:
            step_key = columns.step_key
        if event_type is UNSET and columns.event_type is not None:
            event_type = EventType(columns.event_type)
    elif run_id is UNSET or timestamp is UNSET:
        raise ValueError("the entry has no run id or timestamp, and its row's columns were not given")
    if step_key is UNSET:
        step_key = None
    job_name = body.job_name
    event = None
    if event_type is not UNSET:
        event_job_name, event_step_key = body.event_job_name, body.event_step_key
        event = Event(
            event_type,
            job_name if event_job_name is UNSET else event_job_name,  # type: ignore[arg-type]
            step_key if event_step_key is UNSET else event_step_key,
            body.message,
            body.data,
            body.node_name,
            body.pid,
        )
    elif body.data is not None:
        raise ValueError("the entry has event data but no event type")
    return EventLogEntry(
        run_id,
        timestamp,
        event,
        job_name=job_name,
        step_key=step_key,
        level=body.level,
        user_message=body.user_message,
    )


def entry_or_none(
    text: str, storage_id: int | None, columns: RowColumns | None = None
) -> EventLogEntry | None:
    """Decode an event log row, or log a warning naming its storage id and return None: readers skip
    a corrupt row instead of failing on it."""
    try:
        return entry_from_json(text, storage_id, columns)
    except CorruptRowError as exc:
        log.warning("Skipping event log row %s: %s", storage_id, exc)
        return None


class CorruptRowError(StorageError):
    """A stored row cannot be decoded (bad JSON, an unknown format version or type)."""


def _corrupt(what: str, ident: object, exc: BaseException) -> CorruptRowError:
    return CorruptRowError(
        f"Cannot read {what} {ident}: its stored JSON is malformed ({type(exc).__name__}: {exc}). "
        "The row was written by another tool or damaged; delete it or restore it from a backup."
    )


def _short(value: object) -> str:
    text = repr(value)
    return (
        f"{text[:117]}... ({type(value).__name__})" if len(text) > 120 else f"{text} ({type(value).__name__})"
    )


# -- runs
def run_to_json(run: Run) -> str:
    """The stored JSON of ``run`` (format 2): ``{"v": 2, <its fields>}``; sets sorted."""
    try:
        return codec.encode({"v": RUN_FORMAT_VERSION, **codec.to_builtins(run, sorted_sets=True)}).decode()
    except codec.SerdeError as exc:
        raise StorageError(f"Cannot store run {run.run_id}: {exc}") from exc


def run_from_json(text: str) -> Run:
    """Decode a stored run (format 1 or 2); a malformed one raises ``CorruptRowError``."""
    try:
        body = json.loads(text)
        version = body.pop("v", None) if isinstance(body, dict) else None
        if version == 1:
            body["run_config"] = legacy_rows.value(body.get("run_config") or {})
        elif version != RUN_FORMAT_VERSION:
            raise ValueError(
                f"unknown format version {version!r} "
                f"(this Headwater reads versions 1 to {RUN_FORMAT_VERSION})"
            )
        return codec.convert(body, Run)
    except (HeadwaterError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _corrupt("run", text[:80], exc) from exc
