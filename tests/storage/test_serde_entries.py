"""Stored event log entries: format 2 (compact; an ``event_logs`` row's columns are not repeated) is
written, and format 1 (rows already in users' databases) still reads exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from headwater.core import serde as core_serde
from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.errors import StorageError
from headwater.events import payloads
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.serde import _PAYLOAD_CLASSES, RowColumns, entry_from_json, entry_to_json

from .test_serde import PAYLOADS

RUN_ID = "81ac0d6e-0b8e-4a57-a3d4-4c7c1e1d2f3a"
JOB = "__ephemeral_asset_job__"
# A format-1 row as Headwater 0.1 wrote it (the issue's example).
V1_STEP_INPUT = (
    '{"v":1,"run_id":"81ac0d6e-0b8e-4a57-a3d4-4c7c1e1d2f3a","timestamp":1795621609.56,'
    '"job_name":"__ephemeral_asset_job__","step_key":"b","level":10,"user_message":"",'
    '"event":{"event_type":"STEP_INPUT","job_name":"__ephemeral_asset_job__","step_key":"b",'
    '"message":"Got input \\"a\\" of type \\"Any\\". (Type check passed).","node_name":null,"pid":4583,'
    '"data":{"__t":"headwater.events.payloads:StepInputData","__f":{"input_name":"a","type_check_data":'
    '{"__t":"headwater.events.payloads:TypeCheckData","__f":{"success":true,"label":"a","description":null}}}}}}'
)


def v1_json(entry: EventLogEntry) -> str:
    """What format 1 wrote (Headwater 0.1's ``entry_to_json``): every field, module-path type tags."""
    event = entry.dagster_event
    body: dict[str, Any] = {
        "v": 1,
        "run_id": entry.run_id,
        "timestamp": entry.timestamp,
        "job_name": entry.job_name,
        "step_key": entry.step_key,
        "level": entry.level,
        "user_message": entry.user_message,
    }
    if event is not None:
        body["event"] = {
            "event_type": event.event_type.value,
            "job_name": event.job_name,
            "step_key": event.step_key,
            "message": event.message,
            "node_name": event.node_name,
            "pid": event.pid,
            "data": core_serde.encode(event.event_specific_data),
        }
    return core_serde.dumps(body)


def fields(entry: EventLogEntry) -> tuple[Any, ...]:
    """Everything an entry holds, to compare two of them."""
    ev = entry.dagster_event
    event = None
    if ev is not None:
        event = (
            ev.event_type,
            ev.job_name,
            ev.step_key,
            ev.message,
            ev.event_specific_data,
            ev.node_name,
            ev.pid,
        )
    return (
        entry.run_id,
        entry.timestamp,
        entry.job_name,
        entry.step_key,
        entry.level,
        entry.user_message,
        event,
    )


def columns(entry: EventLogEntry) -> RowColumns:
    """The ``event_logs`` columns the SQL store writes for ``entry``."""
    ev = entry.dagster_event
    return RowColumns(entry.run_id, entry.timestamp, entry.step_key, ev.event_type.value if ev else None)


def _step_input() -> EventLogEntry:
    message = 'Got input "a" of type "Any". (Type check passed).'
    data = payloads.StepInputData("a", payloads.TypeCheckData(True, "a"))
    event = Event(EventType.STEP_INPUT, JOB, "b", message, data, pid=4583)
    return EventLogEntry(RUN_ID, 1795621609.56, event, job_name=JOB, step_key="b")


def _entries() -> list[EventLogEntry]:
    """Entries with every payload, under its usual event type and another, and odd envelopes."""
    out = []
    for i, data in enumerate(PAYLOADS):
        types = [EventType.ENGINE_EVENT] + [t for t, cls in _PAYLOAD_CLASSES.items() if type(data) is cls]
        for event_type in types:
            event = Event(event_type, "job", step_key="s", message=f"m{i}", event_specific_data=data, pid=7)
            out.append(EventLogEntry("r1", 1.5 + i, event, job_name="job", step_key="s"))
    odd_event = Event(EventType.STEP_START, "other_job", step_key=None, message="", node_name="n", pid=None)
    out += [
        EventLogEntry("r1", 2.0, None, user_message="a plain log line", level=20),
        EventLogEntry("r1", 2.0, None),
        EventLogEntry("r1", 3.25, odd_event, job_name="job", step_key="s", level=40, user_message="u"),
        EventLogEntry("r1", 4.0, Event(EventType.RUN_START, "job"), job_name=None),
        _step_input(),
    ]
    return out


ENTRIES = _entries()


def _id(entry: EventLogEntry) -> str:
    ev = entry.dagster_event
    return f"{ev.event_type.value}-{type(ev.event_specific_data).__name__}" if ev else "log"


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_format_2_round_trips_standalone_and_in_a_row(entry: EventLogEntry) -> None:
    assert fields(entry_from_json(entry_to_json(entry))) == fields(entry)
    row_body = entry_to_json(entry, in_row=True)
    assert fields(entry_from_json(row_body, 1, columns(entry))) == fields(entry)


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_format_1_still_reads_exactly(entry: EventLogEntry) -> None:
    text = v1_json(entry)
    assert fields(entry_from_json(text)) == fields(entry)
    # A format-1 row holds everything itself: its columns are not needed, nor consulted.
    assert fields(entry_from_json(text, 1, RowColumns("other", 0.0, "x", "STEP_START"))) == fields(entry)


def test_the_issue_example_reads_and_shrinks() -> None:
    entry = _step_input()
    assert fields(entry_from_json(V1_STEP_INPUT)) == fields(entry)
    row_body = entry_to_json(entry, in_row=True)
    assert json.loads(row_body) == {
        "v": 2,
        "job_name": JOB,
        "message": 'Got input "a" of type "Any". (Type check passed).',
        "pid": 4583,
        "fields": {
            "input_name": "a",
            "type_check_data": {"__t": "TypeCheckData", "__f": {"success": True, "label": "a"}},
        },
    }
    assert len(row_body) < len(V1_STEP_INPUT) / 2


def test_a_row_body_leaves_out_what_the_columns_hold() -> None:
    entry = _step_input()
    body = json.loads(entry_to_json(entry, in_row=True))
    assert not {"run_id", "timestamp", "step_key", "event_type", "level", "user_message"} & set(body)
    assert RUN_ID not in json.dumps(body)
    standalone = json.loads(entry_to_json(entry))
    assert {"run_id", "timestamp", "step_key", "event_type"} <= set(standalone)


def test_the_events_own_job_and_step_are_kept_where_they_differ() -> None:
    event = Event(EventType.STEP_START, "other_job", step_key="t", message="m")
    entry = EventLogEntry("r", 1.0, event, job_name="job", step_key="s")
    body = json.loads(entry_to_json(entry, in_row=True))
    assert (body["event_job_name"], body["event_step_key"]) == ("other_job", "t")
    back = entry_from_json(json.dumps(body), 1, columns(entry))
    assert back.dagster_event is not None
    assert (back.dagster_event.job_name, back.dagster_event.step_key, back.step_key) == (
        "other_job",
        "t",
        "s",
    )


def test_an_unusual_payload_keeps_its_type_tag() -> None:
    data = AssetMaterialization(AssetKey("a"))
    event = Event(EventType.ENGINE_EVENT, "job", event_specific_data=data)
    body = json.loads(entry_to_json(EventLogEntry("r", 1.0, event, job_name="job"), in_row=True))
    assert (
        body["data"] == {"__t": "AssetMaterialization", "__j": {"asset_key": ["a"]}} and "fields" not in body
    )


def test_a_row_body_without_its_columns_is_a_corrupt_row() -> None:
    body = entry_to_json(_step_input(), in_row=True)
    with pytest.raises(StorageError, match="event log row 7"):
        entry_from_json(body, 7)


def test_a_newer_format_is_refused_naming_the_versions_read() -> None:
    with pytest.raises(StorageError, match=r"unknown format version 3.*versions 1 to 2"):
        entry_from_json('{"v":3}', 1)


def test_fields_under_an_event_type_without_a_payload_class_is_a_corrupt_row() -> None:
    body = json.dumps({"v": 2, "job_name": "j", "fields": {}})
    with pytest.raises(StorageError, match="event log row 5"):
        entry_from_json(body, 5, RowColumns("r", 1.0, None, EventType.STEP_START.value))
