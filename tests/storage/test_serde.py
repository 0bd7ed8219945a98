"""The JSON form of stored events and runs round-trips every payload type."""

from __future__ import annotations

import json

import pytest

from headwater.core import codec
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo
from headwater.core.expectation_result import ExpectationResult
from headwater.core.metadata_values import IntMetadataValue
from headwater.errors import StorageError
from headwater.events import payloads
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.runs import Run
from headwater.storage.serde import entry_from_json, entry_to_json, run_from_json, run_to_json


def _error() -> ErrorInfo:
    try:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise ValueError("outer") from inner
    except ValueError as exc:
        return ErrorInfo.from_exception(exc)


PAYLOADS = [
    None,
    payloads.StepOutputData("result", mapping_key="k", type_check_data=payloads.TypeCheckData(True, "int")),
    payloads.StepOutputData("result", metadata={"rows": IntMetadataValue(3)}),
    payloads.StepInputData("x"),
    payloads.StepFailureData(_error(), payloads.UserFailureData("bad", "why", {"n": 1}), "USER_CODE_ERROR"),
    payloads.StepSuccessData(12.5),
    payloads.StepRetryData(_error(), 3.0),
    payloads.HandledOutputData("result", "io_manager"),
    payloads.LoadedInputData("x", "io_manager", "result", "up"),
    payloads.EngineEventData({"pid": 12, "nested": {"a": [1, 2]}}),
    payloads.AssetMaterializationPlannedData(AssetKey(["a", "b"]), "2024-01-01"),
    payloads.AssetCheckEvaluationPlanned(AssetKey("a"), "not_null"),
    payloads.RunFailureData(_error(), "STEP_FAILURE", "s1"),
    payloads.HookData("hook"),
    AssetMaterialization(
        AssetKey(["a", "b"]), description="d", metadata={"rows": 3, "path": "/x"}, partition="p"
    ),
    AssetObservation(AssetKey("a"), metadata={"f": 1.5}, tags={"dagster/data_version": "v1"}),
    AssetCheckEvaluation(AssetKey("a"), "not_null", False, metadata={"bad": 2}, partition="p"),
    ExpectationResult(False, "rows", "too few", {"n": 3}),
]


@pytest.mark.parametrize("data", PAYLOADS, ids=lambda d: type(d).__name__)
def test_payloads_round_trip(data: object) -> None:
    if data is not None:
        assert codec.decode(codec.encode(data), payloads.EventPayload) == data  # type: ignore[arg-type]
    event = Event(EventType.ENGINE_EVENT, "job", step_key="s", message="m", event_specific_data=data, pid=7)
    entry = EventLogEntry("r1", 1.5, event, job_name="job", step_key="s", level=40, user_message="u")
    back = entry_from_json(entry_to_json(entry))
    assert (back.run_id, back.timestamp, back.job_name, back.step_key, back.level, back.user_message) == (
        "r1", 1.5, "job", "s", 40, "u",
    )  # fmt: skip
    assert back.dagster_event is not None
    assert back.dagster_event.event_specific_data == data
    assert (back.dagster_event.message, back.dagster_event.pid) == ("m", 7)


def test_error_info_keeps_its_chain() -> None:
    error = _error()
    back = codec.decode(codec.encode(error), ErrorInfo)
    assert back == error and isinstance(back.stack, tuple) and back.cause is not None


def test_every_payload_class_is_covered() -> None:
    assert {type(d) for d in PAYLOADS if d is not None} == payloads.PAYLOAD_CLASSES


def test_payloads_carry_their_class_name_as_tag() -> None:
    for data in PAYLOADS:
        if data is not None:
            assert json.loads(codec.encode(data))["type"] == type(data).__name__


def test_plain_log_entry_round_trips() -> None:
    back = entry_from_json(entry_to_json(EventLogEntry("r", 2.0, None, user_message="hi")))
    assert back.dagster_event is None and back.message == "hi"


@pytest.mark.parametrize(
    "data",
    [{"plain": 1}, AssetCheckKey(AssetKey("a"), "c"), RunStatus.STARTED, payloads.TypeCheckData(True, "x")],
)
def test_data_outside_the_payload_union_is_refused_naming_the_classes(data: object) -> None:
    event = Event(EventType.ENGINE_EVENT, "job", event_specific_data=data)  # type: ignore[arg-type]
    with pytest.raises(
        StorageError, match=r"Cannot store ENGINE_EVENT event data .*must be one of .*StepOutputData"
    ):
        entry_to_json(EventLogEntry("r", 1.0, event))


def test_corrupt_row_names_the_row() -> None:
    with pytest.raises(StorageError, match="event log row 42"):
        entry_from_json('{"run_id": 1', 42)


def test_run_round_trip() -> None:
    run = Run(
        "job",
        run_config={"ops": {"a": {"config": {"x": [1, 2]}}}},
        asset_selection=frozenset({AssetKey(["a", "b"]), AssetKey("c")}),
        asset_check_selection=frozenset({AssetCheckKey(AssetKey("c"), "chk")}),
        op_selection=["a*"],
        resolved_op_selection={"a", "b"},
        step_keys_to_execute=["a"],
        status=RunStatus.QUEUED,
        tags={"k": "v"},
        parent_run_id="p",
        root_run_id="r",
        job_snapshot_id="js",
        execution_plan_snapshot_id="ps",
    )
    assert run_from_json(run_to_json(run)) == run
    assert run_from_json(run_to_json(Run("job"))).asset_selection is None


def test_run_format_2_is_its_fields_with_sorted_sets() -> None:
    run = Run("job", run_id="r", asset_selection=frozenset({AssetKey("b"), AssetKey(["a", "x"])}))
    body = json.loads(run_to_json(run))
    assert body["v"] == 2 and body["asset_selection"] == [["a", "x"], ["b"]]
    assert body["run_config"] == {} and body["status"] == "NOT_STARTED"


def test_run_format_1_with_tagged_run_config_still_reads() -> None:
    """Headwater 0.1 wrote run_config in its tagged form (tuples as {"__tu": [...]})."""
    text = (
        '{"v":1,"job_name":"job","run_id":"r","run_config":{"ops":{"a":{"config":{"x":{"__tu":[1,2]}}}}},'
        '"status":"QUEUED","tags":{},"root_run_id":null,"parent_run_id":null,"job_snapshot_id":null,'
        '"execution_plan_snapshot_id":null,"op_selection":null,"step_keys_to_execute":null,'
        '"resolved_op_selection":null,"asset_selection":[["a"]],"asset_check_selection":[[["a"],"c"]]}'
    )
    run = run_from_json(text)
    assert run.run_config == {"ops": {"a": {"config": {"x": [1, 2]}}}}
    assert run.status is RunStatus.QUEUED and run.asset_selection == frozenset({AssetKey("a")})
    assert run.asset_check_selection == frozenset({AssetCheckKey(AssetKey("a"), "c")})


def test_a_newer_or_broken_run_is_a_corrupt_row() -> None:
    with pytest.raises(StorageError, match="unknown format version 3"):
        run_from_json('{"v":3,"job_name":"job"}')
    with pytest.raises(StorageError, match="Cannot read run"):
        run_from_json('{"v":2,"job_name":"job","status":"NO_SUCH_STATUS"}')
