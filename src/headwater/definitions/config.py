"""Config, the public surface: ``Config``, the legacy schema types, ``EnvVar``, ``RunConfig``; and the
entry points the engine calls to check and process config.

- ``validate_run_config_shape`` (from ``run_config``): normalise run config to a dict and check its top
  level, op names and resource keys.
- ``process_node_config``: check one op's/asset's config, apply defaults, resolve env vars; returns the
  ``Config`` instance (or the processed value for a legacy ``config_schema``).
- ``config_class_from_fn``: the Config class a compute function asks for (``config: MyConfig``).
"""

from __future__ import annotations

import inspect
import typing as t
from collections.abc import Callable, Mapping, Sequence

import pydantic

from headwater.core.env_var import EnvVar, IntEnvVar
from headwater.definitions.config_class import (
    Config,
    PermissiveConfig,
    config_dict_of,
    is_config_class,
    pydantic_error_entries,
)
from headwater.definitions.config_types import (
    Any,
    Array,
    Bool,
    BoolSource,
    ConfigType,
    Enum,
    EnumValue,
    Field,
    Float,
    Int,
    IntSource,
    Map,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    Shape,
    String,
    StringSource,
    convert_potential_field,
)
from headwater.definitions.config_validation import (
    ConfigEvaluationError,
    process_config_value,
    validate_config,
)
from headwater.definitions.run_config import RunConfig, preamble_for_job, validate_run_config_shape
from headwater.errors import ConfigErrorEntry, InvalidConfigError

__all__ = [
    "Any",
    "Array",
    "Bool",
    "BoolSource",
    "Config",
    "ConfigSchemaLike",
    "ConfigType",
    "Enum",
    "EnumValue",
    "EnvVar",
    "Field",
    "Float",
    "Int",
    "IntEnvVar",
    "IntSource",
    "Map",
    "Noneable",
    "Permissive",
    "PermissiveConfig",
    "RunConfig",
    "ScalarUnion",
    "Selector",
    "Shape",
    "String",
    "StringSource",
    "config_class_from_fn",
    "convert_potential_field",
    "process_node_config",
    "validate_config",
    "validate_run_config_shape",
]

ConfigSchemaLike: t.TypeAlias = t.Any
"""What ``config_schema=`` takes: a Field, a python type, a dict of those, a config type, a Config class."""

# ---- node config ------------------------------------------------------------------------------------

_FIELD_CACHE: dict[int, tuple[t.Any, Field]] = {}
_FIELD_CACHE_SIZE = 4096


def _field_for_schema(schema: ConfigSchemaLike) -> Field:
    if isinstance(schema, Field):
        return schema
    cached = _FIELD_CACHE.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    field = convert_potential_field(schema)
    if len(_FIELD_CACHE) >= _FIELD_CACHE_SIZE:
        _FIELD_CACHE.clear()
    _FIELD_CACHE[id(schema)] = (schema, field)  # holds ``schema`` so its id is not reused
    return field


def process_node_config(
    schema: ConfigSchemaLike | None,
    config_class: type[Config] | None,
    raw: t.Any,
    *,
    path: Sequence[str],
    job_name: str | None = None,
) -> t.Any:
    """Check and process one node's config.

    ``raw`` is ``run_config["ops"][name].get("config")`` (None when absent; a Config instance is fine).
    ``path`` is where that value sits, e.g. ``("ops", "my_op", "config")``. With ``config_class`` the
    result is an instance of it; with a legacy ``schema``, the processed value (defaults applied, env
    vars resolved); with neither, ``raw`` unchanged. Raises ``InvalidConfigError``.
    """
    if config_class is None and schema is None:
        return raw
    path = tuple(path)
    if isinstance(raw, Config):
        raw = config_dict_of(raw)
    field = _field_for_schema(config_class if config_class is not None else schema)
    value, errors = process_config_value(field, raw, path)
    if errors:
        raise InvalidConfigError(preamble_for_job(job_name), errors)
    if config_class is None:
        return value
    return build_config_object(config_class, value, path=path, job_name=job_name)


def build_config_object(
    config_class: type[Config],
    values: Mapping[str, t.Any],
    *,
    path: Sequence[str],
    job_name: str | None = None,
) -> t.Any:
    """Instantiate ``config_class`` from checked values; pydantic's own checks become InvalidConfigError."""
    try:
        return config_class(**values)
    except pydantic.ValidationError as exc:
        entries: list[ConfigErrorEntry] = [
            ConfigEvaluationError(message, where, "PYDANTIC_VALIDATION")
            for message, where in pydantic_error_entries(exc, path)
        ]
        raise InvalidConfigError(preamble_for_job(job_name), entries) from exc


def config_class_from_fn(fn: Callable[..., t.Any]) -> type[Config] | None:
    """The Config subclass annotated on ``fn``'s ``config`` parameter, if any."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None
    param = params.get("config")
    if param is None or param.annotation is inspect.Parameter.empty:
        return None
    annotation = param.annotation
    if isinstance(annotation, str):
        try:
            annotation = t.get_type_hints(fn, include_extras=False).get("config", annotation)
        except Exception:
            scope = dict(getattr(fn, "__globals__", {}))
            try:
                annotation = eval(annotation, scope)  # resolve just this one annotation
            except Exception:
                return None
    return annotation if is_config_class(annotation) else None
