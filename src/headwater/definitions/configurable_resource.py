"""``ConfigurableResource`` and ``ConfigurableResourceFactory``: resources declared as pydantic models
whose fields are their config (and, for fields typed as resources, the resources they depend on)."""

from __future__ import annotations

import contextlib
import typing as t
import weakref
from collections.abc import Generator, Mapping

import pydantic
from pydantic import PrivateAttr

from headwater.definitions.config_class import (
    Config,
    config_type_with_defaults,
    pydantic_error_entries,
)
from headwater.definitions.config_types import Field
from headwater.definitions.config_validation import ConfigEvaluationError
from headwater.definitions.resource_context import InitResourceContext
from headwater.definitions.resources import ResourceDefinition, ResourceDefinitionSource
from headwater.errors import ConfigErrorEntry, InvalidConfigError, InvalidInvocationError

TResValue = t.TypeVar("TResValue")

_RESOURCE_FIELDS: weakref.WeakKeyDictionary[type, frozenset[str]] = weakref.WeakKeyDictionary()
_MARKERS = ("resource_dependency", "resource_param")


def is_resource_annotation(annotation: t.Any, metadata: t.Iterable[t.Any] = ()) -> bool:
    """Whether a parameter/field annotation asks for a resource (a resource class, ``ResourceParam[T]``,
    ``ResourceDependency[T]``, or a ResourceDefinition)."""
    if any(m in _MARKERS for m in metadata if isinstance(m, str)):
        return True
    if t.get_origin(annotation) is t.Annotated:
        args = t.get_args(annotation)
        if any(isinstance(m, str) and m in _MARKERS for m in args[1:]):
            return True
        annotation = args[0]
    if t.get_origin(annotation) is t.Union:
        return any(is_resource_annotation(a) for a in t.get_args(annotation) if a is not type(None))
    return isinstance(annotation, type) and issubclass(
        annotation, (ConfigurableResourceFactory, ResourceDefinition)
    )


def _prepare_resource_fields(cls: type[ConfigurableResourceFactory[t.Any]]) -> frozenset[str] | None:
    """Find the fields that hold resources and let pydantic accept any value for them (a resource
    instance, a ``configure_at_launch()`` partial, a ResourceDefinition or a plain object)."""
    if not cls.__pydantic_complete__:
        return None
    inherited: set[str] = set()
    for base in cls.__mro__[1:]:
        inherited |= _RESOURCE_FIELDS.get(base, frozenset())
    names = frozenset(
        name
        for name, info in cls.model_fields.items()
        if name in inherited or is_resource_annotation(info.annotation, info.metadata)
    )
    _RESOURCE_FIELDS[cls] = names
    retyped = False
    for name in names:
        info = cls.model_fields[name]
        if info.annotation is not t.Any:
            info.annotation = t.Any
            info.metadata = [m for m in info.metadata if not isinstance(m, str)]
            retyped = True
    if retyped:
        cls.model_rebuild(force=True)
    return names


class ConfigurableResourceFactory(Config, ResourceDefinitionSource, t.Generic[TResValue]):
    """A resource configured by its fields, whose value is what ``create_resource(context)`` returns."""

    _hw_context: t.Any = PrivateAttr(default=None)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _prepare_resource_fields(cls)

    @classmethod
    def _hw_resource_field_names(cls) -> frozenset[str]:
        names = _RESOURCE_FIELDS.get(cls)
        if names is None:
            names = _prepare_resource_fields(cls) or frozenset()
        return names

    @classmethod
    def _hw_definition_class(cls) -> type[ConfigurableResourceDefinition]:
        return ConfigurableResourceDefinition

    # -- lifecycle (override these) ---------------------------------------------------------------

    def create_resource(self, context: InitResourceContext) -> TResValue:
        """The resource value handed to ops and assets."""
        raise NotImplementedError(f"{type(self).__name__} must implement create_resource(self, context).")

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Called once per run before the resource is used (e.g. open a connection)."""

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        """Called once after the run's last use of the resource, also when the run failed."""

    @contextlib.contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Generator[TResValue, None, None]:
        """Setup, yield the resource, teardown; override for full control."""
        self.setup_for_execution(context)
        try:
            yield self.create_resource(context)
        finally:
            self.teardown_after_execution(context)

    # -- authoring helpers ----------------------------------------------------------------------

    @classmethod
    def configure_at_launch(cls, **kwargs: t.Any) -> PartialResource:
        """This resource with its config (or the rest of it) given at launch, in run config
        ``resources: {<key>: {config: {...}}}``."""
        return PartialResource(cls, kwargs)

    def get_resource_definition(self) -> ResourceDefinition:
        return type(self)._hw_definition_class()(type(self), self._hw_field_values(), self)

    def get_resource_context(self) -> InitResourceContext:
        context = self._hw_context
        if context is None:
            raise InvalidInvocationError(
                f"Attempted to get context before resource was initialized: {type(self).__name__} only has a "
                "context while a run (or build_resources) holds it."
            )
        return t.cast(InitResourceContext, context)

    @property
    def nested_resources(self) -> dict[str, t.Any]:
        return {
            name: self.__dict__[name]
            for name in type(self)._hw_resource_field_names()
            if name in self.__dict__
        }

    def _hw_field_values(self) -> dict[str, t.Any]:
        values = {
            info.alias or name: self.__dict__[name]
            for name, info in type(self).model_fields.items()
            if name in self.__dict__
        }
        if self.__pydantic_extra__:
            values.update(self.__pydantic_extra__)
        return values


class ConfigurableResource(ConfigurableResourceFactory[t.Any]):
    """A resource that is itself the value ops and assets receive: ``class DB(ConfigurableResource):
    url: str``; ``def asset(db: DB)``."""

    def create_resource(self, context: InitResourceContext) -> t.Any:
        return self


class PartialResource(ResourceDefinitionSource):
    """``MyResource.configure_at_launch(...)``: the class plus the config given so far."""

    __slots__ = ("data", "resource_cls")

    def __init__(
        self, resource_cls: type[ConfigurableResourceFactory[t.Any]], data: Mapping[str, t.Any]
    ) -> None:
        self.resource_cls = resource_cls
        self.data = dict(data)

    def get_resource_definition(self) -> ResourceDefinition:
        return self.resource_cls._hw_definition_class()(self.resource_cls, self.data, self)

    @property
    def nested_resources(self) -> dict[str, t.Any]:
        names = self.resource_cls._hw_resource_field_names()
        return {k: v for k, v in self.data.items() if k in names}

    def __repr__(self) -> str:
        return f"data={self.data!r} resource_cls={self.resource_cls!r}"


def _not_called(context: InitResourceContext) -> t.Any:  # pragma: no cover - open() is overridden
    raise NotImplementedError


class ConfigurableResourceDefinition(ResourceDefinition):
    """The definition behind a ConfigurableResource instance or partial: its config schema has the
    given values as defaults, so run config can fill in or override them."""

    def __init__(
        self,
        resource_cls: type[ConfigurableResourceFactory[t.Any]],
        values: Mapping[str, t.Any],
        source: object,
    ) -> None:
        names = resource_cls._hw_resource_field_names()
        config_values = {k: v for k, v in values.items() if k not in names}
        shape = config_type_with_defaults(resource_cls, config_values)
        super().__init__(_not_called, config_schema=Field(shape), description=resource_cls.__doc__)
        self.resource_cls = resource_cls
        self.source = source
        self._nested = {k: v for k, v in values.items() if k in names}

    @property
    def nested_resources(self) -> dict[str, t.Any]:
        return dict(self._nested)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.resource_cls.__name__})"

    def build_instance(
        self,
        config: Mapping[str, t.Any] | None,
        nested_values: Mapping[str, t.Any],
        *,
        path: t.Sequence[str] = ("config",),
        preamble: str = "Error in config for resource",
    ) -> ConfigurableResourceFactory[t.Any]:
        """The configured instance: processed ``config`` plus the (initialized) nested resources."""
        try:
            return self.resource_cls(**(config or {}), **nested_values)
        except pydantic.ValidationError as exc:
            entries: list[ConfigErrorEntry] = [
                ConfigEvaluationError(m, p, "PYDANTIC_VALIDATION")
                for m, p in pydantic_error_entries(exc, path)
            ]
            raise InvalidConfigError(preamble, entries) from exc

    def open_instance(
        self, instance: ConfigurableResourceFactory[t.Any], context: InitResourceContext
    ) -> contextlib.AbstractContextManager[t.Any]:
        instance._hw_context = context
        return instance.yield_for_execution(context)

    def open(
        self, context: InitResourceContext, nested_values: Mapping[str, t.Any] | None = None
    ) -> contextlib.AbstractContextManager[t.Any]:
        values = self._nested if nested_values is None else nested_values
        instance = self.build_instance(context.resource_config, values)
        return self.open_instance(instance, context)

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        raise InvalidInvocationError(
            f"{self.resource_cls.__name__} is a ConfigurableResource: use the instance directly, or "
            "build_resources({...}) to run its setup and teardown."
        )
