"""``{{ ... }}`` templates in component YAML: ``{{ env.VAR }}``, ``{{ env('VAR', 'default') }}`` and
template variables (``@template_var`` functions and values).

An expression is parsed with ``ast`` and evaluated over a closed set of forms -- names from the scope,
attribute access, calls, literals, lists, tuples and dicts, ``and``/``or``/``not``, comparisons,
``a if c else b`` and Jinja's common filters (``| default('x')``, ``| lower``, ``| upper``, ``| int``,
``| string``) -- never with ``eval``. A string that is one
template is replaced by the expression's value (any Python object, as Dagster does); a template inside
a longer string is formatted into it.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from headwater.errors import InvalidDefinitionError

_TEMPLATE = re.compile(r"\{\{\s*(.*?)\s*\}\}")


class TemplateError(InvalidDefinitionError):
    """A template in a component's YAML cannot be evaluated."""


class EnvScope:
    """``env``: ``{{ env.VAR }}`` (None when unset) or ``{{ env('VAR', 'default') }}`` (an error when unset
    without a default)."""

    def __call__(self, key: str, default: Any = ...) -> Any:
        value = os.environ.get(key, default)
        if value is ...:
            raise TemplateError(
                f"Environment variable {key} is not set and no default value was provided. To provide a "
                f"default value, use e.g. `env('{key}', 'default_value')`."
            )
        return value

    def __getattr__(self, key: str) -> str | None:
        if key.startswith("_"):
            raise AttributeError(key)
        return os.environ.get(key)


def render(value: Any, scope: Mapping[str, Any]) -> Any:
    """``value`` (YAML data) with every template evaluated in ``scope``."""
    if isinstance(value, str):
        return _render_string(value, scope)
    if isinstance(value, list):
        return [render(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: render(v, scope) for k, v in value.items()}
    return value


def _render_string(text: str, scope: Mapping[str, Any]) -> Any:
    matches = list(_TEMPLATE.finditer(text))
    if not matches:
        return text
    stripped = text.strip()
    if len(matches) == 1 and matches[0].group(0) == stripped:
        return evaluate(matches[0].group(1), scope)  # the whole value: keep the object, not its text
    return _TEMPLATE.sub(lambda m: str(evaluate(m.group(1), scope)), text)


def evaluate(expression: str, scope: Mapping[str, Any]) -> Any:
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise TemplateError(f"Cannot read the template {{{{ {expression} }}}}: {exc.msg}.") from None
    return _Evaluator(scope, expression).visit(tree.body)


_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: bool(a == b),
    ast.NotEq: lambda a, b: bool(a != b),
    ast.Lt: lambda a, b: bool(a < b),
    ast.LtE: lambda a, b: bool(a <= b),
    ast.Gt: lambda a, b: bool(a > b),
    ast.GtE: lambda a, b: bool(a >= b),
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}
_FILTERS: dict[str, Callable[..., Any]] = {
    "default": lambda value, fallback="": fallback if value is None else value,
    "lower": lambda value: str(value).lower(),
    "upper": lambda value: str(value).upper(),
    "int": lambda value: int(value),
    "string": lambda value: str(value),
}


class _Evaluator:
    def __init__(self, scope: Mapping[str, Any], expression: str) -> None:
        self.scope = scope
        self.expression = expression

    def fail(self, what: str) -> TemplateError:
        return TemplateError(f"In the template {{{{ {self.expression} }}}}: {what}.")

    def visit(self, node: ast.AST) -> Any:
        handler: Callable[[Any], Any] | None = getattr(self, f"_{type(node).__name__}", None)
        if handler is None:
            raise self.fail(
                f"{type(node).__name__} is not allowed (templates use names, attributes, calls and literals)"
            )
        return handler(node)

    def _Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _Name(self, node: ast.Name) -> Any:
        if node.id not in self.scope:
            known = ", ".join(sorted(self.scope)) or "none"
            raise self.fail(f"unknown name {node.id!r} (available: {known})")
        return self.scope[node.id]

    def _Attribute(self, node: ast.Attribute) -> Any:
        if node.attr.startswith("_"):
            raise self.fail(f"private attribute {node.attr!r}")
        owner = self.visit(node.value)
        try:
            return getattr(owner, node.attr)
        except AttributeError:
            raise self.fail(f"{type(owner).__name__} has no attribute {node.attr!r}") from None

    def _Call(self, node: ast.Call) -> Any:
        fn = self.visit(node.func)
        if not callable(fn):
            raise self.fail(f"{type(fn).__name__} is not callable")
        args = [self.visit(a) for a in node.args]
        kwargs = {k.arg: self.visit(k.value) for k in node.keywords if k.arg is not None}
        return fn(*args, **kwargs)

    def _BoolOp(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for operand in node.values:
            value = self.visit(operand)
            if isinstance(node.op, ast.Or) == bool(value):
                return value
        return value

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        if isinstance(node.op, ast.Not):
            return not self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return -self.visit(node.operand)
        raise self.fail(f"operator {type(node.op).__name__} is not allowed")

    def _Compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            compare = _COMPARISONS.get(type(op))
            if compare is None:
                raise self.fail(f"comparison {type(op).__name__} is not allowed")
            if not compare(left, right):
                return False
            left = right
        return True

    def _IfExp(self, node: ast.IfExp) -> Any:
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def _BinOp(self, node: ast.BinOp) -> Any:
        """Jinja's filters: ``value | default('x')``, ``| lower``, ``| upper``, ``| int``, ``| string``."""
        if not isinstance(node.op, ast.BitOr):
            raise self.fail(f"operator {type(node.op).__name__} is not allowed")
        value = self.visit(node.left)
        target = node.right
        name = target.func.id if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) else None
        name = target.id if isinstance(target, ast.Name) else name
        if name not in _FILTERS:
            raise self.fail(f"unknown filter (available: {', '.join(sorted(_FILTERS))})")
        args = [self.visit(a) for a in target.args] if isinstance(target, ast.Call) else []
        return _FILTERS[name](value, *args)

    def _List(self, node: ast.List) -> Any:
        return [self.visit(e) for e in node.elts]

    def _Tuple(self, node: ast.Tuple) -> Any:
        return tuple(self.visit(e) for e in node.elts)

    def _Dict(self, node: ast.Dict) -> Any:
        return {
            self.visit(k): self.visit(v) for k, v in zip(node.keys, node.values, strict=True) if k is not None
        }
