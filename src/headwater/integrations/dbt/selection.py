"""dbt's node selection syntax (``--select``/``--exclude``), evaluated over a parsed manifest.

Covers what dbt projects select assets with: space-separated unions, comma-separated intersections,
graph operators (``+model``, ``2+model``, ``model+``, ``model+1``, ``@model``) and the methods ``fqn``,
``tag``, ``path``, ``file``, ``resource_type``, ``package``, ``source``, ``config.<key>`` and bare names
(a node's name, an fqn prefix such as ``staging`` or ``jaffle.marts``, a path with ``/``). Selecting in
Python keeps ``dbt ls`` (seconds per call) out of definition loading.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from headwater.integrations.dbt.errors import DagsterDbtError
from headwater.integrations.dbt.manifest import DbtManifest

_ATOM = re.compile(r"^(?P<at>@)?(?:(?P<up>\d*)\+)?(?P<body>.+?)(?:\+(?P<down>\d*))?$")


def _matches(pattern: str, value: Any) -> bool:
    return value is not None and fnmatch.fnmatchcase(str(value), pattern)


def _fqn_match(value: str, node: Mapping[str, Any]) -> bool:
    fqn = [str(p) for p in node.get("fqn", ())]
    if value == "*":
        return True
    parts = value.split(".")
    if len(parts) == 1 and fqn and _matches(value, fqn[-1]):
        return True
    # as dbt: the fqn with or without its package name, each part a pattern, "*" ending the match
    return _prefix(parts, fqn) or _prefix(parts, fqn[1:])


def _prefix(parts: list[str], fqn: list[str]) -> bool:
    for i, part in enumerate(parts):
        if part == "*":
            return True
        if i >= len(fqn) or not _matches(part, fqn[i]):
            return False
    return True


def _path_match(value: str, node: Mapping[str, Any]) -> bool:
    path = str(node.get("original_file_path") or "").replace("\\", "/")
    value = value.rstrip("/")
    return _matches(value, path) or path.startswith(value + "/")


def _config_value(node: Mapping[str, Any], dotted: str) -> Any:
    value: Any = node.get("config", {})
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _method(name: str) -> Callable[[str, Mapping[str, Any]], bool]:
    if name == "fqn":
        return _fqn_match
    if name == "tag":
        return lambda v, n: any(_matches(v, t) for t in n.get("tags", ()))
    if name == "path":
        return _path_match
    if name == "file":
        return lambda v, n: (
            _matches(v, str(n.get("original_file_path") or "").rsplit("/", 1)[-1])
            or _matches(v, str(n.get("original_file_path") or "").rsplit("/", 1)[-1].rsplit(".", 1)[0])
        )
    if name == "resource_type":
        return lambda v, n: _matches(v, n.get("resource_type"))
    if name == "package":
        return lambda v, n: _matches(v, n.get("package_name"))
    if name == "source":
        return lambda v, n: (
            n.get("resource_type") == "source"
            and (_matches(v, n.get("source_name")) or _matches(v, f"{n.get('source_name')}.{n.get('name')}"))
        )
    if name.startswith("config."):
        key = name[len("config.") :]

        def by_config(v: str, n: Mapping[str, Any]) -> bool:
            found = _config_value(n, key)
            if isinstance(found, (list, tuple)):
                return any(_matches(v, x) for x in found)
            return _matches(v, str(found).lower() if isinstance(found, bool) else found)

        return by_config
    raise DagsterDbtError(
        f"The dbt selection method {name!r} is not supported by Headwater. Use fqn:, tag:, path:, file:, "
        "resource_type:, package:, source: or config.<key>: (and the graph operators +, @)."
    )


def _bare(value: str) -> Callable[[str, Mapping[str, Any]], bool]:
    if "/" in value or value.endswith((".sql", ".csv", ".py")):
        return _path_match
    return _fqn_match


def _walk(start: Iterable[str], step: Callable[[str], Iterable[str]], depth: int | None) -> set[str]:
    seen: set[str] = set()
    frontier = set(start)
    level = 0
    while frontier and (depth is None or level < depth):
        nxt: set[str] = set()
        for uid in frontier:
            for other in step(uid):
                if other not in seen:
                    seen.add(other)
                    nxt.add(other)
        frontier = nxt
        level += 1
    return seen


def _atom(manifest: DbtManifest, text: str, universe: Mapping[str, Mapping[str, Any]]) -> set[str]:
    m = _ATOM.match(text)
    if m is None:  # pragma: no cover - the pattern matches any non-empty string
        raise DagsterDbtError(f"Cannot read the dbt selector {text!r}.")
    body = m["body"]
    if ":" in body:
        method, _, value = body.partition(":")
        match = _method(method)
    else:
        value, match = body, _bare(body)
    chosen = {uid for uid, node in universe.items() if match(value, node)}
    result = set(chosen)
    children = manifest.children()
    if m["at"]:
        down = _walk(chosen, lambda u: children.get(u, ()), None)
        result |= down | _walk(chosen | down, manifest.parents, None)
        return result
    if m["up"] is not None:
        result |= _walk(chosen, manifest.parents, int(m["up"]) if m["up"] else None)
    if m["down"] is not None:
        result |= _walk(chosen, lambda u: children.get(u, ()), int(m["down"]) if m["down"] else None)
    return result


def _expression(manifest: DbtManifest, expr: str, universe: Mapping[str, Mapping[str, Any]]) -> set[str]:
    selected: set[str] = set()
    for term in expr.split():
        parts = [p for p in term.split(",") if p]
        found = _atom(manifest, parts[0], universe)
        for part in parts[1:]:
            found &= _atom(manifest, part, universe)
        selected |= found
    return selected


def select_unique_ids(
    manifest: DbtManifest, select: str | Iterable[str] = "fqn:*", exclude: str | Iterable[str] | None = None
) -> set[str]:
    """The unique ids of the nodes and sources that ``dbt ls --select ... --exclude ...`` would list."""
    universe: dict[str, Mapping[str, Any]] = {**manifest.nodes, **manifest.sources}
    select_text = select if isinstance(select, str) else " ".join(select)
    selected = _expression(manifest, select_text, universe) & universe.keys()
    if exclude:
        exclude_text = exclude if isinstance(exclude, str) else " ".join(exclude)
        selected -= _expression(manifest, exclude_text, universe)
    return selected
