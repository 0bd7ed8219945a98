"""DagsterTypeLoader: builds the value of an unconnected input from its run config
(``ops: {op: {inputs: {name: <config>}}}``), for inputs whose type has a loader."""

from __future__ import annotations

import abc
from collections.abc import Callable, Set
from typing import Any

from headwater.definitions.config_validation import validate_config


class DagsterTypeLoaderContext:
    """What a loader function receives: the step's context (``log``, ``resources``, ``run_id``...)."""

    __slots__ = ("_step_context",)

    def __init__(self, step_context: Any) -> None:
        self._step_context = step_context

    @property
    def resources(self) -> Any:
        return getattr(self._step_context, "resources", None)

    @property
    def log(self) -> Any:
        return getattr(self._step_context, "log", None)

    @property
    def run_id(self) -> Any:
        return getattr(self._step_context, "run_id", None)

    @property
    def op_def(self) -> Any:
        return getattr(self._step_context, "op_def", None)


class DagsterTypeLoader(abc.ABC):
    """Turns a run-config value into an input value."""

    @property
    @abc.abstractmethod
    def schema_type(self) -> Any: ...

    @property
    def required_resource_keys(self) -> Set[str]:
        return frozenset()

    @abc.abstractmethod
    def construct_from_config_value(self, context: DagsterTypeLoaderContext, config_value: Any) -> Any: ...

    def load(self, step_context: Any, raw_value: Any, where: str) -> Any:
        """Validate ``raw_value`` against the schema and construct the value (called by the step runner)."""
        value = validate_config(self.schema_type, raw_value, preamble=f"Error in config for {where}")
        return self.construct_from_config_value(DagsterTypeLoaderContext(step_context), value)


class DagsterTypeLoaderFromDecorator(DagsterTypeLoader):
    __slots__ = ("_fn", "_required_resource_keys", "_schema")

    def __init__(
        self,
        config_schema: Any,
        fn: Callable[[DagsterTypeLoaderContext, Any], Any],
        required_resource_keys: Set[str] | None = None,
    ) -> None:
        self._schema = config_schema
        self._fn = fn
        self._required_resource_keys = frozenset(required_resource_keys or ())

    @property
    def schema_type(self) -> Any:
        return self._schema

    @property
    def required_resource_keys(self) -> Set[str]:
        return self._required_resource_keys

    def construct_from_config_value(self, context: DagsterTypeLoaderContext, config_value: Any) -> Any:
        return self._fn(context, config_value)


def dagster_type_loader(
    config_schema: Any, required_resource_keys: Set[str] | None = None
) -> Callable[[Callable[[DagsterTypeLoaderContext, Any], Any]], DagsterTypeLoaderFromDecorator]:
    """Decorate ``fn(context, config_value)`` as the loader of a type: ``DagsterType(..., loader=...)``."""

    def wrap(fn: Callable[[DagsterTypeLoaderContext, Any], Any]) -> DagsterTypeLoaderFromDecorator:
        return DagsterTypeLoaderFromDecorator(config_schema, fn, required_resource_keys)

    return wrap
