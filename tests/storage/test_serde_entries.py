"""Stored event log entries: format 3 is written (an ``event_logs`` row's columns are not repeated, the
payload carries its union tag), and formats 1 and 2 (rows already in users' databases) still read
exactly. ``test_release_db.py`` reads a whole database written by the previous release."""

from __future__ import annotations

import json
from typing import Any

import pytest

from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.core.expectation_result import ExpectationResult
from headwater.errors import StorageError
from headwater.events import payloads
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.serde import RowColumns, entry_from_json, entry_to_json

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
# The same event in a format-2 row body (its columns hold run id, timestamp, step key, event type).
V2_STEP_INPUT = (
    '{"v":2,"job_name":"__ephemeral_asset_job__","message":"Got input \\"a\\" of type \\"Any\\". '
    '(Type check passed).","pid":4583,"fields":{"input_name":"a","type_check_data":{"__t":"TypeCheckData",'
    '"__f":{"success":true,"label":"a"}}}}'
)


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


_E = EventType
#: The event type each payload class usually rides on.
USUAL_EVENT_TYPE = {
    payloads.StepOutputData: _E.STEP_OUTPUT,
    payloads.StepInputData: _E.STEP_INPUT,
    payloads.StepFailureData: _E.STEP_FAILURE,
    payloads.StepSuccessData: _E.STEP_SUCCESS,
    payloads.StepRetryData: _E.STEP_UP_FOR_RETRY,
    payloads.HandledOutputData: _E.HANDLED_OUTPUT,
    payloads.LoadedInputData: _E.LOADED_INPUT,
    payloads.EngineEventData: _E.ENGINE_EVENT,
    payloads.AssetMaterializationPlannedData: _E.ASSET_MATERIALIZATION_PLANNED,
    payloads.AssetCheckEvaluationPlanned: _E.ASSET_CHECK_EVALUATION_PLANNED,
    payloads.RunFailureData: _E.RUN_FAILURE,
    payloads.HookData: _E.HOOK_COMPLETED,
    AssetMaterialization: _E.ASSET_MATERIALIZATION,
    AssetObservation: _E.ASSET_OBSERVATION,
    AssetCheckEvaluation: _E.ASSET_CHECK_EVALUATION,
    ExpectationResult: _E.STEP_EXPECTATION_RESULT,
}


def _entries() -> list[EventLogEntry]:
    """Entries with every payload, under its usual event type and an engine event, and odd envelopes."""
    out = []
    for i, data in enumerate(PAYLOADS):
        for event_type in {USUAL_EVENT_TYPE.get(type(data), _E.ENGINE_EVENT), _E.ENGINE_EVENT}:
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
def test_format_3_round_trips_standalone_and_in_a_row(entry: EventLogEntry) -> None:
    assert fields(entry_from_json(entry_to_json(entry))) == fields(entry)
    row_body = entry_to_json(entry, in_row=True)
    assert fields(entry_from_json(row_body, 1, columns(entry))) == fields(entry)


def test_formats_1_and_2_still_read_exactly() -> None:
    entry = _step_input()
    assert fields(entry_from_json(V1_STEP_INPUT)) == fields(entry)
    # A format-1 row holds everything itself: its columns are not consulted.
    assert fields(entry_from_json(V1_STEP_INPUT, 1, RowColumns("other", 0.0, "x", "STEP_START"))) == fields(
        entry
    )
    assert fields(entry_from_json(V2_STEP_INPUT, 2, columns(entry))) == fields(entry)


def test_format_3_row_body() -> None:
    entry = _step_input()
    row_body = entry_to_json(entry, in_row=True)
    assert json.loads(row_body) == {
        "v": 3,
        "job_name": JOB,
        "message": 'Got input "a" of type "Any". (Type check passed).',
        "pid": 4583,
        "data": {
            "type": "StepInputData",
            "input_name": "a",
            "type_check_data": {"success": True, "label": "a"},
        },
    }
    assert len(row_body) < len(V1_STEP_INPUT) / 2 and len(row_body) <= len(V2_STEP_INPUT)


def test_a_row_body_leaves_out_what_the_columns_hold() -> None:
    entry = _step_input()
    body = json.loads(entry_to_json(entry, in_row=True))
    assert not {"run_id", "timestamp", "step_key", "event_type", "level", "user_message"} & set(body)
    assert RUN_ID not in json.dumps(body)
    standalone = json.loads(entry_to_json(entry))
    assert {"run_id", "timestamp", "step_key", "event_type"} <= set(standalone)


def test_the_events_own_job_and_step_are_kept_where_they_differ() -> None:
    event = Event(EventType.STEP_START, "other_job", step_key=None, message="m")
    entry = EventLogEntry("r", 1.0, event, job_name="job", step_key="s")
    body = json.loads(entry_to_json(entry, in_row=True))
    assert (body["event_job_name"], body["event_step_key"]) == ("other_job", None)
    back = entry_from_json(json.dumps(body), 1, columns(entry))
    assert back.dagster_event is not None
    assert (back.dagster_event.job_name, back.dagster_event.step_key, back.step_key) == (
        "other_job",
        None,
        "s",
    )


def test_a_payload_under_an_unusual_event_type_reads_back_as_its_class() -> None:
    data = AssetMaterialization(AssetKey("a"))
    event = Event(EventType.ENGINE_EVENT, "job", event_specific_data=data)
    entry = EventLogEntry("r", 1.0, event, job_name="job")
    body = json.loads(entry_to_json(entry, in_row=True))
    assert body["data"] == {"type": "AssetMaterialization", "asset_key": ["a"]}
    back = entry_from_json(json.dumps(body), 1, columns(entry)).dagster_event
    assert back is not None and back.event_specific_data == data


def test_a_row_body_without_its_columns_is_a_corrupt_row() -> None:
    body = entry_to_json(_step_input(), in_row=True)
    with pytest.raises(StorageError, match="event log row 7"):
        entry_from_json(body, 7)


def test_a_newer_format_is_refused_naming_the_versions_read() -> None:
    with pytest.raises(StorageError, match=r"unknown format version 4.*versions 1 to 3.*newer Headwater"):
        entry_from_json('{"v":4}', 1)


@pytest.mark.parametrize(
    "body",
    [
        '{"v":3,"job_name":"j","data":{"type":"NoSuchData"}}',
        '{"v":3,"job_name":"j","data":{"type":"StepSuccessData","duration_ms":"fast"}}',
        '{"v":3,"job_name":"j","data":{"type":"AssetMaterialization","asset_key":[]}}',
        '{"v":2,"job_name":"j","fields":{}}',
        '{"v":2,"job_name":"j","data":{"__t":"os:system","__f":{}}}',
    ],
)
def test_malformed_payloads_are_corrupt_rows_naming_the_row(body: str) -> None:
    with pytest.raises(StorageError, match="Cannot read event log row 5"):
        entry_from_json(body, 5, RowColumns("r", 1.0, None, EventType.STEP_START.value))
