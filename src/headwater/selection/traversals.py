"""Selections derived from another one by walking the graph: upstream, downstream, sinks, roots, ...

Every walk is iterative over the graph's adjacency (``AssetGraph.upstream/downstream`` or
``ResolveContext.strict_reach``): O(nodes + edges), whatever the depth of the graph.
"""

from __future__ import annotations

from typing import AbstractSet  # noqa: UP035

from headwater.core.asset_key import AssetKey
from headwater.selection.context import ResolveContext
from headwater.selection.nodes import (
    ATOM,
    COMPOUND,
    SIMPLE,
    AndNode,
    OrNode,
    SelectionNode,
    SubtractNode,
    operand_syntax,
    wrap_syntax,
)

_EMPTY: frozenset[AssetKey] = frozenset()


class ChainNode(SelectionNode, frozen=True):
    """A selection computed from the keys of one child selection."""

    child: SelectionNode

    def _python_call(self, call: str) -> str:
        text = self.child.python()
        if isinstance(self.child, (OrNode, AndNode, SubtractNode)):
            text = f"({text})"
        return f"{text}.{call}"


def _depth_args(depth: int | None, include_self: bool) -> str:
    args = [] if depth is None else [str(depth)]
    if not include_self:
        args.append("include_self=False")
    return ", ".join(args)


class _WalkNode(ChainNode, frozen=True):
    depth: int | None = None
    include_self: bool = True

    def _syntax_parts(self) -> tuple[str | None, int]:
        """(text, level) of the traversal before any 'and not' for include_self=False."""
        if self.depth == 0:
            return self.child.syntax(), self.child.syntax_level
        child = wrap_syntax(self.child.syntax(), self.child.syntax_level, ATOM)
        if child is None:
            return None, SIMPLE
        return self._decorate(child, "" if self.depth is None else str(self.depth)), SIMPLE

    def _decorate(self, child: str, depth: str) -> str:
        """``child`` with this traversal's ``+`` and ``depth`` around it."""
        raise NotImplementedError

    def syntax(self) -> str | None:
        text, level = self._syntax_parts()
        if self.include_self or text is None:
            return text
        child = operand_syntax(self.child)
        return None if child is None else f"{wrap_syntax(text, level, SIMPLE)} and not {child}"

    @property
    def syntax_level(self) -> int:
        return self._syntax_parts()[1] if self.include_self else COMPOUND


class UpstreamNode(_WalkNode, frozen=True):
    """The child's assets and their ancestors (to ``depth``), keeping only materializable ones."""

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        selected = ctx.keys_of(self.child)
        if not selected:
            return _EMPTY
        walked = ctx.graph.upstream(selected, self.depth, include_self=self.include_self)
        return walked & ctx.materializable

    def _decorate(self, child: str, depth: str) -> str:
        return f"{depth}+{child}"

    def python(self) -> str:
        return self._python_call(f"upstream({_depth_args(self.depth, self.include_self)})")


class DownstreamNode(_WalkNode, frozen=True):
    """The child's assets and their descendants (to ``depth``)."""

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        selected = ctx.keys_of(self.child)
        if not selected:
            return _EMPTY
        return ctx.graph.downstream(selected, self.depth, include_self=self.include_self)

    def _decorate(self, child: str, depth: str) -> str:
        return f"{child}+{depth}"

    def python(self) -> str:
        return self._python_call(f"downstream({_depth_args(self.depth, self.include_self)})")


class SinksNode(ChainNode, frozen=True):
    """Selected assets with no descendant (through any path) inside the selection."""

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        selected = ctx.keys_of(self.child)
        return set(selected) - ctx.strict_reach(selected, upstream=True)

    def syntax(self) -> str | None:
        child = self.child.syntax()
        return None if child is None else f"sinks({child})"

    def python(self) -> str:
        return self._python_call("sinks()")


class RootsNode(ChainNode, frozen=True):
    """Selected assets with no ancestor (through any path) inside the selection."""

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        selected = ctx.keys_of(self.child)
        return set(selected) - ctx.strict_reach(selected, upstream=False)

    def syntax(self) -> str | None:
        child = self.child.syntax()
        return None if child is None else f"roots({child})"

    def python(self) -> str:
        return self._python_call("roots()")


class RequiredNeighborsNode(ChainNode, frozen=True):
    """The child's assets plus every asset computed by the same node (multi-asset) as one of them."""

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        selected = ctx.keys_of(self.child)
        result = set(selected)
        for key in selected:
            result.update(ctx.execution_set(key))
        return result

    def python(self) -> str:
        return self._python_call("required_multi_asset_neighbors()")


class MaterializableNode(ChainNode, frozen=True):
    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return ctx.keys_of(self.child) & ctx.materializable

    def python(self) -> str:
        return self._python_call("materializable()")


class ParentSourcesNode(ChainNode, frozen=True):
    """External (non-materializable) assets among the child's assets and all their ancestors."""

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        selected = ctx.keys_of(self.child)
        if not selected:
            return _EMPTY
        nodes = ctx.graph.nodes
        walked = ctx.graph.upstream(selected)
        return {k for k in walked if k in nodes and not nodes[k].is_materializable}

    def python(self) -> str:
        return self._python_call("upstream_source_assets()")
