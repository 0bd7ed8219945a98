"""A dbt ``manifest.json``: parsed once per file version and cached, with the lookups Headwater needs."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import msgspec

from headwater.integrations.dbt.errors import DagsterDbtManifestNotFoundError

#: The dbt resource types that become assets.
ASSET_RESOURCE_TYPES = frozenset({"model", "seed", "snapshot"})


class DbtManifest:
    """The parsed manifest of a dbt project: nodes, sources, groups and the adapter's name."""

    __slots__ = ("_children", "path", "raw")

    def __init__(self, raw: Mapping[str, Any], path: str | None = None) -> None:
        self.raw = raw
        self.path = path
        self._children: dict[str, list[str]] | None = None

    @property
    def project_name(self) -> str:
        return str(self.raw.get("metadata", {}).get("project_name") or "")

    @property
    def adapter_type(self) -> str | None:
        adapter = self.raw.get("metadata", {}).get("adapter_type")
        return str(adapter) if adapter else None

    @property
    def nodes(self) -> Mapping[str, Mapping[str, Any]]:
        return self.raw.get("nodes", {})  # type: ignore[no-any-return]

    @property
    def sources(self) -> Mapping[str, Mapping[str, Any]]:
        return self.raw.get("sources", {})  # type: ignore[no-any-return]

    def node(self, unique_id: str) -> Mapping[str, Any]:
        """The node or source with this unique id (a KeyError names the id when it is missing)."""
        found = self.nodes.get(unique_id) or self.sources.get(unique_id)
        if found is None:
            raise KeyError(f"dbt node {unique_id!r} is not in the manifest {self.path or ''}".rstrip())
        return found

    def asset_nodes(self) -> Iterator[Mapping[str, Any]]:
        """Models, seeds and snapshots, in the manifest's order."""
        for node in self.nodes.values():
            if node.get("resource_type") in ASSET_RESOURCE_TYPES:
                yield node

    def test_nodes(self) -> Iterator[Mapping[str, Any]]:
        for node in self.nodes.values():
            if node.get("resource_type") == "test":
                yield node

    def group_owner(self, group_name: str | None) -> Mapping[str, Any] | None:
        if not group_name:
            return None
        for group in self.raw.get("groups", {}).values():
            if group.get("name") == group_name:
                owner = group.get("owner")
                return owner if isinstance(owner, Mapping) else None
        return None

    def children(self) -> dict[str, list[str]]:
        """unique id → the unique ids that depend on it (the manifest's child map, or built from deps)."""
        if self._children is None:
            child_map = self.raw.get("child_map")
            if isinstance(child_map, Mapping) and child_map:
                self._children = {k: list(v) for k, v in child_map.items()}
            else:
                children: dict[str, list[str]] = {}
                for uid, node in self.nodes.items():
                    for parent in node.get("depends_on", {}).get("nodes", ()):
                        children.setdefault(parent, []).append(uid)
                self._children = children
        return self._children

    def parents(self, unique_id: str) -> list[str]:
        node = self.nodes.get(unique_id)
        return list(node.get("depends_on", {}).get("nodes", ())) if node else []


_CACHE: dict[str, tuple[tuple[int, int], DbtManifest]] = {}
_LOCK = threading.Lock()


def load_manifest(path: str | os.PathLike[str]) -> DbtManifest:
    """The manifest at ``path``, parsed once per file version (path, size and mtime) in this process."""
    resolved = str(Path(path).resolve())
    try:
        stat = os.stat(resolved)
    except FileNotFoundError:
        raise DagsterDbtManifestNotFoundError(
            f"No dbt manifest at {resolved}. Create it with `dbt parse` in the dbt project (or call "
            "DbtProject(...).prepare_if_dev() and run `headwater dev`), then load the definitions again."
        ) from None
    version = (stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        cached = _CACHE.get(resolved)
        if cached is not None and cached[0] == version:
            return cached[1]
    with open(resolved, "rb") as f:
        raw = msgspec.json.decode(f.read())
    manifest = DbtManifest(raw, resolved)
    with _LOCK:
        _CACHE[resolved] = (version, manifest)
    return manifest


def coerce_manifest(manifest: Any) -> DbtManifest:
    """A manifest from what ``@dbt_assets(manifest=...)`` accepts: a path, a parsed dict, or a manifest."""
    if isinstance(manifest, DbtManifest):
        return manifest
    if isinstance(manifest, (str, os.PathLike)):
        return load_manifest(manifest)
    if isinstance(manifest, Mapping):
        return DbtManifest(manifest)
    raise TypeError(
        f"manifest must be a path to manifest.json or its parsed dict, not {type(manifest).__name__}."
    )
