"""build_location_spec: Definitions (user code) -> LocationSpec (data). Runs on the user-code side."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

import msgspec

from headwater.core.asset_key import AssetKey
from headwater.core.codec import paused_gc
from headwater.core.metadata import normalize_metadata
from headwater.core.metadata_values import MetadataValue
from headwater.definitions.definitions import Definitions
from headwater.selection.automation.sensors import with_default_automation_sensor
from headwater.specs.location import LocationSpec, ResourceSpec, ScheduleSpec, SensorSpec

_SIMPLE_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def build_location_spec(defs: Definitions) -> LocationSpec:
    """Resolve the asset graph and every job of ``defs`` and describe them as a LocationSpec."""
    with paused_gc():
        return _build(defs)


def _build(defs: Definitions) -> LocationSpec:
    graph = defs.resolve_asset_graph()
    jobs = defs.resolve_all_job_defs()
    asset_metadata: dict[Any, Mapping[str, MetadataValue[Any]]] = {}
    for ad in defs.collection.assets_defs:
        for key, raw in ad.metadata_by_key.items():
            if raw:
                asset_metadata[key] = _metadata(raw)
    for source in defs.collection.source_assets:
        if getattr(source, "metadata", None):
            asset_metadata[source.key] = _metadata(source.metadata)
    resources: dict[str, Any] = dict(defs.resources)
    for job in jobs:
        for resource_key, value in job.resource_defs.items():
            resources.setdefault(resource_key, value)
    return LocationSpec(
        assets=tuple(
            msgspec.structs.replace(node, metadata=asset_metadata[key]) if key in asset_metadata else node
            for key, node in graph.nodes.items()
        ),
        asset_checks=tuple(graph.checks.values()),
        jobs=tuple(job.spec for job in jobs),
        resources=tuple(describe_resource(key, value) for key, value in sorted(resources.items())),
        schedules=tuple(describe_schedule(s, graph) for s in defs.schedules),
        sensors=with_default_automation_sensor(
            [describe_sensor(s, graph) for s in defs.sensors],
            list(graph.nodes.values()),
            list(graph.checks.values()),
        ),
        metadata=_metadata(defs.metadata),
    )


def _metadata(raw: Mapping[str, Any]) -> dict[str, MetadataValue[Any]]:
    return normalize_metadata(dict(raw), allow_invalid=True)


# -- resources ------------------------------------------------------------------------------------------
def describe_resource(key: str, value: Any) -> ResourceSpec:
    """Key, class name, description and JSON schema of the config of one resource (any kind)."""
    cls = getattr(value, "resource_cls", None) or type(value)
    if not isinstance(cls, type):
        cls = type(value)
    description = getattr(value, "description", None)
    if not isinstance(description, str):
        description = inspect.getdoc(cls) if hasattr(cls, "model_json_schema") else None
    return ResourceSpec(
        key=key,
        type_name=f"{cls.__module__}.{cls.__qualname__}",
        description=description,
        config_schema=config_schema_of(value),
    )


def config_schema_of(value: Any) -> dict[str, Any] | None:
    """The JSON schema of a resource's (or Config class's) config, or None when it takes no config.

    Pydantic-based ``Config``/``ConfigurableResource`` classes (and partial resources) give their own
    JSON schema; a classic ``config_schema`` (a Python type, a dict of fields, a ``Field``) is described
    field by field, best effort.
    """
    cls = getattr(value, "resource_cls", None) or (value if isinstance(value, type) else type(value))
    schema_fn = getattr(cls, "model_json_schema", None)
    if schema_fn is not None:
        try:
            schema = schema_fn()
        except Exception:  # a field type pydantic cannot describe: list the fields instead
            fields = getattr(cls, "model_fields", {})
            return {"title": cls.__name__, "type": "object", "properties": {name: {} for name in fields}}
        return dict(schema)
    if hasattr(value, "config_schema"):
        raw = value.config_schema
        return None if raw is None else describe_config_schema(raw)
    return None


def describe_config_schema(raw: Any) -> dict[str, Any]:
    """A JSON-schema-like description of a classic config schema (types, dicts, Field, Shape...)."""
    if isinstance(raw, type) and raw in _SIMPLE_TYPES:
        return {"type": _SIMPLE_TYPES[raw]}
    if isinstance(raw, type) and hasattr(raw, "model_json_schema"):
        return config_schema_of(raw) or {}
    if isinstance(raw, Mapping):
        return {"type": "object", "properties": {str(k): describe_config_schema(v) for k, v in raw.items()}}
    if isinstance(raw, list) and len(raw) == 1:
        return {"type": "array", "items": describe_config_schema(raw[0])}
    inner = getattr(raw, "config_type", None)
    if inner is not None and inner is not raw:
        out = describe_config_schema(inner)
        if getattr(raw, "description", None):
            out["description"] = raw.description
        if getattr(raw, "is_required", True) is False:
            out["required"] = False
        return out
    fields = getattr(raw, "fields", None)
    if isinstance(fields, Mapping):
        return {
            "type": "object",
            "properties": {str(k): describe_config_schema(v) for k, v in fields.items()},
        }
    return {"description": repr(raw)}


# -- schedules and sensors (read what they carry; Dagster-shaped objects of other classes too) -------------
def _asset_selection(instigator: Any, graph: Any) -> tuple[AssetKey, ...] | None:
    target = getattr(instigator, "target_def", None)
    if target is None or getattr(target, "assets", None) is None:
        return None
    keys: tuple[AssetKey, ...] | None = target.asset_keys(graph)
    return keys


def describe_schedule(schedule: Any, graph: Any = None) -> ScheduleSpec:
    cron = getattr(schedule, "cron_schedule", None)
    return ScheduleSpec(
        name=str(getattr(schedule, "name", None) or type(schedule).__name__),
        cron_schedule=cron if cron is None or isinstance(cron, str) else tuple(str(c) for c in cron),
        job_name=_first(_job_names(schedule)),
        execution_timezone=_str_or_none(getattr(schedule, "execution_timezone", None)),
        description=_str_or_none(getattr(schedule, "description", None)),
        default_status=_status(getattr(schedule, "default_status", None)),
        tags={str(k): str(v) for k, v in (getattr(schedule, "tags", None) or {}).items()},
        asset_selection=_asset_selection(schedule, graph),
    )


def describe_sensor(sensor: Any, graph: Any = None) -> SensorSpec:
    interval = getattr(sensor, "minimum_interval_seconds", None)
    kind = getattr(sensor, "sensor_type", None)
    return SensorSpec(
        name=str(getattr(sensor, "name", None) or type(sensor).__name__),
        job_names=tuple(_job_names(sensor)),
        minimum_interval_seconds=int(interval) if isinstance(interval, (int, float)) else None,
        description=_str_or_none(getattr(sensor, "description", None)),
        default_status=_status(getattr(sensor, "default_status", None)),
        sensor_type=_status(kind) or "standard",
        asset_selection=_asset_selection(sensor, graph),
        monitored_assets=tuple(getattr(sensor, "monitored_assets", None) or ())
        + ((sensor.asset_key,) if isinstance(getattr(sensor, "asset_key", None), AssetKey) else ()),
        monitored_jobs=tuple(getattr(sensor, "monitored_job_names", None) or ()),
        run_status=_status(getattr(sensor, "run_status", None)),
    )


def _job_names(instigator: Any) -> list[str]:
    names: list[str] = []
    name = getattr(instigator, "job_name", None)
    if isinstance(name, str):
        names.append(name)
    targets: list[Any] = [getattr(instigator, "job", None), getattr(instigator, "target", None)]
    targets.extend(getattr(instigator, "jobs", None) or [])
    for target in targets:
        target_name = getattr(target, "name", None)
        if isinstance(target_name, str) and target_name not in names:
            names.append(target_name)
    return names


def _first(values: Iterable[str]) -> str | None:
    return next(iter(values), None)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _status(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.value) if isinstance(value, Enum) else str(value)
