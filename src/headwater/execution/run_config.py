"""Processing a job's run config: the whole shape first, then each node's config, errors collected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.definitions.config import process_node_config, validate_run_config_shape
from headwater.definitions.config_types import Bool, Field, Float, Int, String, convert_potential_field
from headwater.definitions.config_validation import ConfigEvaluationError, location
from headwater.errors import ConfigErrorEntry, InvalidConfigError
from headwater.specs.job import InputKind

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition
    from headwater.planning.plan import ExecutionPlan

_FIELDS: dict[int, tuple[Any, Field]] = {}


def config_field(schema: Any) -> Field:
    """The Field of a config schema (or Config class), converted once per schema object."""
    if isinstance(schema, Field):
        return schema
    cached = _FIELDS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    field = convert_potential_field(schema)
    _FIELDS[id(schema)] = (schema, field)  # holds ``schema`` so its id is not reused
    return field


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
    job: JobDefinition,
    run_config: Any,
    resource_keys: set[str],
    *,
    plan: ExecutionPlan | None = None,
    input_values: Mapping[str, Any] | None = None,
    parent_run_outputs: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (normalized run config, processed config per node handle); raise InvalidConfigError.

    With ``plan``, only the planned steps' config is processed, and every input the plan cannot feed
    (no upstream step, default, asset, input manager or input value) must be given under
    ``ops:<op>:inputs``. A required entry that is absent is reported once, at the outermost missing key,
    with an example of everything missing beneath it (as Dagster does).
    """
    merged = merge_run_config(job.config, run_config)
    compiled = job.compiled.nodes
    shape = validate_run_config_shape(
        merged, node_names=set(compiled), resource_keys=resource_keys, job_name=job.name
    )
    errors: list[ConfigErrorEntry] = []
    required: dict[tuple[str, ...], Any] = {}
    node_configs: dict[str, Any] = {}
    ops = shape.get("ops") or {}
    handles = compiled if plan is None else [s.key for s in plan.steps]
    for handle in handles:
        node = compiled[handle]
        op_def = node.op_def
        schema = op_def.config_schema
        config_class = op_def.signature.config_class
        configured = op_def.configured_from
        if schema is None and config_class is None and configured is None:
            continue
        raw = _lookup(ops, node.config_path)
        path = ("ops", *_config_path(node.config_path), "config")
        if configured is not None:
            try:
                node_configs[handle] = _configured_config(op_def, configured, raw, path, job.name)
            except InvalidConfigError as exc:
                errors.extend(exc.errors)
            continue
        if raw is None:
            field = config_field(config_class if config_class is not None else schema)
            if field.is_required:
                required[path] = field.config_type.sample()
                continue
        try:
            node_configs[handle] = process_node_config(
                schema, config_class, raw, path=path, job_name=job.name
            )
        except InvalidConfigError as exc:
            errors.extend(exc.errors)
    if plan is not None:
        _check_inputs(job, plan, ops, input_values or {}, required, errors, parent_run_outputs)
    given = merged.to_config_dict() if hasattr(merged, "to_config_dict") else merged
    errors.extend(_missing_entry_errors(given if isinstance(given, Mapping) else {}, required))
    if errors:
        raise InvalidConfigError(f"Error in config for job {job.name}", errors)
    return shape, node_configs


_SCALARS: dict[str, tuple[Any, Any]] = {
    "Int": (Int, lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "Float": (Float, lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)),
    "String": (String, lambda v: isinstance(v, str)),
    "Bool": (Bool, lambda v: isinstance(v, bool)),
}


def _check_inputs(
    job: JobDefinition,
    plan: ExecutionPlan,
    ops: Mapping[str, Any],
    input_values: Mapping[str, Any],
    required: dict[tuple[str, ...], Any],
    errors: list[ConfigErrorEntry],
    parent_run_outputs: bool = False,
) -> None:
    """Inputs that only run config can feed must be there; scalar-typed ones must have the right type.
    ``parent_run_outputs``: a re-execution, whose inputs from steps left out are loaded from the
    outputs of the parent run (``step_inputs``), not from config."""
    fed_by_values = {
        target
        for name, targets in job.compiled.graph_input_targets.items()
        if name in input_values
        for target in targets
    }
    for step in plan.steps:
        compiled = job.compiled.nodes[step.key]
        given: Mapping[str, Any] | None = None
        for inp in step.inputs:
            if inp.kind is not InputKind.UNCONNECTED or inp.is_nothing:
                continue
            if given is None:
                entry = _lookup_entry(ops, compiled.config_path)
                raw_inputs = entry.get("inputs") if isinstance(entry, Mapping) else None
                given = raw_inputs if isinstance(raw_inputs, Mapping) else {}
            path = ("ops", *_config_path(compiled.config_path), "inputs", inp.name)
            type_name = compiled.op_def.input_types[inp.name].name
            scalar = _SCALARS.get(type_name)
            if inp.name in given:
                value = given[inp.name]
                wrapped = isinstance(value, Mapping) and set(value) == {"value"}
                if scalar is not None and not wrapped and not scalar[1](value):
                    message = (
                        f'Invalid scalar {location(path)}. Value "{value}" of type "{type(value)}" is '
                        f'not valid for expected type "{type_name}".'
                    )
                    errors.append(ConfigEvaluationError(message, path, "RUNTIME_TYPE_MISMATCH"))
                continue
            if (
                inp.has_default
                or inp.load_asset_key is not None
                or compiled.op_def.ins[inp.name].input_manager_key is not None
                or (step.key, inp.name) in fed_by_values
                or (parent_run_outputs and inp.unresolved_sources)
            ):
                continue
            required[path] = scalar[0].sample() if scalar is not None else "<selector>"


def _missing_entry_errors(
    config: Mapping[str, Any], required: Mapping[tuple[str, ...], Any]
) -> list[ConfigErrorEntry]:
    """One error per outermost absent key, each with an example of all that is missing beneath it."""
    missing: dict[tuple[str, ...], dict[str, Any]] = {}
    for path, sample in required.items():
        level: Any = config
        for i, part in enumerate(path):
            if not isinstance(level, Mapping) or level.get(part) is None:
                value = sample
                for inner in reversed(path[i + 1 :]):
                    value = {inner: value}
                siblings = missing.setdefault(path[:i], {})
                known = siblings.get(part)
                siblings[part] = _deep_merge(known, value) if isinstance(known, dict) else value
                break
            level = level[part]
    out: list[ConfigErrorEntry] = []
    for parent in sorted(missing):
        samples = _sorted_dict(missing[parent])
        keys = list(samples)
        if len(keys) == 1:
            message = (
                f'Missing required config entry "{keys[0]}" {location(parent)}. You must provide this value '
                f"in your run config. Example config for the missing entry: {samples}"
            )
            out.append(ConfigEvaluationError(message, parent, "MISSING_REQUIRED_FIELD"))
        else:
            message = (
                f"Missing required config entries {keys} {location(parent)}. You must provide these values "
                f"in your run config. Example config for the missing entries: {samples}"
            )
            out.append(ConfigEvaluationError(message, parent, "MISSING_REQUIRED_FIELDS"))
    return out


def _sorted_dict(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_dict(value[k]) for k in sorted(value)}
    return value


def _configured_config(op_def: Any, configured: Any, raw: Any, path: tuple[str, ...], job_name: str) -> Any:
    """Config of an op made with ``.configured(...)``: its fixed value, or its function of the new schema."""
    inner_schema, value_or_fn, outer_schema = configured
    if callable(value_or_fn):
        outer = process_node_config(outer_schema, None, raw, path=path, job_name=job_name)
        value = value_or_fn(outer)
    else:
        value = value_or_fn
    return process_node_config(
        inner_schema, op_def.signature.config_class, value, path=path, job_name=job_name
    )


def _config_path(path: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i, part in enumerate(path):
        if i:
            out.append("ops")
        out.append(part)
    return out


def _lookup_entry(ops: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The run config entry of the node at ``path`` (``ops:<g>:ops:<op>``), or None."""
    level: Any = ops
    entry: Any = None
    for i, part in enumerate(path):
        entry = level.get(part) if isinstance(level, Mapping) else None
        if entry is None:
            return None
        if i < len(path) - 1:
            level = entry.get("ops") if isinstance(entry, Mapping) else None
    return entry


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
