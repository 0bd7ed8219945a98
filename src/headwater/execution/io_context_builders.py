"""``build_input_context`` and ``build_output_context`` for testing IO managers, with their resources
built (resource definitions and configurable resources initialized, as Dagster does); use the context as
a ``with`` block to tear them down afterwards. The parameters are those of the contexts' own builders in
``headwater.definitions``, which take resources as they are."""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from headwater.definitions import input_context, output_context
from headwater.definitions.input_context import InputContext
from headwater.definitions.output_context import OutputContext
from headwater.execution.standalone_resources import standalone_resources

P = ParamSpec("P")
C = TypeVar("C", InputContext, OutputContext)


def _with_built_resources(build: Callable[P, C]) -> Callable[P, C]:
    signature = inspect.signature(build)

    @functools.wraps(build)
    def builder(*args: P.args, **kwargs: P.kwargs) -> C:
        bound = signature.bind(*args, **kwargs)
        resources = bound.arguments.get("resources")
        if not resources:
            return build(*args, **kwargs)
        stack = contextlib.ExitStack()
        bound.arguments["resources"] = standalone_resources(
            resources, None, bound.arguments.get("instance"), stack
        )
        context = build(*bound.args, **bound.kwargs)
        context._exit_stack = stack
        return context

    return builder


build_input_context = _with_built_resources(input_context.build_input_context)
build_output_context = _with_built_resources(output_context.build_output_context)
