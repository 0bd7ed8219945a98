"""The node tree behind ``AssetSelection``: one frozen msgspec Struct per kind of selection.

Each node says which asset keys (``compute_keys``) and check keys (``compute_checks``) it selects
in a :class:`ResolveContext`, how it reads in Dagster's selection syntax (``syntax``, ``None`` when
the syntax cannot express it) and as Python (``python``). Semantics follow Dagster 1.13: leaf
filters skip external (non-materializable) assets unless ``include_sources``; ``upstream`` keeps
only materializable assets; selecting assets selects the checks that target them.
"""

from __future__ import annotations

import re
from typing import AbstractSet  # noqa: UP035

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.selection.context import ResolveContext

# How a node's selection string embeds in a larger one (SelectionNode.syntax_level).
COMPOUND = 0  # 'key:"a" or key:"b"': parenthesized as an operand of and / or / not
SIMPLE = 1  # '*', '+key:"a"': bare as an operand, parenthesized under a traversal
ATOM = 2  # 'key:"a"', 'sinks(*)': bare anywhere

_EMPTY: frozenset[AssetKey] = frozenset()


class SelectionNode(msgspec.Struct, frozen=True, gc=False, tag=True):
    """A node of the selection tree. Nodes are immutable, hashable and serialisable (a tagged union:
    ``{"type": "KeysNode", ...}``), so specs can carry selections across processes."""

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        """The selected asset keys; call ``ctx.keys_of(node)`` instead, which memoizes this."""
        raise NotImplementedError

    def compute_checks(self, ctx: ResolveContext) -> AbstractSet[AssetCheckKey]:
        """The selected check keys: by default, the checks of the selected assets."""
        return ctx.checks_for(ctx.keys_of(self))

    def syntax(self) -> str | None:
        """This selection in the selection syntax, or None when the syntax cannot express it."""
        return None

    @property
    def syntax_level(self) -> int:
        return ATOM

    def python(self) -> str:
        """A Python expression that builds this selection."""
        raise NotImplementedError


# -- formatting helpers ----------------------------------------------------------------------------


def quote_value(value: str) -> str | None:
    return None if any(c in value for c in '"\\\r\n') else f'"{value}"'


def wrap_syntax(text: str | None, level: int, needed: int) -> str | None:
    return None if text is None else (text if level >= needed else f"({text})")


def operand_syntax(node: SelectionNode) -> str | None:
    return wrap_syntax(node.syntax(), node.syntax_level, SIMPLE)


def _key_syntax(key: AssetKey) -> str | None:
    if any(not part or "/" in part or "*" in part for part in key.path):
        return None
    text = quote_value(key.to_user_string())
    return None if text is None else f"key:{text}"


def py_key(key: AssetKey) -> str:
    return repr(key) if any("/" in part for part in key.path) else repr(key.to_user_string())


def py_operand(node: SelectionNode) -> str:
    text = node.python()
    return f"({text})" if isinstance(node, (OrNode, AndNode, SubtractNode)) else text


def py_sources(include_sources: bool) -> str:
    return ", include_sources=True" if include_sources else ""


def py_from_string(node: SelectionNode, include_sources: bool = False) -> str:
    return f"AssetSelection.from_string({node.syntax()!r}{py_sources(include_sources)})"


def null_or_quoted(value: str | None) -> str | None:
    return "<null>" if value is None else quote_value(value)


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


# -- leaves ------------------------------------------------------------------------------------------


class AllNode(SelectionNode, frozen=True):
    include_sources: bool = False

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return ctx.base_keys(self.include_sources)

    def syntax(self) -> str:
        return "*"

    @property
    def syntax_level(self) -> int:
        return SIMPLE

    def python(self) -> str:
        return "AssetSelection.all(include_sources=True)" if self.include_sources else "AssetSelection.all()"


class AllChecksNode(SelectionNode, frozen=True):
    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return _EMPTY

    def compute_checks(self, ctx: ResolveContext) -> AbstractSet[AssetCheckKey]:
        return ctx.check_keys

    def python(self) -> str:
        return "AssetSelection.all_asset_checks()"


class KeysNode(SelectionNode, frozen=True):
    keys: tuple[AssetKey, ...]

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        nodes = ctx.graph.nodes
        missing = {k for k in self.keys if k not in nodes}
        if missing and not ctx.allow_missing:
            raise ctx.missing_keys_error(missing)
        return {k for k in self.keys if k in nodes}

    def syntax(self) -> str | None:
        parts = [_key_syntax(k) for k in self.keys]
        if not parts or None in parts:
            return None
        return " or ".join(p for p in parts if p)

    @property
    def syntax_level(self) -> int:
        return COMPOUND if len(self.keys) > 1 else ATOM

    def python(self) -> str:
        return f"AssetSelection.assets({', '.join(py_key(k) for k in self.keys)})"


class KeyPrefixesNode(SelectionNode, frozen=True):
    prefixes: tuple[tuple[str, ...], ...]
    include_sources: bool = False

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        prefixes = [list(p) for p in self.prefixes]
        return {
            k for k in ctx.base_keys(self.include_sources) if any(k.path[: len(p)] == p for p in prefixes)
        }

    def python(self) -> str:
        args = ", ".join(repr(p[0]) if len(p) == 1 else repr(list(p)) for p in self.prefixes)
        return f"AssetSelection.key_prefixes({args}{py_sources(self.include_sources)})"


class KeySubstringNode(SelectionNode, frozen=True):
    substring: str
    include_sources: bool = False

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return {k for k in ctx.base_keys(self.include_sources) if self.substring in k.to_user_string()}

    def python(self) -> str:
        return f"AssetSelection.key_substring({self.substring!r}{py_sources(self.include_sources)})"


class KeyWildcardNode(SelectionNode, frozen=True):
    """``key:pattern`` from the syntax: matches any asset (external ones too); ``*`` matches any text."""

    pattern: str

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        if "*" not in self.pattern:
            return {k for k in ctx.graph.nodes if k.to_user_string() == self.pattern}
        regex = wildcard_regex(self.pattern)
        return {k for k in ctx.graph.nodes if regex.fullmatch(k.to_user_string())}

    def syntax(self) -> str | None:
        text = quote_value(self.pattern)
        return None if text is None else f"key:{text}"

    def python(self) -> str:
        return py_from_string(self)


class ChecksForAssetsNode(SelectionNode, frozen=True):
    asset_keys: tuple[AssetKey, ...]

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return _EMPTY

    def compute_checks(self, ctx: ResolveContext) -> AbstractSet[AssetCheckKey]:
        return ctx.checks_for(set(self.asset_keys))

    def python(self) -> str:
        return f"AssetSelection.checks_for_assets({', '.join(py_key(k) for k in self.asset_keys)})"


class CheckKeysNode(SelectionNode, frozen=True):
    check_keys: tuple[AssetCheckKey, ...]

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return _EMPTY

    def compute_checks(self, ctx: ResolveContext) -> AbstractSet[AssetCheckKey]:
        known = ctx.check_keys
        missing = {k for k in self.check_keys if k not in known}
        if missing and not ctx.allow_missing:
            raise ctx.missing_checks_error(missing)
        return {k for k in self.check_keys if k in known}

    def python(self) -> str:
        return f"AssetSelection.checks({', '.join(repr(k) for k in self.check_keys)})"


# -- operators -------------------------------------------------------------------------------------


class OrNode(SelectionNode, frozen=True):
    operands: tuple[SelectionNode, ...]

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        result: set[AssetKey] = set()
        for operand in self.operands:
            result |= ctx.keys_of(operand)
        return result

    def compute_checks(self, ctx: ResolveContext) -> AbstractSet[AssetCheckKey]:
        result: set[AssetCheckKey] = set()
        for operand in self.operands:
            result |= operand.compute_checks(ctx)
        return result

    def syntax(self) -> str | None:
        parts = [operand_syntax(o) for o in self.operands]
        return None if None in parts else " or ".join(p for p in parts if p)

    @property
    def syntax_level(self) -> int:
        return COMPOUND

    def python(self) -> str:
        return " | ".join(py_operand(o) for o in self.operands)


class AndNode(SelectionNode, frozen=True):
    operands: tuple[SelectionNode, ...]

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        result = set(ctx.keys_of(self.operands[0]))
        for operand in self.operands[1:]:
            result &= ctx.keys_of(operand)
        return result

    def compute_checks(self, ctx: ResolveContext) -> AbstractSet[AssetCheckKey]:
        result = set(self.operands[0].compute_checks(ctx))
        for operand in self.operands[1:]:
            result &= operand.compute_checks(ctx)
        return result

    def syntax(self) -> str | None:
        parts = [operand_syntax(o) for o in self.operands]
        return None if None in parts else " and ".join(p for p in parts if p)

    @property
    def syntax_level(self) -> int:
        return COMPOUND

    def python(self) -> str:
        return " & ".join(py_operand(o) for o in self.operands)


class SubtractNode(SelectionNode, frozen=True):
    left: SelectionNode
    right: SelectionNode

    def compute_keys(self, ctx: ResolveContext) -> AbstractSet[AssetKey]:
        return set(ctx.keys_of(self.left)) - ctx.keys_of(self.right)

    def compute_checks(self, ctx: ResolveContext) -> AbstractSet[AssetCheckKey]:
        return set(self.left.compute_checks(ctx)) - self.right.compute_checks(ctx)

    def syntax(self) -> str | None:
        right = operand_syntax(self.right)
        if right is None:
            return None
        if isinstance(self.left, AllNode):
            return f"not {self.right.syntax() if _is_not(self.right) else right}"
        left = operand_syntax(self.left)
        return None if left is None else f"{left} and not {right}"

    @property
    def syntax_level(self) -> int:
        return COMPOUND

    def python(self) -> str:
        return f"{py_operand(self.left)} - {py_operand(self.right)}"


def _is_not(node: SelectionNode) -> bool:
    """Whether ``node`` prints as ``not X`` (which needs no parentheses after another ``not``)."""
    return isinstance(node, SubtractNode) and isinstance(node.left, AllNode)


def or_nodes(*nodes: SelectionNode) -> OrNode:
    """The union of ``nodes``, flattening nested unions as Dagster does."""
    return OrNode(tuple(p for n in nodes for p in (n.operands if isinstance(n, OrNode) else (n,))))


def and_nodes(*nodes: SelectionNode) -> AndNode:
    """The intersection of ``nodes``, flattening nested intersections as Dagster does."""
    return AndNode(tuple(p for n in nodes for p in (n.operands if isinstance(n, AndNode) else (n,))))
