"""IO managers: how op outputs and asset values are stored and loaded.

``IOManager`` (``handle_output`` + ``load_input``), ``ConfigurableIOManager`` (a ConfigurableResource
that is its own IO manager), ``ConfigurableIOManagerFactory`` (configured, builds one), the
``@io_manager`` decorator returning an ``IOManagerDefinition``; ``InputManager`` / ``@input_manager``
for loading only.
"""

from __future__ import annotations

import abc
import typing as t
from collections.abc import Callable

from headwater.definitions.configurable_resource import (
    ConfigurableResource,
    ConfigurableResourceDefinition,
    ConfigurableResourceFactory,
)
from headwater.definitions.input_context import InputContext
from headwater.definitions.output_context import OutputContext
from headwater.definitions.resource_context import InitResourceContext
from headwater.definitions.resources import ResourceDefinition, ResourceFunction, make_resource_decorator


class InputManager(abc.ABC):
    """Loads an op's or asset's input."""

    @abc.abstractmethod
    def load_input(self, context: InputContext) -> t.Any:
        """The value of the input described by ``context``."""


class OutputManager(abc.ABC):
    """Stores an op's or asset's output."""

    @abc.abstractmethod
    def handle_output(self, context: OutputContext, obj: t.Any) -> None:
        """Store ``obj``, the output described by ``context``."""


class IOManager(InputManager, OutputManager):
    """Stores outputs and loads them as the inputs of downstream ops and assets."""


class InputManagerDefinition(ResourceDefinition):
    """A resource whose value is an InputManager; ``input_config_schema`` types per-input config."""

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: t.Any = None,
        description: str | None = None,
        required_resource_keys: t.AbstractSet[str] | t.Iterable[str] | None = None,
        version: str | None = None,
        input_config_schema: t.Any = None,
    ) -> None:
        super().__init__(resource_fn, config_schema, description, required_resource_keys, version)
        self.input_config_schema = input_config_schema


class IOManagerDefinition(InputManagerDefinition):
    """A resource whose value is an IOManager."""

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: t.Any = None,
        description: str | None = None,
        required_resource_keys: t.AbstractSet[str] | t.Iterable[str] | None = None,
        version: str | None = None,
        input_config_schema: t.Any = None,
        output_config_schema: t.Any = None,
    ) -> None:
        super().__init__(
            resource_fn, config_schema, description, required_resource_keys, version, input_config_schema
        )
        self.output_config_schema = output_config_schema

    @staticmethod
    def hardcoded_io_manager(value: IOManager, description: str | None = None) -> IOManagerDefinition:
        """An IO manager definition that is always ``value``."""
        return IOManagerDefinition(lambda: value, description=description)


@t.overload
def io_manager(config_schema: ResourceFunction) -> IOManagerDefinition: ...


@t.overload
def io_manager(
    config_schema: t.Any = None,
    description: str | None = None,
    output_config_schema: t.Any = None,
    input_config_schema: t.Any = None,
    required_resource_keys: t.AbstractSet[str] | None = None,
    version: str | None = None,
) -> Callable[[ResourceFunction], IOManagerDefinition]: ...


def io_manager(
    config_schema: t.Any = None,
    description: str | None = None,
    output_config_schema: t.Any = None,
    input_config_schema: t.Any = None,
    required_resource_keys: t.AbstractSet[str] | None = None,
    version: str | None = None,
) -> IOManagerDefinition | Callable[[ResourceFunction], IOManagerDefinition]:
    """``@io_manager`` or ``@io_manager(config_schema=...)`` on a function of an InitResourceContext
    returning an IOManager; returns an ``IOManagerDefinition``."""
    kwargs = {
        "description": description,
        "required_resource_keys": required_resource_keys,
        "version": version,
        "input_config_schema": input_config_schema,
        "output_config_schema": output_config_schema,
    }
    return make_resource_decorator(IOManagerDefinition, config_schema, kwargs)


@t.overload
def input_manager(config_schema: ResourceFunction) -> InputManagerDefinition: ...


@t.overload
def input_manager(
    config_schema: t.Any = None,
    description: str | None = None,
    input_config_schema: t.Any = None,
    required_resource_keys: t.AbstractSet[str] | None = None,
    version: str | None = None,
) -> Callable[[ResourceFunction], InputManagerDefinition]: ...


def input_manager(
    config_schema: t.Any = None,
    description: str | None = None,
    input_config_schema: t.Any = None,
    required_resource_keys: t.AbstractSet[str] | None = None,
    version: str | None = None,
) -> InputManagerDefinition | Callable[[ResourceFunction], InputManagerDefinition]:
    """``@input_manager`` or ``@input_manager(...)`` on a function of an InitResourceContext returning
    an InputManager; returns an ``InputManagerDefinition``."""
    kwargs = {
        "description": description,
        "required_resource_keys": required_resource_keys,
        "version": version,
        "input_config_schema": input_config_schema,
    }
    return make_resource_decorator(InputManagerDefinition, config_schema, kwargs)


class ConfigurableIOManagerDefinition(ConfigurableResourceDefinition, IOManagerDefinition):
    """The IOManagerDefinition behind a ConfigurableIOManager(Factory) instance."""


class ConfigurableIOManagerFactory(ConfigurableResourceFactory[IOManager]):
    """Configured by its fields; ``create_io_manager(context)`` builds the IOManager."""

    @classmethod
    def _hw_definition_class(cls) -> type[ConfigurableResourceDefinition]:
        return ConfigurableIOManagerDefinition

    def create_io_manager(self, context: InitResourceContext) -> IOManager:
        raise NotImplementedError(f"{type(self).__name__} must implement create_io_manager(self, context).")

    def create_resource(self, context: InitResourceContext) -> IOManager:
        return self.create_io_manager(context)


class ConfigurableIOManager(ConfigurableResource, IOManager):
    """An IO manager configured by its fields; it is its own IOManager."""

    @classmethod
    def _hw_definition_class(cls) -> type[ConfigurableResourceDefinition]:
        return ConfigurableIOManagerDefinition
