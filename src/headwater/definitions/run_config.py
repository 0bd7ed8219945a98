"""``RunConfig`` and ``validate_run_config_shape``: run config as a typed object, and the check of its
shape (top-level keys, op names, resource keys) before any node's config is processed."""

from __future__ import annotations

import difflib
import typing as t
from collections.abc import Mapping

from headwater.definitions.config_class import Config, config_dict_of
from headwater.definitions.config_validation import ConfigEvaluationError, location
from headwater.errors import ConfigErrorEntry, InvalidConfigError

RUN_CONFIG_KEYS = ("execution", "loggers", "ops", "resources")
_NODE_ENTRY_KEYS = frozenset({"config", "inputs", "outputs"})


class RunConfig:
    """Typed run config: ``RunConfig(ops={"my_op": MyConfig(x=1)}, resources={"db": {"config": {...}}})``."""

    __slots__ = ("execution", "loggers", "ops", "resources")

    def __init__(
        self,
        ops: Mapping[str, t.Any] | None = None,
        resources: Mapping[str, t.Any] | None = None,
        loggers: Mapping[str, t.Any] | None = None,
        execution: Mapping[str, t.Any] | None = None,
    ) -> None:
        self.ops = dict(ops or {})
        self.resources = dict(resources or {})
        self.loggers = dict(loggers or {})
        self.execution = dict(execution or {})

    def to_config_dict(self) -> dict[str, t.Any]:
        """The plain-dict run config (Config objects turned into ``{"config": {...}}`` entries)."""
        return {
            "loggers": dict(self.loggers),
            "resources": {key: _resource_entry(value) for key, value in self.resources.items()},
            "ops": _ops_to_dict(self.ops),
            "execution": dict(self.execution),
        }

    def __repr__(self) -> str:
        return (
            f"RunConfig(ops={self.ops!r}, resources={self.resources!r}, loggers={self.loggers!r}, "
            f"execution={self.execution!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunConfig) and self.to_config_dict() == other.to_config_dict()

    __hash__ = None  # type: ignore[assignment]


def _resource_entry(value: t.Any) -> t.Any:
    if isinstance(value, Config):  # a ConfigurableResource (or a bare Config) given as the resource's config
        return {"config": config_dict_of(value)}
    return value


def _node_entry(value: t.Any) -> t.Any:
    if isinstance(value, Config):
        return {"config": config_dict_of(value)}
    if isinstance(value, RunConfig):
        return {"ops": _ops_to_dict(value.ops)}
    if isinstance(value, Mapping):
        entry = dict(value)
        if isinstance(entry.get("config"), Config):
            entry["config"] = config_dict_of(entry["config"])
        if isinstance(entry.get("ops"), Mapping):
            entry["ops"] = _ops_to_dict(entry["ops"])
        return entry
    return value


def _ops_to_dict(ops: Mapping[str, t.Any]) -> dict[str, t.Any]:
    return {name: _node_entry(value) for name, value in ops.items()}


# ---- run config shape -------------------------------------------------------------------------------


def _did_you_mean(name: str, options: t.Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f' Did you mean "{close[0]}"?' if close else ""


def _error(errors: list[ConfigErrorEntry], message: str, path: tuple[str, ...], reason: str) -> None:
    errors.append(ConfigEvaluationError(message, path, reason))


def preamble_for_job(job_name: str | None) -> str:
    return f"Error in config for job {job_name}" if job_name else "Error in run config"


def _check_nodes(
    ops: t.Any, children: Mapping[str, t.Any], path: tuple[str, ...], errors: list[ConfigErrorEntry]
) -> dict[str, t.Any]:
    if not isinstance(ops, Mapping):
        _error(errors, f"Value {location(path)} must be dict. Got {ops!r}.", path, "RUNTIME_TYPE_MISMATCH")
        return {}
    out: dict[str, t.Any] = {}
    for name, raw in ops.items():
        entry = _node_entry(raw)
        if name not in children:
            known = sorted(children)
            _error(
                errors,
                f'Received unexpected config entry "{name}" {location(path)}. Expected config only for the '
                f"nodes {known}.{_did_you_mean(name, known)}",
                path,
                "FIELD_NOT_DEFINED",
            )
            continue
        node_path = (*path, name)
        if entry is None:
            out[name] = {}
            continue
        if not isinstance(entry, Mapping):
            _error(
                errors,
                f'Value {location(node_path)} must be dict. Expected: "{{ config?: ... inputs?: ... }}".',
                node_path,
                "RUNTIME_TYPE_MISMATCH",
            )
            continue
        grandchildren = children[name]
        allowed = _NODE_ENTRY_KEYS | ({"ops"} if grandchildren else set())
        for key in entry:
            if key not in allowed:
                _error(
                    errors,
                    f'Received unexpected config entry "{key}" {location(node_path)}. Expected only the '
                    f"entries {sorted(allowed)}.{_did_you_mean(key, allowed)}",
                    node_path,
                    "FIELD_NOT_DEFINED",
                )
        checked = dict(entry)
        if grandchildren and "ops" in entry:
            checked["ops"] = _check_nodes(entry["ops"], grandchildren, (*node_path, "ops"), errors)
        out[name] = checked
    return out


def _node_tree(node_names: t.Iterable[str]) -> dict[str, t.Any]:
    """``{"g.inner", "a"}`` -> ``{"g": {"inner": {}}, "a": {}}``."""
    tree: dict[str, t.Any] = {}
    for handle in node_names:
        level = tree
        for part in handle.split("."):
            level = level.setdefault(part, {})
    return tree


def validate_run_config_shape(
    run_config: Mapping[str, t.Any] | RunConfig | None,
    *,
    node_names: t.AbstractSet[str],
    resource_keys: t.AbstractSet[str],
    job_name: str | None = None,
) -> dict[str, t.Any]:
    """Normalise run config to a plain dict with the keys ``execution, loggers, ops, resources`` and
    check everything but the config values themselves: the top-level keys, that every op entry names
    a node (``node_names`` holds handles; nodes inside graphs as ``"graph.inner"``) and holds only
    ``config``/``inputs``/``outputs`` (and ``ops`` for a graph), and that every resource entry names
    a resource in ``resource_keys`` and holds only ``config``. Raises ``InvalidConfigError``.
    """
    if run_config is None:
        raw: Mapping[str, t.Any] = {}
    elif isinstance(run_config, RunConfig):
        raw = run_config.to_config_dict()
    elif isinstance(run_config, Mapping):
        raw = run_config
    else:
        raise InvalidConfigError(
            preamble_for_job(job_name),
            [ConfigErrorEntry(f"Run config must be a dict or a RunConfig; got {type(run_config).__name__}.")],
        )
    errors: list[ConfigErrorEntry] = []
    for key in raw:
        if key not in RUN_CONFIG_KEYS:
            _error(
                errors,
                f'Received unexpected config entry "{key}" at the root. Expected only the entries '
                f"{list(RUN_CONFIG_KEYS)}.{_did_you_mean(key, RUN_CONFIG_KEYS)}",
                (),
                "FIELD_NOT_DEFINED",
            )
    out: dict[str, t.Any] = {}
    for key in ("execution", "loggers"):
        value = raw.get(key)
        if value is not None and not isinstance(value, Mapping):
            _error(
                errors,
                f"Value at path root:{key} must be dict. Got {value!r}.",
                (key,),
                "RUNTIME_TYPE_MISMATCH",
            )
        out[key] = dict(value) if isinstance(value, Mapping) else {}
    ops = raw.get("ops")
    out["ops"] = {} if ops is None else _check_nodes(ops, _node_tree(node_names), ("ops",), errors)
    out["resources"] = _check_resources(raw.get("resources"), resource_keys, errors)
    if errors:
        raise InvalidConfigError(preamble_for_job(job_name), errors)
    return out


def _check_resources(
    resources: t.Any, resource_keys: t.AbstractSet[str], errors: list[ConfigErrorEntry]
) -> dict[str, t.Any]:
    if resources is None:
        return {}
    if not isinstance(resources, Mapping):
        _error(
            errors, f"Value at path root:resources must be dict. Got {resources!r}.", ("resources",), "TYPE"
        )
        return {}
    out: dict[str, t.Any] = {}
    for key, raw in resources.items():
        entry = _resource_entry(raw)
        if key not in resource_keys:
            known = sorted(resource_keys)
            _error(
                errors,
                f'Received unexpected config entry "{key}" at path root:resources. Expected config only for '
                f"the resources {known}.{_did_you_mean(key, known)}",
                ("resources",),
                "FIELD_NOT_DEFINED",
            )
            continue
        path = ("resources", key)
        if entry is None:
            out[key] = {}
        elif not isinstance(entry, Mapping):
            _error(
                errors,
                f'Value {location(path)} must be dict. Expected: "{{ config?: ... }}".',
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
        else:
            for extra in entry:
                if extra != "config":
                    _error(
                        errors,
                        f'Received unexpected config entry "{extra}" {location(path)}. '
                        'Expected: "{ config: ... }".',
                        path,
                        "FIELD_NOT_DEFINED",
                    )
            out[key] = dict(entry)
    return out
