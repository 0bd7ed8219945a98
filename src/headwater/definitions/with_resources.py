"""``with_resources``: copies of assets (and source assets, checks, jobs) with resources bound to them.

As Dagster's: the resources given are merged into each definition's own (a key both define differently
is an error), ``io_manager`` defaults to the filesystem IO manager, ``resource_config_by_key`` configures
resources by key (``{"foo": {"config": {...}}}``), and every resource a definition needs -- directly or
through the resources it gets -- must then be there. Each copy keeps only the resources it uses.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from headwater.definitions.job import missing_resource_error
from headwater.definitions.resources import coerce_to_resource
from headwater.errors import InvalidInvocationError

T = TypeVar("T")


def with_resources(
    definitions: Iterable[T],
    resource_defs: Mapping[str, object],
    resource_config_by_key: Mapping[str, Any] | None = None,
) -> list[T]:
    """Copies of ``definitions`` with ``resource_defs`` (configured by ``resource_config_by_key``) bound."""
    if not isinstance(resource_defs, Mapping):
        raise InvalidInvocationError(
            f"with_resources: resource_defs must be a dict of resource key -> resource; got "
            f"{type(resource_defs).__name__}."
        )
    from headwater.definitions.fs_io_manager import fs_io_manager

    resources: dict[str, Any] = {"io_manager": fs_io_manager, **resource_defs}
    for key, entry in (resource_config_by_key or {}).items():
        if key not in resources:
            hint = difflib.get_close_matches(key, list(resources), n=1)
            raise InvalidInvocationError(
                f"with_resources: resource_config_by_key names resource '{key}', which resource_defs does "
                f"not define ({sorted(resources)})." + (f" Did you mean '{hint[0]}'?" if hint else "")
            )
        if not isinstance(entry, Mapping) or "config" not in entry:
            raise InvalidInvocationError(
                f"Error with config for resource key '{key}': Expected a dictionary of the form "
                f"{{'config': ...}}, but received {entry}"
            )
        definition = coerce_to_resource(resources[key])
        definition.process_config(
            entry["config"], preamble=f"Error when applying config for resource with key '{key}' "
        )
        resources[key] = definition.configured(entry["config"])
    return [_bind(d, resources) for d in definitions]


def _bind(definition: Any, resources: Mapping[str, Any]) -> Any:
    if not hasattr(definition, "with_resources") or isinstance(definition, type):
        raise InvalidInvocationError(
            f"with_resources takes assets, source assets, asset checks and jobs; got {definition!r} "
            f"({type(definition).__name__})."
        )
    own: Mapping[str, Any] = getattr(definition, "resource_defs", None) or {}
    conflicts = sorted(k for k in own if k in resources and own[k] is not resources[k])
    if conflicts:
        raise InvalidInvocationError(
            f"{_describe(definition)} has conflicting resource definitions with provided resources for "
            f"the following keys: {', '.join(conflicts)}. Either remove the existing resources from the "
            "asset or change the resource keys so that they don't overlap."
        )
    merged = {**resources, **own}
    needed = _required_keys(definition)
    who = _who(definition)
    for key in sorted(needed):
        if key not in merged:
            raise missing_resource_error(key, who, set(merged))
    relevant = _closure(needed, merged)
    return definition.with_resources({k: v for k, v in merged.items() if k in relevant})


def _required_keys(definition: Any) -> set[str]:
    io_manager_key = getattr(definition, "io_manager_key", None)  # a SourceAsset
    if isinstance(io_manager_key, str):
        return {io_manager_key}
    keys = getattr(definition, "required_resource_keys", None)
    if callable(keys):  # a JobDefinition
        keys = keys()
    return set(keys or ())


def _describe(definition: Any) -> str:
    """As Dagster names a definition in errors: 'AssetsDefinition with key ["a"]'."""
    keys = getattr(definition, "keys", None)
    if isinstance(keys, (set, frozenset)) and keys:
        text = ", ".join(sorted(k.to_string() for k in keys))
        return f"{type(definition).__name__} with key{'s' if len(keys) > 1 else ''} {text}"
    return repr(definition)


def _who(definition: Any) -> str:
    node = getattr(definition, "node_def", None)
    if node is not None:
        return f"op '{node.name}'"
    return repr(definition)


def _closure(keys: set[str], resources: Mapping[str, Any]) -> set[str]:
    """``keys`` and every resource key the resources among them need, transitively."""
    seen: set[str] = set()
    todo = list(keys)
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        if key in resources:
            todo.extend(coerce_to_resource(resources[key]).required_resource_keys)
    return seen
