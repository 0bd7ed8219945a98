"""JSON form of stored objects: event log entries and runs (versioned).

The rules live in :mod:`headwater.core.serde`, the one serde of Headwater (also used for specs on the
wire); this module applies them to stored rows and reports problems as ``StorageError``.

Event log entries are written in format 2 (:func:`entry_to_json`: compact, and an ``event_logs`` row's
body leaves out what its columns hold); format 1 rows, written by Headwater 0.1, are still read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from headwater.core import serde as _serde
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.errors import StorageError
from headwater.events import payloads
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.runs import Run

#: Format of stored runs (and of the core serde).
FORMAT_VERSION = _serde.FORMAT_VERSION
#: Format of stored event log entries: 2 is compact (see :func:`entry_to_json`); 1 is still read.
ENTRY_FORMAT_VERSION = 2
_DEFAULT_LEVEL = 10
log = logging.getLogger("headwater.storage")


def encode(value: Any, *, compact: bool = False) -> Any:
    """``value`` as JSON-able data (see :mod:`headwater.core.serde`, tagged form)."""
    try:
        return _serde.encode(value, compact=compact)
    except _serde.SerdeError as exc:
        raise StorageError(str(exc)) from exc


def decode(data: Any) -> Any:
    """Inverse of :func:`encode`."""
    try:
        return _serde.decode(data)
    except _serde.SerdeError as exc:
        raise StorageError(str(exc)) from exc


_dumps = _serde.dumps


# -- event log entries
class RowColumns(NamedTuple):
    """The values of an ``event_logs`` row's columns, which its JSON body (format 2) does not repeat."""

    run_id: str
    timestamp: float
    step_key: str | None
    event_type: str | None


_E = EventType
_p = payloads
#: The payload class usual for an event type: such a payload is stored as its ``"fields"``, without a
#: type tag. Stored rows rely on it: never change an entry, only add new ones.
_PAYLOAD_CLASSES: dict[EventType, type[Any]] = {
    _E.STEP_OUTPUT: _p.StepOutputData,
    _E.STEP_INPUT: _p.StepInputData,
    _E.STEP_FAILURE: _p.StepFailureData,
    _E.STEP_SUCCESS: _p.StepSuccessData,
    _E.STEP_UP_FOR_RETRY: _p.StepRetryData,
    _E.HANDLED_OUTPUT: _p.HandledOutputData,
    _E.LOADED_INPUT: _p.LoadedInputData,
    _E.ENGINE_EVENT: _p.EngineEventData,
    _E.ASSET_MATERIALIZATION: AssetMaterialization,
    _E.ASSET_OBSERVATION: AssetObservation,
    _E.ASSET_MATERIALIZATION_PLANNED: _p.AssetMaterializationPlannedData,
    _E.ASSET_FAILED_TO_MATERIALIZE: _p.AssetMaterializationPlannedData,
    _E.ASSET_CHECK_EVALUATION: AssetCheckEvaluation,
    _E.ASSET_CHECK_EVALUATION_PLANNED: _p.AssetCheckEvaluationPlanned,
    _E.RUN_FAILURE: _p.RunFailureData,
    _E.HOOK_COMPLETED: _p.HookData,
    _E.HOOK_ERRORED: _p.HookData,
    _E.HOOK_SKIPPED: _p.HookData,
}
#: The key of a class's fields in its tagged form ("__j": its ``to_json()``; "__f": its fields).
_FIELDS_KEY = {
    cls: "__j" if hasattr(cls, "to_json") and hasattr(cls, "from_json") else "__f"
    for cls in set(_PAYLOAD_CLASSES.values())
}


def entry_to_json(entry: EventLogEntry, *, in_row: bool = False) -> str:
    """The stored JSON of ``entry``, format 2: one flat object, only what differs from a default.

    * ``run_id``, ``timestamp``, ``step_key`` and ``event_type`` (if there is an event): only without
      ``in_row``. An ``event_logs`` row holds them in its columns (:class:`RowColumns`).
    * ``job_name``; ``level`` unless 10; ``user_message`` unless empty.
    * of the event: ``message``, ``node_name``, ``pid``; ``event_job_name`` and ``event_step_key``
      only where they differ from the entry's; the payload as ``fields`` if its class is the usual
      one of the event type (``_PAYLOAD_CLASSES``), else as ``data`` (with type tags).

    Values are in the compact tagged form of :mod:`headwater.core.serde` (short type names, fields
    equal to their default left out).
    """
    job_name, step_key = entry.job_name, entry.step_key
    event = entry.dagster_event
    body: dict[str, Any] = {"v": ENTRY_FORMAT_VERSION}
    if not in_row:
        body["run_id"] = entry.run_id
        body["timestamp"] = entry.timestamp
        if step_key is not None:
            body["step_key"] = step_key
        if event is not None:
            body["event_type"] = event.event_type.value
    if job_name is not None:
        body["job_name"] = job_name
    if entry.level != _DEFAULT_LEVEL:
        body["level"] = entry.level
    if entry.user_message != "":
        body["user_message"] = entry.user_message
    if event is None:
        return _dumps(body)
    if event.job_name != job_name:
        body["event_job_name"] = event.job_name
    if event.step_key != step_key:
        body["event_step_key"] = event.step_key
    if event.message is not None:
        body["message"] = event.message
    if event.node_name is not None:
        body["node_name"] = event.node_name
    if event.pid is not None:
        body["pid"] = event.pid
    data = event.event_specific_data
    if data is not None:
        cls = type(data)
        if _PAYLOAD_CLASSES.get(event.event_type) is cls:
            body["fields"] = encode(data, compact=True)[_FIELDS_KEY[cls]]
        else:
            body["data"] = encode(data, compact=True)
    return _dumps(body)


def entry_from_json(
    text: str, storage_id: int | None = None, columns: RowColumns | None = None
) -> EventLogEntry:
    """Decode a stored entry (format 1 or 2); ``columns``: those of its ``event_logs`` row, for what a
    format-2 body leaves out. A malformed one raises ``CorruptRowError`` naming ``storage_id``."""
    try:
        body = json.loads(text)
        version = body.get("v")
        if version == ENTRY_FORMAT_VERSION:
            return _entry_v2(body, columns)
        if version == 1:
            return _entry_v1(body)
        raise ValueError(
            f"unknown format version {version!r} (this Headwater reads versions 1 to {ENTRY_FORMAT_VERSION})"
        )
    except CorruptRowError:
        raise
    except (StorageError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise _corrupt("event log row", storage_id, exc) from exc


def _entry_v2(body: dict[str, Any], columns: RowColumns | None) -> EventLogEntry:
    get = body.get
    if columns is None:
        run_id, timestamp, step_key, type_value = body["run_id"], body["timestamp"], get("step_key"), None
    else:
        run_id, timestamp = get("run_id", columns.run_id), get("timestamp", columns.timestamp)
        step_key, type_value = get("step_key", columns.step_key), columns.event_type
    type_value = get("event_type", type_value)
    job_name: Any = get("job_name")
    event = None
    if type_value is not None:
        event_type = EventType(type_value)
        if "fields" in body:
            cls = _PAYLOAD_CLASSES[event_type]
            data = decode({"__t": f"{cls.__module__}:{cls.__qualname__}", _FIELDS_KEY[cls]: body["fields"]})
        else:
            data = decode(get("data"))
        event = Event(
            event_type,
            get("event_job_name", job_name),
            step_key=get("event_step_key", step_key),
            message=get("message"),
            event_specific_data=data,
            node_name=get("node_name"),
            pid=get("pid"),
        )
    return EventLogEntry(
        run_id,
        timestamp,
        event,
        job_name=job_name,
        step_key=step_key,
        level=get("level", _DEFAULT_LEVEL),
        user_message=get("user_message", ""),
    )


def _entry_v1(body: dict[str, Any]) -> EventLogEntry:
    """Format 1 (Headwater 0.1): every field written, type tags as module paths."""
    ev = body.get("event")
    event = None
    if ev is not None:
        event = Event(
            EventType(ev["event_type"]),
            ev["job_name"],
            step_key=ev.get("step_key"),
            message=ev.get("message"),
            event_specific_data=decode(ev.get("data")),
            node_name=ev.get("node_name"),
            pid=ev.get("pid"),
        )
    return EventLogEntry(
        body["run_id"],
        body["timestamp"],
        event,
        job_name=body.get("job_name"),
        step_key=body.get("step_key"),
        level=body.get("level", _DEFAULT_LEVEL),
        user_message=body.get("user_message", ""),
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


def _corrupt(what: str, ident: object, exc: Exception) -> CorruptRowError:
    return CorruptRowError(
        f"Cannot read {what} {ident}: its stored JSON is malformed ({type(exc).__name__}: {exc}). "
        "The row was written by another tool or damaged; delete it or restore it from a backup."
    )


# -- runs
def run_to_json(run: Run) -> str:
    body: dict[str, Any] = {
        "v": FORMAT_VERSION,
        "job_name": run.job_name,
        "run_id": run.run_id,
        "run_config": encode(dict(run.run_config)),
        "status": run.status.value,
        "tags": dict(run.tags),
        "root_run_id": run.root_run_id,
        "parent_run_id": run.parent_run_id,
        "job_snapshot_id": run.job_snapshot_id,
        "execution_plan_snapshot_id": run.execution_plan_snapshot_id,
        "op_selection": list(run.op_selection) if run.op_selection is not None else None,
        "step_keys_to_execute": list(run.step_keys_to_execute)
        if run.step_keys_to_execute is not None
        else None,
        "resolved_op_selection": _sorted_or_none(run.resolved_op_selection, str),
        "asset_selection": _sorted_or_none(run.asset_selection, lambda k: k.path),
        "asset_check_selection": _sorted_or_none(
            run.asset_check_selection, lambda k: [k.asset_key.path, k.name]
        ),
    }
    return _dumps(body)


def _sorted_or_none(values: frozenset[Any] | None, to_json: Callable[[Any], Any]) -> list[Any] | None:
    return None if values is None else sorted(to_json(v) for v in values)


def run_from_json(text: str) -> Run:
    try:
        body: Mapping[str, Any] = json.loads(text)
        assets = body.get("asset_selection")
        checks = body.get("asset_check_selection")
        return Run(
            job_name=body["job_name"],
            run_id=body["run_id"],
            run_config=decode(body.get("run_config") or {}),
            asset_selection=frozenset(AssetKey(p) for p in assets) if assets is not None else None,
            asset_check_selection=(
                frozenset(AssetCheckKey(AssetKey(p), n) for p, n in checks) if checks is not None else None
            ),
            op_selection=body.get("op_selection"),
            resolved_op_selection=body.get("resolved_op_selection"),
            step_keys_to_execute=body.get("step_keys_to_execute"),
            status=RunStatus(body["status"]),
            tags=body.get("tags") or {},
            root_run_id=body.get("root_run_id"),
            parent_run_id=body.get("parent_run_id"),
            job_snapshot_id=body.get("job_snapshot_id"),
            execution_plan_snapshot_id=body.get("execution_plan_snapshot_id"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise _corrupt("run", text[:80], exc) from exc
