"""Rows written before format 3 (Headwater up to 0.1.x): a JSON→JSON translation into today's shapes.

Event log entries of formats 1 and 2 and runs of format 1 tagged values with the classes that wrote
them: ``{"__t": "StepInputData" | "headwater.events.payloads:StepInputData", "__f": {fields}}`` for
a payload, ``{"__t": ..., "__j": to_json()}`` for asset events and metadata values, ``{"__k": path}``
for an asset key, ``{"__e": path, "v": value}`` for an enum, ``{"__tu": [...]}`` / ``{"__set":
[...]}`` for tuples and sets. This module rewrites such a value into the shape the codec reads today
(``{"type": "StepInputData", ...}``) without building any object; the row is then decoded like a new
one. Nothing here writes the old formats.
"""

from __future__ import annotations

from typing import Any

from headwater.events.event_type import EventType

_E = EventType
#: The payload class a format-2 row stored without a type tag (as ``"fields"``), by event type.
_V2_USUAL_PAYLOAD: dict[str, str] = {
    _E.STEP_OUTPUT.value: "StepOutputData",
    _E.STEP_INPUT.value: "StepInputData",
    _E.STEP_FAILURE.value: "StepFailureData",
    _E.STEP_SUCCESS.value: "StepSuccessData",
    _E.STEP_UP_FOR_RETRY.value: "StepRetryData",
    _E.HANDLED_OUTPUT.value: "HandledOutputData",
    _E.LOADED_INPUT.value: "LoadedInputData",
    _E.ENGINE_EVENT.value: "EngineEventData",
    _E.ASSET_MATERIALIZATION.value: "AssetMaterialization",
    _E.ASSET_OBSERVATION.value: "AssetObservation",
    _E.ASSET_MATERIALIZATION_PLANNED.value: "AssetMaterializationPlannedData",
    _E.ASSET_FAILED_TO_MATERIALIZE.value: "AssetMaterializationPlannedData",
    _E.ASSET_CHECK_EVALUATION.value: "AssetCheckEvaluation",
    _E.ASSET_CHECK_EVALUATION_PLANNED.value: "AssetCheckEvaluationPlanned",
    _E.RUN_FAILURE.value: "RunFailureData",
    _E.HOOK_COMPLETED.value: "HookData",
    _E.HOOK_ERRORED.value: "HookData",
    _E.HOOK_SKIPPED.value: "HookData",
}
#: Classes whose old form was their ``to_json()`` (``"__j"``); every other class wrote its fields.
_TO_JSON_EVENTS = frozenset({"AssetMaterialization", "AssetObservation", "AssetCheckEvaluation"})


def entry_body(body: dict[str, Any], column_event_type: str | None = None) -> dict[str, Any]:
    """A format-1 or -2 event log body as a format-3 one (same keys; the payload in ``"data"``);
    ``column_event_type``: the event type of its ``event_logs`` row, which a format-2 body leaves out."""
    if body.get("v") == 1:
        out = {key: body[key] for key in ("run_id", "timestamp", "job_name", "level", "user_message")}
        out["step_key"] = body.get("step_key")
        event = body.get("event")
        if event is not None:
            out.update(
                event_type=event["event_type"],
                event_job_name=event["job_name"],
                event_step_key=event.get("step_key"),
                message=event.get("message"),
                node_name=event.get("node_name"),
                pid=event.get("pid"),
                data=value(event.get("data")),
            )
        out["v"] = 3
        return out
    out = dict(body)
    if "fields" in out:
        event_type = out.get("event_type", column_event_type)
        name = _V2_USUAL_PAYLOAD.get(event_type) if isinstance(event_type, str) else None
        if name is None:
            raise ValueError(f"payload fields under event type {event_type!r}, which has no usual payload")
        key = "__j" if name in _TO_JSON_EVENTS else "__f"
        out["data"] = value({"__t": name, key: out.pop("fields")})
    elif "data" in out:
        out["data"] = value(out["data"])
    out["v"] = 3
    return out


def value(data: Any) -> Any:
    """An old tagged value in today's JSON shape."""
    if isinstance(data, list):
        return [value(x) for x in data]
    if not isinstance(data, dict):
        return data
    if "__t" in data:
        name = _class_name(data["__t"])
        if "__j" in data:
            return _to_json_form(name, data["__j"])
        if "__f" in data:
            # Payload metadata held raw values or tagged metadata values (read before translating).
            fields = {k: metadata(v) if k == "metadata" else value(v) for k, v in data["__f"].items()}
            return {"type": name, **fields}
        raise ValueError(f"a stored {name} in a form this reader does not know ({sorted(data)})")
    if "__k" in data:
        return data["__k"]
    if "__e" in data:
        return data["v"]
    if "__tu" in data:
        return [value(x) for x in data["__tu"]]
    if "__set" in data:
        return [value(x) for x in data["__set"]]
    if "__m" in data:
        raise ValueError("a stored mapping with non-string keys, which no payload holds")
    return {k: value(v) for k, v in data.items()}


def _class_name(tag: Any) -> str:
    if not isinstance(tag, str):
        raise ValueError(f"a type tag must be a string, got {tag!r}")
    return tag.rpartition(":")[2]  # "headwater.events.payloads:StepInputData" or "StepInputData"


def _to_json_form(name: str, data: Any) -> Any:
    if name in _TO_JSON_EVENTS:
        out = {"type": name, **data}
        if "metadata" in out:
            out["metadata"] = {k: metadata_value(v) for k, v in out["metadata"].items()}
        return out
    if name.endswith("MetadataValue"):
        return metadata_value(data)
    return data  # an object whose to_json() is its fields (AssetCheckEvaluationTargetMaterializationData...)


def metadata_value(data: dict[str, Any]) -> dict[str, Any]:
    """An old ``MetadataValue.to_json()`` in today's shape (only tables and lineage changed)."""
    kind = data.get("type")
    if kind == "table":
        return {**data, "records": [{"data": row} for row in data["records"]]}
    if kind == "column_lineage":
        return {**data, "lineage": {"deps_by_column": data["lineage"]}}
    return data


def metadata(data: Any) -> Any:
    """Old payload metadata, raw values or tagged metadata values, as today's metadata values (the
    rules of ``normalize_metadata``)."""
    if not isinstance(data, dict):
        return data
    return {key: _metadata_entry(raw) for key, raw in data.items()}


def _metadata_entry(raw: Any) -> Any:
    if isinstance(raw, dict) and "__t" in raw:
        name = _class_name(raw["__t"])
        body = raw.get("__j") or {}
        if name == "TableSchema":
            return {"type": "table_schema", "schema": body}
        if name == "TableColumnLineage":
            return {"type": "column_lineage", "lineage": {"deps_by_column": body}}
        return metadata_value(body) if name.endswith("MetadataValue") else value(raw)
    if isinstance(raw, dict) and "__k" in raw:
        return {"type": "asset", "asset_key": raw["__k"]}
    if isinstance(raw, str):
        return {"type": "text", "text": raw}
    if isinstance(raw, bool):
        return {"type": "bool", "value": raw}
    if isinstance(raw, int):
        return {"type": "int", "value": raw}
    if isinstance(raw, float):
        return {"type": "float", "value": raw}
    if raw is None:
        return {"type": "null"}
    return {"type": "json", "data": value(raw)}
