"""``Component``: a reusable piece of definitions, configured by attributes (from ``defs.yaml``)."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from headwater.definitions.component_context import ComponentLoadContext
from headwater.definitions.definitions import Definitions

F = TypeVar("F", bound=Callable[..., Any])
_TEMPLATE_VAR = "__headwater_template_var__"


def template_var(fn: F | None = None) -> Any:
    """Mark a function as a template variable of component YAML: ``{{ name }}`` is its result (it may
    take the ``ComponentLoadContext``), or, when that result is a function, ``{{ name(...) }}`` calls it.
    Define them in a module named by ``template_vars_module:`` or as static methods of the component."""

    def mark(f: F) -> F:
        setattr(f, _TEMPLATE_VAR, True)
        return f

    return mark(fn) if fn is not None else mark


def is_template_var(value: object) -> bool:
    return callable(value) and getattr(value, _TEMPLATE_VAR, False) is True


def call_template_var(fn: Callable[..., Any], context: ComponentLoadContext) -> Any:
    params = inspect.signature(fn).parameters
    if len(params) == 0:
        return fn()
    if len(params) == 1:
        return fn(context)
    raise TypeError(f"Template var must have 0 or 1 parameters, got {len(params)}")


class Component(ABC):
    """Subclass it and implement ``build_defs``; make it ``Resolvable`` (a ``Model`` or a dataclass) so
    that ``defs.yaml`` can configure it with ``attributes:``."""

    @abstractmethod
    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        """The definitions this component contributes."""

    @classmethod
    def load(cls, attributes: Any, context: ComponentLoadContext) -> Component:
        """An instance configured by ``attributes`` (YAML data, templates already rendered)."""
        from headwater.definitions.components.resolvable import Resolvable

        if issubclass(cls, Resolvable):
            return cls.resolve_from_yaml(attributes, context)
        if attributes:
            raise TypeError(
                f"{cls.__name__} takes no attributes: make it Resolvable (subclass hw.Model or a dataclass, "
                "and hw.Resolvable) to configure it from YAML."
            )
        return cls()

    @classmethod
    def get_template_vars(cls, context: ComponentLoadContext) -> Mapping[str, Any]:
        """Template variables defined as ``@template_var`` static methods of the class."""
        out: dict[str, Any] = {}
        for name, value in inspect.getmembers(cls):
            if is_template_var(value):
                out[name] = call_template_var(value, context)
        return out
