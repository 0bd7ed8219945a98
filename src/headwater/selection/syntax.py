"""Dagster's asset selection syntax: a recursive-descent parser over ``lexer`` tokens.

Grammar (lowest precedence first; ``and``/``or``/``not`` also upper-case)::

    selection := or_expr EOF
    or_expr   := and_expr ("or" and_expr)*
    and_expr  := unary ("and" unary)*
    unary     := "not"* (walk | "*")
    walk      := [DIGITS? "+"] term ["+" DIGITS?]          # +key:a, 2+key:a, key:a+, key:a+3
    term      := attribute | ("sinks" | "roots") "(" or_expr ")" | "(" or_expr ")"
    attribute := NAME ":" value ["=" value]                 # key:a, tag:k=v, group:"g*", owner:<null>

A value is a word (``[A-Za-z_][A-Za-z0-9_/]*``, ``*`` allowed as a wildcard) or a double-quoted
string. When the text is not in this grammar, the older clause form is tried as Dagster does
(``a``, ``*a``, ``a+``, ``++a/b*``, ``tag:k=v-with-dashes``) before the syntax error is raised.
"""

from __future__ import annotations

import difflib
import re
from typing import NoReturn

from headwater.core.asset_key import AssetKey
from headwater.selection.filters import (
    WORKSPACE_ATTRIBUTES,
    GroupsNode,
    GroupWildcardNode,
    IsNode,
    KindNode,
    OwnerNode,
    TagNode,
    WorkspaceAttributeNode,
)
from headwater.selection.lexer import InvalidAssetSelectionError, Token, tokenize
from headwater.selection.nodes import (
    AllNode,
    KeysNode,
    KeyWildcardNode,
    SelectionNode,
    SubtractNode,
    and_nodes,
    or_nodes,
)
from headwater.selection.traversals import DownstreamNode, RootsNode, SinksNode, UpstreamNode

ATTRIBUTES = ("key", "tag", "owner", "group", "kind", "is", *sorted(WORKSPACE_ATTRIBUTES))
FUNCTIONS = ("sinks", "roots")
IS_VALUES = ("external", "materializable")
_MAX_NESTING = 100

__all__ = ["ATTRIBUTES", "FUNCTIONS", "InvalidAssetSelectionError", "parse_clause", "parse_selection"]

_TERM = (
    "a selection such as key:name, group:name, tag:key=value, owner:name, kind:name, sinks(...), '(' or '*'"
)
_VALUE = 'a value: a name such as orders or a quoted string such as "a/b"'


def _describe(token: Token) -> str:
    if token.kind == "EOF":
        return "the end of the selection"
    if token.kind == "QUOTED":
        return f'"{token.text}"'
    return repr(token.text)


class _Parser:
    def __init__(self, text: str, include_sources: bool) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.include_sources = include_sources

    # -- token helpers --

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    def expect(self, kind: str, expected: str) -> Token:
        if self.peek().kind != kind:
            self.fail(expected)
        return self.take()

    def fail(self, expected: str, hint: str = "", token: Token | None = None) -> NoReturn:
        token = token or self.peek()
        problem = f"expected {expected}, found {_describe(token)}{'; ' + hint if hint else ''}"
        raise InvalidAssetSelectionError(problem, text=self.text, position=token.start, expected=expected)

    # -- grammar --

    def parse(self) -> SelectionNode:
        node = self.or_expr(0)
        if self.peek().kind != "EOF":
            self.fail("'and', 'or' or the end of the selection")
        return node

    def or_expr(self, nesting: int) -> SelectionNode:
        operands = [self.and_expr(nesting)]
        while self.peek().kind == "OR":
            self.take()
            operands.append(self.and_expr(nesting))
        return operands[0] if len(operands) == 1 else or_nodes(*operands)

    def and_expr(self, nesting: int) -> SelectionNode:
        operands = [self.unary(nesting)]
        while self.peek().kind == "AND":
            self.take()
            operands.append(self.unary(nesting))
        return operands[0] if len(operands) == 1 else and_nodes(*operands)

    def unary(self, nesting: int) -> SelectionNode:
        negations = 0
        while self.peek().kind == "NOT":
            self.take()
            negations += 1
        if self.peek().kind == "*":
            self.take()
            node: SelectionNode = AllNode(self.include_sources)
        else:
            node = self.walk(nesting)
        for _ in range(negations):
            node = SubtractNode(AllNode(self.include_sources), node)
        return node

    def walk(self, nesting: int) -> SelectionNode:
        up: int | None = None
        has_up = False
        if self.peek().kind == "DIGITS":
            up = int(self.take().text)
            self.expect("+", "'+' after a traversal depth, as in 2+key:name")
            has_up = True
        elif self.peek().kind == "+":
            self.take()
            has_up = True
        node = self.term(nesting, after_plus=has_up)
        down: int | None = None
        has_down = False
        if self.peek().kind == "+":
            self.take()
            has_down = True
            if self.peek().kind == "DIGITS":
                down = int(self.take().text)
        if has_up and has_down:
            return or_nodes(UpstreamNode(node, up), DownstreamNode(node, down))
        if has_up:
            return UpstreamNode(node, up)
        if has_down:
            return DownstreamNode(node, down)
        return node

    def term(self, nesting: int, *, after_plus: bool) -> SelectionNode:
        token = self.peek()
        if token.kind == "(":
            return self.parenthesized(nesting, self.take())
        if token.kind == "WORD" and self.peek(1).kind == ":":
            return self.attribute()
        if token.kind == "WORD" and self.peek(1).kind == "(":
            if token.text not in FUNCTIONS:
                self.fail(_TERM, f"unknown function {token.text!r}; the functions are sinks() and roots()")
            self.take()
            node = self.parenthesized(nesting, self.take())
            return SinksNode(node) if token.text == "sinks" else RootsNode(node)
        hint = ""
        if token.kind == "*" and after_plus:
            hint = "a traversal applies to a term; write +(*) to traverse from everything"
        elif token.kind == "WORD" and token.text in FUNCTIONS:
            hint = f"write {token.text}(...) with the selection in parentheses"
        elif token.kind == "WORD" and token.text in ATTRIBUTES:
            hint = f"an attribute is written {token.text}:value"
        elif token.kind in ("WORD", "WILDCARD", "QUOTED"):
            hint = f"to select an asset by key, write key:{_value_text(token)}"
        elif token.kind in ("AND", "OR"):
            hint = f"'{token.text}' needs a selection on each side"
        self.fail(_TERM, hint)

    def parenthesized(self, nesting: int, opening: Token) -> SelectionNode:
        if nesting >= _MAX_NESTING:
            raise InvalidAssetSelectionError(
                f"parentheses nest more than {_MAX_NESTING} deep", text=self.text, position=opening.start
            )
        node = self.or_expr(nesting + 1)
        if self.peek().kind != ")":
            self.fail("')'", f"to close the '(' at column {opening.start + 1}")
        self.take()
        return node

    def attribute(self) -> SelectionNode:
        name_token = self.take()
        name = name_token.text
        if name not in ATTRIBUTES:
            close = difflib.get_close_matches(name.lower(), ATTRIBUTES, n=1)
            guess = f" (did you mean {close[0]!r}?)" if close else ""
            raise InvalidAssetSelectionError(
                f"unknown attribute {name!r}{guess}; the attributes are {', '.join(ATTRIBUTES)}",
                text=self.text,
                position=name_token.start,
                expected="an attribute name",
            )
        self.take()  # ':'
        if name == "key":
            token = self.value_token(allow_null=False)
            return KeyWildcardNode(token.text)
        value = self.value()
        if name in ("tag", "column_tag"):
            if value is None:
                self.fail(_VALUE, f"{name}:<null> is not supported", token=self.tokens[self.index - 1])
            tag_value = ""
            if self.peek().kind == "=":
                self.take()
                tag_value = self.value() or ""
            if name == "tag":
                return TagNode(value or "", tag_value, self.include_sources)
            return WorkspaceAttributeNode(name, value, tag_value)
        return self.simple_attribute(name, value)

    def simple_attribute(self, name: str, value: str | None) -> SelectionNode:
        if name == "owner":
            return OwnerNode(value)
        if name == "kind":
            return KindNode(value, self.include_sources)
        if name == "group":
            if value is None:
                return GroupsNode((), self.include_sources)
            if "*" in value:
                return GroupWildcardNode(value, self.include_sources)
            return GroupsNode((value,), self.include_sources)
        if name == "is":
            if value not in IS_VALUES:
                self.fail("'external' or 'materializable' after is:", token=self.tokens[self.index - 1])
            return IsNode(str(value))
        return WorkspaceAttributeNode(name, value)

    def value_token(self, *, allow_null: bool) -> Token:
        token = self.peek()
        kinds = ("WORD", "WILDCARD", "QUOTED", "NULL") if allow_null else ("WORD", "WILDCARD", "QUOTED")
        if token.kind not in kinds:
            hint = ""
            if token.kind in ("AND", "OR", "NOT"):
                hint = f'quote it to use it as a name: "{token.text}"'
            elif token.kind == "NULL":
                hint = "key:<null> is not supported"
            elif token.kind == "*":
                hint = 'quote a lone wildcard, as in key:"*"'
            elif token.kind == "DIGITS":
                hint = f'names start with a letter or _; quote others: "{token.text}..."'
            self.fail(_VALUE, hint)
        return self.take()

    def value(self) -> str | None:
        token = self.value_token(allow_null=True)
        return None if token.kind == "NULL" else token.text


def _value_text(token: Token) -> str:
    return f'"{token.text}"' if token.kind == "QUOTED" else token.text


# -- the clause form that came before the grammar ---------------------------------------------------

_CLAUSE = re.compile(r"(?P<up>\*?\+*)(?P<name>[\w./\[\]?-]+)(?P<down>\+*\*?)")


def _clause_depth(part: str) -> int | None:
    """0 for no traversal, None for all levels ('*'), else the number of '+'."""
    return None if "*" in part else len(part)


def parse_clause(text: str) -> SelectionNode | None:
    """The clause form (``name``, ``*name``, ``+name``, ``name++``, ``*name*``), or None."""
    match = _CLAUSE.fullmatch(text.strip())
    if match is None:
        return None
    node: SelectionNode = KeysNode((AssetKey.from_user_string(match["name"]),))
    up, down = match["up"], match["down"]
    upstream = UpstreamNode(node, _clause_depth(up)) if up else None
    downstream = DownstreamNode(node, _clause_depth(down)) if down else None
    if upstream and downstream:
        return or_nodes(upstream, downstream)
    return upstream or downstream or node


def _parse_legacy_tag(text: str) -> SelectionNode | None:
    """``tag:key`` / ``tag:key=value`` with any characters but whitespace (e.g. ``tag:team=data-eng``)."""
    if not text.startswith("tag:") or any(c.isspace() for c in text):
        return None
    parts = text[len("tag:") :].split("=")
    if len(parts) > 2 or not parts[0]:
        return None
    return TagNode(parts[0], parts[1] if len(parts) == 2 else "", False)


def parse_selection(text: str, include_sources: bool = False) -> SelectionNode:
    """Parse a selection string into its node tree; raise InvalidAssetSelectionError if invalid.

    ``include_sources`` makes ``*``, ``not``, ``group:``, ``tag:`` and ``kind:`` also match external assets.
    """
    try:
        return _Parser(text, include_sources).parse()
    except InvalidAssetSelectionError as error:
        fallback = parse_clause(text) or _parse_legacy_tag(text)
        if fallback is None:
            raise error from None
        return fallback
