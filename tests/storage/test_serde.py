"""The JSON form of stored events and runs round-trips every payload type."""

from __future__ import annotations

import dataclasses

import pytest

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo
from headwater.core.metadata_values import IntMetadataValue
from headwater.errors import StorageError
from headwater.events import payloads
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.runs import Run
from headwater.storage.serde import decode, encode, entry_from_json, entry_to_json, run_from_json, run_to_json


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
    {"plain": [1, "two", None, True, 2.5], "tuple": (1, 2), "__weird": 1, 3: "int key"},
    AssetCheckKey(AssetKey("a"), "c"),
    RunStatus.STARTED,
    frozenset({1, 2}),
]


@pytest.mark.parametrize("data", PAYLOADS, ids=lambda d: type(d).__name__)
def test_payloads_round_trip(data: object) -> None:
    assert decode(encode(data)) == data
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
    back = decode(encode(error))
    assert back == error and isinstance(back.stack, tuple) and back.cause is not None


def test_plain_log_entry_round_trips() -> None:
    back = entry_from_json(entry_to_json(EventLogEntry("r", 2.0, None, user_message="hi")))
    assert back.dagster_event is None and back.message == "hi"


def test_foreign_types_are_refused_with_a_clear_error() -> None:
    @dataclasses.dataclass
    class Mine:
        x: int

    with pytest.raises(StorageError, match="not a Headwater type"):
        encode(Mine(1))
    with pytest.raises(StorageError, match="Cannot store"):
        encode(object())
    with pytest.raises(StorageError, match="refusing"):
        decode({"__t": "os:system", "__f": {}})


def test_corrupt_row_names_the_row() -> None:
    with pytest.raises(StorageError, match="event log row 42"):
        entry_from_json('{"run_id": 1', 42)


def test_run_round_trip() -> None:
    run = Run(
        "job",
        run_config={"ops": {"a": {"config": {"x": (1, 2)}}}},
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
