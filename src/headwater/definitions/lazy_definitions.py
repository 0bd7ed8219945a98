"""``@definitions``: a function that returns ``Definitions``, evaluated when a tool loads it.

Dagster projects written today put ``@dg.definitions def defs(): return load_from_defs_folder(...)``
in ``definitions.py``, and ``@dg.definitions`` functions in ``defs/`` modules. The function runs when the
code is loaded (by the CLI, a code server or a ``defs/`` folder walk), not at import.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from headwater.definitions.component_context import ComponentLoadContext
from headwater.definitions.definitions import Definitions
from headwater.errors import InvariantViolationError

_SIGNATURE_ERROR = "Function must accept either no parameters or exactly one ComponentLoadContext parameter"


class LazyDefinitions:
    """A function that returns ``Definitions``; call it (with a ``ComponentLoadContext`` when it takes
    one) to load them."""

    def __init__(self, load_fn: Callable[..., Definitions], has_context_arg: bool) -> None:
        self.load_fn = load_fn
        self.has_context_arg = has_context_arg
        self.__name__ = getattr(load_fn, "__name__", "definitions")
        self.__qualname__ = getattr(load_fn, "__qualname__", self.__name__)
        self.__module__ = getattr(load_fn, "__module__", __name__)
        self.__doc__ = getattr(load_fn, "__doc__", None)

    def __call__(self, context: ComponentLoadContext | None = None) -> Definitions:
        if self.has_context_arg:
            if context is None:
                raise InvariantViolationError(
                    "Function requires a ComponentLoadContext but none was provided"
                )
            result = self.load_fn(context)
        else:
            result = self.load_fn()
        if not isinstance(result, Definitions):
            where = f"{self.__module__}.{self.__qualname__}"
            raise InvariantViolationError(
                f"Function must return a Definitions or RepositoryDefinition object; @definitions function "
                f"{where} returned {type(result).__name__}. Return hw.Definitions(...)."
            )
        return result

    def __repr__(self) -> str:
        return f"<LazyDefinitions {self.__module__}.{self.__qualname__}>"


def definitions(fn: Callable[..., Definitions]) -> Any:
    """Mark ``fn`` (no parameters, or one ``ComponentLoadContext``) as the entry point that returns a
    module's ``Definitions``; it runs when the code is loaded."""
    params = list(inspect.signature(fn).parameters.values())
    has_context_arg = False
    if params:
        annotation = params[0].annotation
        # A string under ``from __future__ import annotations``: "dg.ComponentLoadContext" and the like.
        named = isinstance(annotation, str) and annotation.split(".")[-1] == "ComponentLoadContext"
        if (annotation is ComponentLoadContext or named) and len(params) == 1:
            has_context_arg = True
        else:
            raise InvariantViolationError(
                f"{_SIGNATURE_ERROR}; {fn.__qualname__} takes ({', '.join(p.name for p in params)})."
            )
    return LazyDefinitions(fn, has_context_arg)
