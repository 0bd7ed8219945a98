"""Leaf selections that filter assets by an attribute: group, tag, owner, kind, ``is:``.

Also the attributes the selection syntax accepts but only the workspace can answer
(``code_location:``, ``status:``, ...): they parse, and raise ``InvalidSubsetError`` when resolved.
"""

from __future__ import annotations

from typing import AbstractSet  # noqa: UP035

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidSubsetError
from headwater.selection.context import ResolveContext
from headwater.selection.nodes import (
    ATOM,
    COMPOUND,
    SelectionNode,
    null_or_quoted,
    py_from_string,
    py_sources,
    quote_value,
    wildcard_regex,
)

_EMPTY: frozenset[AssetKey] = frozenset()


class GroupsNode(SelectionNode, frozen=True):
    groups: tuple[str, ...]
    include_sources: bool = False

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        groups = set(self.groups)
        return {n.key for n in ctx.base_nodes(self.include_sources) if n.group_name in groups}

    def syntax(self) -> str | None:
        if not self.groups:
            return "group:<null>"
        parts = [quote_value(g) for g in self.groups]
        return None if None in parts else " or ".join(f"group:{p}" for p in parts)

    @property
    def syntax_level(self) -> int:
        return COMPOUND if len(self.groups) > 1 else ATOM

    def python(self) -> str:
        args = ", ".join(repr(g) for g in self.groups)
        return f"AssetSelection.groups({args}{py_sources(self.include_sources)})"


class GroupWildcardNode(SelectionNode, frozen=True):
    pattern: str
    include_sources: bool = False

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        regex = wildcard_regex(self.pattern)
        return {n.key for n in ctx.base_nodes(self.include_sources) if regex.fullmatch(n.group_name)}

    def syntax(self) -> str | None:
        text = quote_value(self.pattern)
        return None if text is None else f"group:{text}"

    def python(self) -> str:
        return py_from_string(self, self.include_sources)


class TagNode(SelectionNode, frozen=True):
    """Assets whose tag ``key`` equals ``value`` exactly; ``value=""`` matches only empty tag values."""

    key: str
    value: str
    include_sources: bool = False

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return {n.key for n in ctx.base_nodes(self.include_sources) if n.tags.get(self.key) == self.value}

    def syntax(self) -> str | None:
        key, value = quote_value(self.key), quote_value(self.value)
        if key is None or value is None:
            return None
        return f"tag:{key}={value}" if self.value else f"tag:{key}"

    def python(self) -> str:
        return f"AssetSelection.tag({self.key!r}, {self.value!r}{py_sources(self.include_sources)})"


class OwnerNode(SelectionNode, frozen=True):
    owner: str | None

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        if self.owner is None:
            return _EMPTY
        return {n.key for n in ctx.graph.nodes.values() if self.owner in n.owners}

    def syntax(self) -> str | None:
        value = null_or_quoted(self.owner)
        return None if value is None else f"owner:{value}"

    def python(self) -> str:
        return f"AssetSelection.owner({self.owner!r})"


class KindNode(SelectionNode, frozen=True):
    """Assets of a kind; ``kind=None`` selects assets that have no kind."""

    kind: str | None
    include_sources: bool = False

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        nodes = ctx.base_nodes(self.include_sources)
        if self.kind is None:
            return {n.key for n in nodes if not n.kinds}
        return {n.key for n in nodes if self.kind in n.kinds}

    def syntax(self) -> str | None:
        value = null_or_quoted(self.kind)
        return None if value is None else f"kind:{value}"

    def python(self) -> str:
        return f"AssetSelection.kind({self.kind!r}{py_sources(self.include_sources)})"


class IsNode(SelectionNode, frozen=True):
    """``is:external`` or ``is:materializable``."""

    attribute: str

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        external = self.attribute == "external"
        return {k for k, n in ctx.graph.nodes.items() if n.is_materializable != external}

    def syntax(self) -> str:
        return f"is:{self.attribute}"

    def python(self) -> str:
        return py_from_string(self)


_WORKSPACE_FACTS = {
    "code_location": "the code location an asset is defined in",
    "status": "the materialization status of each asset",
    "column": "column lineage metadata",
    "column_tag": "column metadata",
    "table_name": "table metadata",
    "changed_in_branch": "branch-deployment changes",
    "partitions": "partitions definitions",
    "automation_type": "automation conditions",
    "sensor": "which sensors target an asset",
    "schedule": "which schedules target an asset",
    "job": "which jobs target an asset",
}
WORKSPACE_ATTRIBUTES = frozenset(_WORKSPACE_FACTS)


class WorkspaceAttributeNode(SelectionNode, frozen=True):
    """An attribute (``code_location:``, ``status:``, ...) the syntax accepts but only the workspace
    can answer; resolving it against one code location's asset graph raises ``InvalidSubsetError``."""

    attribute: str
    value: str | None
    tag_value: str | None = None

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        fact = _WORKSPACE_FACTS.get(self.attribute, "workspace state")
        raise InvalidSubsetError(
            f"The selection {self.syntax() or self.attribute + ':'} cannot be resolved against a code "
            f"location's asset graph: '{self.attribute}:' filters on {fact}, which only the workspace "
            "knows. In code, select assets by key, group, tag, owner or kind instead."
        )

    def syntax(self) -> str | None:
        value = null_or_quoted(self.value)
        tag_value = quote_value(self.tag_value) if self.tag_value else ""
        if value is None or tag_value is None:
            return None
        return f"{self.attribute}:{value}{'=' + tag_value if tag_value else ''}"

    def python(self) -> str:
        return py_from_string(self)
