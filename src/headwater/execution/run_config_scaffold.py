"""A job's run config scaffold, for the launchpad: every op config the job takes, with its defaults, and an
empty placeholder (``name:  # required (String)``, which fails the config check until filled in) for each
required field without one. Optional
fields without a default are left out, as Dagster's config scaffolder does with ``skip_non_required``.
The job's own default config (``@job(config=...)``) is filled in over the scaffold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from headwater.definitions.config_types import ConfigType, Field, Noneable, ScalarUnion, Shape
from headwater.execution.run_config import _config_path, config_field

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition


@dataclass(frozen=True)
class Required:
    """A required field's placeholder (its type's name, for the comment)."""

    type_name: str


def _type_name(config_type: ConfigType) -> str:
    if isinstance(config_type, ScalarUnion):
        return _type_name(config_type.scalar_type)
    if isinstance(config_type, Noneable):
        return _type_name(config_type.inner_type) + "?"
    return config_type.type_str()


_OMIT = object()


def _scaffold(field: Field) -> Any:
    """The scaffold of one field: a dict for a shape, its default, a ``Required``, or ``_OMIT``."""
    config_type = field.config_type
    if isinstance(config_type, Shape):
        out = {name: _scaffold(f) for name, f in config_type.fields.items()}
        kept = {name: value for name, value in out.items() if value is not _OMIT}
        if kept or field.is_required:
            return kept
    if field.default_provided:
        return field.default_value
    if field.is_required:
        return Required(_type_name(config_type))
    return _OMIT


def _merge(scaffold: Any, given: Any) -> Any:
    if isinstance(scaffold, dict) and isinstance(given, Mapping):
        out = dict(scaffold)
        for key, value in given.items():
            out[key] = _merge(scaffold.get(key), value)
        return out
    return given


def run_config_scaffold(job: JobDefinition) -> dict[str, Any]:
    """The scaffold of ``job``'s run config: ``{"ops": {...}}`` (``Required`` marks placeholders)."""
    ops: dict[str, Any] = {}
    for node in job.compiled.nodes.values():
        op_def = node.op_def
        schema = op_def.config_schema
        config_class = op_def.signature.config_class
        if (schema is None and config_class is None) or op_def.configured_from is not None:
            continue
        value = _scaffold(config_field(config_class if config_class is not None else schema))
        if value is _OMIT or value == {}:
            continue
        level = ops
        path = _config_path(node.config_path)
        for part in path[:-1]:
            level = level.setdefault(part, {})
        level[path[-1]] = {"config": value}
    scaffold: dict[str, Any] = {"ops": ops} if ops else {}
    default = job.config.to_config_dict() if hasattr(job.config, "to_config_dict") else job.config
    if isinstance(default, Mapping):
        scaffold = _merge(scaffold, default)
    return scaffold


def _lines(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    out: list[str] = []
    for key, item in value.items():
        name = yaml.safe_dump({key: None}, default_flow_style=True, width=10_000).strip()[1:-7]
        if isinstance(item, dict) and item:
            out.append(f"{pad}{name}:")
            out.extend(_lines(item, indent + 1))
        elif isinstance(item, Required):
            out.append(f"{pad}{name}:  # required ({item.type_name})")
        else:
            out.append(f"{pad}{name}: {_inline(item)}")
    return out


def _inline(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("\n...").strip()


def scaffold_yaml(scaffold: Mapping[str, Any]) -> str:
    """The scaffold as YAML, each required placeholder empty and commented ``# required (<type>)``."""
    if not scaffold:
        return ""
    return "\n".join(_lines(scaffold, 0)) + "\n"


def has_required(scaffold: Any) -> bool:
    if isinstance(scaffold, Required):
        return True
    return isinstance(scaffold, Mapping) and any(has_required(v) for v in scaffold.values())


def defaults_only(scaffold: Any) -> Any:
    """The scaffold without its required placeholders: only the defaults (Dagster's ``rootDefaultYaml``)."""
    if not isinstance(scaffold, Mapping):
        return scaffold
    out = {k: defaults_only(v) for k, v in scaffold.items() if not isinstance(v, Required)}
    return {k: v for k, v in out.items() if v != {} or scaffold[k] == {}}
