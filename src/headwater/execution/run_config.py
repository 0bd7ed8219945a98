"""Processing a job's run config: the whole shape first, then each node's config, errors collected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.definitions.config import process_node_config, validate_run_config_shape
from headwater.errors import ConfigErrorEntry, InvalidConfigError

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition


def merge_run_config(base: Any, override: Any) -> Any:
    """The job's default config with the run's config on top (deep merge of dicts)."""
    if base is None:
        return override
    if override is None:
        return base
    base_d = base.to_config_dict() if hasattr(base, "to_config_dict") else base
    over_d = override.to_config_dict() if hasattr(override, "to_config_dict") else override
    return _deep_merge(dict(base_d), over_d)


def _deep_merge(a: dict[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in b.items():
        if isinstance(value, Mapping) and isinstance(a.get(key), Mapping):
            a[key] = _deep_merge(dict(a[key]), value)
        else:
            a[key] = value
    return a


def process_run_config(
    job: JobDefinition, run_config: Any, resource_keys: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (normalized run config, processed config per node handle); raise InvalidConfigError."""
    merged = merge_run_config(job.config, run_config)
    compiled = job.compiled.nodes
    shape = validate_run_config_shape(
        merged, node_names=set(compiled), resource_keys=resource_keys, job_name=job.name
    )
    errors: list[ConfigErrorEntry] = []
    node_configs: dict[str, Any] = {}
    ops = shape.get("ops") or {}
    for handle, node in compiled.items():
        op_def = node.op_def
        schema = op_def.config_schema
        config_class = op_def.signature.config_class
        if schema is None and config_class is None:
            continue
        raw = _lookup(ops, node.config_path)
        try:
            node_configs[handle] = process_node_config(
                schema, config_class, raw, path=("ops", *_config_path(node.config_path), "config"), job_name=job.name
            )
        except InvalidConfigError as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidConfigError(f"Error in config for job {job.name}", errors)
    return shape, node_configs


def _config_path(path: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i, part in enumerate(path):
        if i:
            out.append("ops")
        out.append(part)
    return out


def _lookup(ops: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    level: Any = ops
    for i, part in enumerate(path):
        entry = level.get(part) if isinstance(level, Mapping) else None
        if entry is None:
            return None
        if i == len(path) - 1:
            return entry.get("config") if isinstance(entry, Mapping) else None
        level = entry.get("ops") if isinstance(entry, Mapping) else None
    return None
