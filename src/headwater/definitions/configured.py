"""``configured``: a copy of a resource, op, executor or logger whose config is fixed or mapped.

::

    dev_db = configured(db_resource)({"url": "sqlite://"})        # fixed config

    @configured(db_resource, {"name": str})                        # a function of new config
    def named_db(config):
        return {"url": f"postgresql:///{config['name']}"}

Ops and executors are named definitions: the copy takes ``name=`` or the decorated function's name. A
function whose one parameter is annotated with a ``Config`` class gets that class as its schema (and
may return a ``Config`` instance).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from headwater.definitions.config_chain import is_config_fn
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


def configured(configurable: Any, config_schema: Any = None, **kwargs: Any) -> Callable[[Any], Any]:
    """``configured(definition, config_schema=None, **kwargs)(config_or_config_fn)``."""
    from headwater.definitions.configurable_resource import ConfigurableResourceFactory
    from headwater.definitions.executor_definition import ExecutorDefinition
    from headwater.definitions.logger_definition import LoggerDefinition
    from headwater.definitions.op import OpDefinition
    from headwater.definitions.resources import ResourceDefinition

    if isinstance(configurable, type) and issubclass(configurable, ConfigurableResourceFactory):
        inner = configurable.configure_at_launch().get_resource_definition()
        return configured(inner, config_schema, **kwargs)
    if isinstance(configurable, (OpDefinition, ExecutorDefinition)):
        what = "op" if isinstance(configurable, OpDefinition) else "executor"

        def named(config_or_config_fn: Any) -> Any:
            fn_name = (
                getattr(config_or_config_fn, "__name__", None) if callable(config_or_config_fn) else None
            )
            name = kwargs.get("name") or fn_name
            if not name:
                raise InvalidInvocationError(
                    f"configured({what} '{configurable.name}') needs a name for the copy: pass name=... "
                    f"(configured(my_{what}, name='my_{what}_dev')({{...}})) or decorate a named function."
                )
            fn, schema = _pythonic(config_or_config_fn, config_schema)
            rest = {k: v for k, v in kwargs.items() if k != "name"}
            return configurable.configured(fn, name=name, config_schema=schema, **rest)

        return named
    if isinstance(configurable, (ResourceDefinition, LoggerDefinition)):

        def anonymous(config_or_config_fn: Any) -> Any:
            fn, schema = _pythonic(config_or_config_fn, config_schema)
            return configurable.configured(fn, config_schema=schema, **kwargs)

        return anonymous
    raise InvalidInvocationError(
        f"configured() takes a ResourceDefinition (or ConfigurableResource class), an OpDefinition, an "
        f"ExecutorDefinition or a LoggerDefinition; got {configurable!r} ({type(configurable).__name__})."
    )


def _pythonic(value: Any, config_schema: Any) -> tuple[Any, Any]:
    """A config function whose one parameter is annotated with a Config class takes that class as its
    schema; it is called with an instance, and may return one."""
    from headwater.definitions.config_class import config_dict_of, is_config_class

    if not is_config_fn(value):
        return value, config_schema
    params = list(inspect.signature(value).parameters.values())
    if len(params) != 1:
        raise InvalidDefinitionError(
            f"A @configured function takes exactly one parameter, its config; "
            f"{getattr(value, '__name__', value)!r} takes {len(params)}."
        )
    param = params[0]
    annotation = param.annotation
    if isinstance(annotation, str):
        try:
            annotation = inspect.get_annotations(value, eval_str=True).get(param.name, annotation)
        except NameError:  # an annotation naming a local class: not a schema we can see
            return value, config_schema
    if not is_config_class(annotation):
        return value, config_schema
    if config_schema is not None:
        raise InvalidDefinitionError(
            "Cannot provide config_schema to a @configured function whose parameter is annotated with a "
            "Config class: the class is the schema."
        )
    config_cls = annotation

    def wrapped(config: Any) -> Any:
        out = value(config_cls(**dict(config or {})))
        return config_dict_of(out) if is_config_class(type(out)) else out

    wrapped.__name__ = getattr(value, "__name__", "configured")
    return wrapped, config_cls
