"""JSON form of stored objects: event log entries and runs (versioned, stdlib only).

Event payloads are encoded generically, by type, for any class defined under ``headwater``:

* a class with ``to_json()``/``from_json()`` (asset events, metadata) -> ``{"__t": path, "__j": ...}``
* a dataclass or NamedTuple -> ``{"__t": path, "__f": {field: value}}``
* a ``core._record.Record`` -> ``{"__t": path, "__s": [values]}`` (restored without ``__init__``)
* an Enum -> ``{"__e": path, "v": value}``; an AssetKey -> ``{"__k": path}``; a tuple -> ``{"__tu": [...]}``
* a dict whose keys are strings not starting with ``__`` -> itself; other dicts -> ``{"__m": pairs}``

Only classes under ``headwater.`` are ever imported on decode, so a row cannot name arbitrary code.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.errors import StorageError
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.runs import Run

FORMAT_VERSION = 1
_PRIMITIVES = (str, int, float, bool, type(None))
_classes: dict[str, type[Any]] = {}


def _path(cls: type[Any]) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _resolve(path: str) -> type[Any]:
    cls = _classes.get(path)
    if cls is not None:
        return cls
    module_name, _, qualname = path.partition(":")
    if not module_name.startswith("headwater.") or not qualname:
        raise StorageError(
            f"Stored data names type {path!r}, which is not a Headwater type; refusing to load it."
        )
    try:
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise StorageError(
            f"Stored data names type {path!r}, which this version of Headwater does not have ({exc})."
        ) from exc
    if not isinstance(obj, type):
        raise StorageError(f"Stored data names {path!r}, which is not a class.")
    _classes[path] = obj
    return obj


def _check_headwater(cls: type[Any], value: object) -> str:
    path = _path(cls)
    if not cls.__module__.startswith("headwater."):
        raise StorageError(
            f"Cannot store {value!r}: its type {path} is not a Headwater type. Event data must be built "
            "from Headwater types, JSON values (str, int, float, bool, None, list, dict) and tuples."
        )
    return path


def _asdict(value: Any) -> dict[str, Any]:
    return dict(value._asdict())


def encode(value: Any) -> Any:
    """``value`` as JSON-able data (see the module docstring)."""
    if isinstance(value, _PRIMITIVES):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"__m": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, AssetKey):
        return {"__k": value.path}
    if isinstance(value, Enum):
        return {"__e": _check_headwater(type(value), value), "v": value.value}
    cls = type(value)
    if hasattr(cls, "to_json") and hasattr(cls, "from_json"):
        return {"__t": _check_headwater(cls, value), "__j": value.to_json()}
    if isinstance(value, tuple) and hasattr(cls, "_fields") and cls is not tuple:
        return {
            "__t": _check_headwater(cls, value),
            "__f": {k: encode(v) for k, v in _asdict(value).items()},
        }
    if isinstance(value, tuple):
        return {"__tu": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"__set": [encode(v) for v in value]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"__t": _check_headwater(cls, value), "__f": fields}
    state = getattr(value, "__getstate__", None)
    if hasattr(cls, "_fields") and hasattr(cls, "__setstate__") and state is not None:
        return {"__t": _check_headwater(cls, value), "__s": [encode(v) for v in state()]}
    raise StorageError(
        f"Cannot store {value!r} ({_path(cls)}): not a JSON value, dataclass, NamedTuple, Enum or a "
        "class with to_json()/from_json()."
    )


def decode(data: Any) -> Any:
    """Inverse of :func:`encode`."""
    if isinstance(data, _PRIMITIVES):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if "__t" in data:
        cls = _resolve(data["__t"])
        if "__j" in data:
            return cls.from_json(data["__j"])
        if "__f" in data:
            return cls(**{k: decode(v) for k, v in data["__f"].items()})
        obj = object.__new__(cls)
        obj.__setstate__(tuple(decode(v) for v in data["__s"]))
        return obj
    if "__k" in data:
        return AssetKey(data["__k"])
    if "__e" in data:
        return _resolve(data["__e"])(data["v"])
    if "__tu" in data:
        return tuple(decode(v) for v in data["__tu"])
    if "__set" in data:
        return frozenset(decode(v) for v in data["__set"])
    if "__m" in data:
        return {decode(k): decode(v) for k, v in data["__m"]}
    return {k: decode(v) for k, v in data.items()}


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


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
    try:
        body = json.loads(text)
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
    except StorageError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _corrupt("event log row", storage_id, exc) from exc


def _corrupt(what: str, ident: object, exc: Exception) -> StorageError:
    return StorageError(
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
