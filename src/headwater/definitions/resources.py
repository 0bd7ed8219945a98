"""``ResourceDefinition`` and the ``@resource`` decorator; ``ResourceParam`` / ``ResourceDependency``
annotations; ``coerce_to_resource``.

A resource definition is a function of an ``InitResourceContext`` returning the resource (or yielding
it, with teardown after the ``yield``), plus a config schema and the resource keys it needs.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import typing as t
from collections.abc import Callable, Generator, Mapping
from types import TracebackType

from headwater.definitions.config_types import ConfigType, Field, convert_potential_field
from headwater.definitions.config_validation import process_config_value
from headwater.definitions.resource_context import InitResourceContext
from headwater.errors import (
    InvalidConfigError,
    InvalidDefinitionError,
    InvalidInvocationError,
    ResourceNotFoundError,
)

T = t.TypeVar("T")

ResourceParam: t.TypeAlias = t.Annotated[T, "resource_param"]
"""Marks a compute-function parameter as a plain-object resource: ``client: ResourceParam[Client]``."""

ResourceDependency: t.TypeAlias = t.Annotated[T, "resource_dependency"]
"""Marks a ConfigurableResource field as another resource: ``client: ResourceDependency[Client]``."""

ResourceFunction: t.TypeAlias = Callable[..., t.Any]


def _takes_context(fn: Callable[..., t.Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [
        p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    return bool(positional)


class GeneratorResource(contextlib.AbstractContextManager[t.Any]):
    """A resource function's generator driven as a context manager: setup up to the ``yield``, teardown
    after it. Teardown runs on exit whether or not the body raised (the error is not thrown into it)."""

    __slots__ = ("_gen", "_name")

    def __init__(self, gen: Generator[t.Any, None, None], name: str) -> None:
        self._gen = gen
        self._name = name

    def __enter__(self) -> t.Any:
        try:
            return next(self._gen)
        except StopIteration:
            raise InvalidDefinitionError(
                f"Resource function {self._name} is a generator but did not yield a value: it must `yield` "
                "the resource exactly once."
            ) from None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            next(self._gen)
        except StopIteration:
            return
        self._gen.close()
        raise InvalidDefinitionError(
            f"Resource function {self._name} yielded more than once: yield exactly once."
        )


class ResourceDefinition:
    """A resource: ``ResourceDefinition(resource_fn, config_schema=None, description=None,
    required_resource_keys=None)``; ``resource_fn`` takes an ``InitResourceContext`` (or nothing)."""

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: t.Any = None,
        description: str | None = None,
        required_resource_keys: t.AbstractSet[str] | t.Iterable[str] | None = None,
        version: str | None = None,
    ) -> None:
        if not callable(resource_fn):
            raise InvalidDefinitionError(f"resource_fn must be callable; got {resource_fn!r}.")
        self._resource_fn = resource_fn
        self._config_schema = config_schema
        self._config_field: Field | None = (
            None if config_schema is None else convert_potential_field(config_schema)
        )
        self._description = description
        self._required_resource_keys = frozenset(required_resource_keys or ())
        self._version = version
        self._takes_context = _takes_context(resource_fn)
        unwrapped = inspect.unwrap(resource_fn)
        self._is_generator = inspect.isgeneratorfunction(resource_fn)
        self._is_cm_fn = not self._is_generator and inspect.isgeneratorfunction(unwrapped)
        self._config_mapping: tuple[bool, t.Any, ResourceDefinition] | None = None

    # -- properties ---------------------------------------------------------------------------------

    @property
    def resource_fn(self) -> ResourceFunction:
        return self._resource_fn

    @property
    def config_schema(self) -> t.Any:
        return self._config_schema

    @property
    def config_field(self) -> Field | None:
        """The config schema as a Field (None: any config is accepted and passed through)."""
        return self._config_field

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def required_resource_keys(self) -> frozenset[str]:
        return self._required_resource_keys

    @property
    def version(self) -> str | None:
        return self._version

    @property
    def nested_resources(self) -> dict[str, t.Any]:
        """Resources held by this one (fields of a ConfigurableResource); none for a plain definition."""
        return {}

    def __repr__(self) -> str:
        name = getattr(self._resource_fn, "__name__", type(self._resource_fn).__name__)
        return f"{type(self).__name__}({name})"

    # -- config ----------------------------------------------------------------------------------

    def process_config(
        self,
        raw: t.Any,
        *,
        path: t.Sequence[str] = ("config",),
        preamble: str = "Error in config for resource",
    ) -> t.Any:
        """Check ``raw`` against the schema, apply defaults, resolve env vars; raise InvalidConfigError."""
        mapping = self._config_mapping
        if mapping is None:
            return self._check(raw, path, preamble)
        is_fn, value, parent = mapping
        inner = value(self._check(raw, path, preamble)) if is_fn else value
        return parent.process_config(inner, path=path, preamble=preamble)

    def _check(self, raw: t.Any, path: t.Sequence[str], preamble: str) -> t.Any:
        field = self._config_field
        if field is None:
            return raw
        value, errors = process_config_value(field, raw, path)
        if errors:
            raise InvalidConfigError(preamble, errors)
        return value

    def configured(
        self,
        config_or_config_fn: t.Any,
        config_schema: t.Any = None,
        description: str | None = None,
    ) -> ResourceDefinition:
        """A copy with its config fixed (a value), or derived by a function from new config
        (checked against ``config_schema``)."""
        new = copy.copy(self)
        is_fn = callable(config_or_config_fn) and not isinstance(
            config_or_config_fn, (type, ConfigType, Field)
        )
        new._config_schema = config_schema if is_fn else None
        new._config_field = (
            None if not is_fn or config_schema is None else convert_potential_field(config_schema)
        )
        new._config_mapping = (is_fn, config_or_config_fn, self)
        if description is not None:
            new._description = description
        return new

    # -- running ---------------------------------------------------------------------------------

    def open(self, context: InitResourceContext) -> contextlib.AbstractContextManager[t.Any]:
        """Call the resource function: a context manager whose value is the resource and whose exit runs
        the teardown. ``context.resource_config`` must already be processed (``process_config``)."""
        fn = self._resource_fn
        result = fn(context) if self._takes_context else fn()
        if self._is_generator:
            return GeneratorResource(result, getattr(fn, "__name__", repr(fn)))
        if self._is_cm_fn and isinstance(result, contextlib.AbstractContextManager):
            return result
        return contextlib.nullcontext(result)

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Direct invocation (tests): ``my_resource(build_init_resource_context(config={...}))``."""
        if len(args) + len(kwargs) > 1:
            raise InvalidInvocationError(
                f"A resource is invoked with at most one argument, its InitResourceContext; got {len(args)} "
                f"positional and {sorted(kwargs)} keyword arguments."
            )
        given = args[0] if args else next(iter(kwargs.values()), None)
        if given is not None and not isinstance(given, InitResourceContext):
            raise InvalidInvocationError(
                f"A resource is invoked with an InitResourceContext (build_init_resource_context(...)); "
                f"got {type(given).__name__}."
            )
        if given is not None and not self._takes_context:
            raise InvalidInvocationError(
                "This resource function takes no context argument, but one was passed; call it with no "
                "arguments."
            )
        context = given or InitResourceContext()
        missing = sorted(self._required_resource_keys - set(context.resources))
        if missing:
            raise ResourceNotFoundError(
                f"resource with key '{missing[0]}' required was not provided. Pass it in "
                f"build_init_resource_context(resources={{'{missing[0]}': ...}})."
            )
        config = self.process_config(context.resource_config)
        bound = context.with_resource(self, config, context.resources)
        fn = self._resource_fn
        result = fn(bound) if self._takes_context else fn()
        if self._is_generator:
            return GeneratorResource(result, getattr(fn, "__name__", repr(fn)))
        return result

    # -- constructors ----------------------------------------------------------------------------

    @staticmethod
    def hardcoded_resource(value: t.Any, description: str | None = None) -> ResourceDefinition:
        """A resource that is always ``value``."""
        return ResourceDefinition(_Constant(value), description=description)

    @staticmethod
    def none_resource(description: str | None = None) -> ResourceDefinition:
        return ResourceDefinition.hardcoded_resource(None, description)

    @staticmethod
    def mock_resource(description: str | None = None) -> ResourceDefinition:
        """A resource that is a fresh ``unittest.mock.MagicMock`` each time it is built."""
        return ResourceDefinition(_magic_mock, description=description)

    @staticmethod
    def string_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose value is its (string) config."""
        return ResourceDefinition(_resource_config, config_schema=str, description=description)


def _magic_mock() -> t.Any:
    from unittest import mock

    return mock.MagicMock()


def _resource_config(context: InitResourceContext) -> t.Any:
    return context.resource_config


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value: t.Any) -> None:
        self.value = value

    def __call__(self) -> t.Any:
        return self.value

    @property
    def __name__(self) -> str:
        return f"hardcoded({type(self.value).__name__})"


class ResourceDefinitionSource:
    """Mixin for objects that stand for a resource definition (ConfigurableResource instances,
    ``configure_at_launch()`` partials)."""

    __slots__ = ()

    def get_resource_definition(self) -> ResourceDefinition:
        raise NotImplementedError


def coerce_to_resource(obj: t.Any) -> ResourceDefinition:
    """A ResourceDefinition for a definition, a ConfigurableResource (or partial), or any plain object."""
    if isinstance(obj, ResourceDefinition):
        return obj
    if isinstance(obj, ResourceDefinitionSource):
        return obj.get_resource_definition()
    return ResourceDefinition.hardcoded_resource(obj)


def _is_bare_decorator_target(obj: t.Any) -> bool:
    return callable(obj) and not isinstance(obj, (type, ConfigType, Field, Mapping, list))


D = t.TypeVar("D", bound=ResourceDefinition)


def make_resource_decorator(
    cls: type[D],
    config_schema: t.Any,
    kwargs: Mapping[str, t.Any],
) -> D | Callable[[ResourceFunction], D]:
    """Shared body of ``@resource`` and ``@io_manager``: bare or called, building ``cls``."""

    def build(fn: ResourceFunction, schema: t.Any) -> D:
        definition = cls(fn, config_schema=schema, **kwargs)
        functools.update_wrapper(t.cast(t.Any, definition), fn, updated=())
        return definition

    if _is_bare_decorator_target(config_schema):
        return build(config_schema, None)
    return lambda fn: build(fn, config_schema)


@t.overload
def resource(config_schema: ResourceFunction) -> ResourceDefinition: ...


@t.overload
def resource(
    config_schema: t.Any = None,
    description: str | None = None,
    required_resource_keys: t.AbstractSet[str] | None = None,
    version: str | None = None,
) -> Callable[[ResourceFunction], ResourceDefinition]: ...


def resource(
    config_schema: t.Any = None,
    description: str | None = None,
    required_resource_keys: t.AbstractSet[str] | None = None,
    version: str | None = None,
) -> ResourceDefinition | Callable[[ResourceFunction], ResourceDefinition]:
    """``@resource`` or ``@resource(config_schema=..., required_resource_keys={...})`` on a function of an
    ``InitResourceContext`` returning (or yielding, with teardown after) the resource."""
    kwargs = {
        "description": description,
        "required_resource_keys": required_resource_keys,
        "version": version,
    }
    return make_resource_decorator(ResourceDefinition, config_schema, kwargs)
