"""JSON form of stored objects: event log entries and runs (versioned).

The rules live in :mod:`headwater.core.serde`, the one serde of Headwater (also used for specs on the
wire); this module applies them to stored rows and reports problems as ``StorageError``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from headwater.core import serde as _serde
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.errors import StorageError
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.runs import Run

FORMAT_VERSION = _serde.FORMAT_VERSION
log = logging.getLogger("headwater.storage")


def encode(value: Any) -> Any:
    """``value`` as JSON-able data (see :mod:`headwater.core.serde`, tagged form)."""
    try:
        return _serde.encode(value)
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
def entry_to_json(entry: EventLogEntry) -> str:
    event = entry.dagster_event
    body: dict[str, Any] = {
        "v": FORMAT_VERSION,
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
            "data": encode(event.event_specific_data),
        }
    return _dumps(body)


def entry_from_json(text: str, storage_id: int | None = None) -> EventLogEntry:
    """Decode an event log row; a malformed one raises ``CorruptRowError`` naming ``storage_id``."""
    try:
        body = json.loads(text)
        version = body.get("v")
        if version != FORMAT_VERSION:
            raise ValueError(
                f"unknown format version {version!r} (this Headwater reads version {FORMAT_VERSION})"
            )
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
            level=body.get("level", 10),
            user_message=body.get("user_message", ""),
        )
    except CorruptRowError:
        raise
    except (StorageError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise _corrupt("event log row", storage_id, exc) from exc


def entry_or_none(text: str, storage_id: int | None) -> EventLogEntry | None:
    """Decode an event log row, or log a warning naming its storage id and return None: readers skip
    a corrupt row instead of failing on it."""
    try:
        return entry_from_json(text, storage_id)
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
