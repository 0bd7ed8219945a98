"""Building resources: ``initialize_resources`` (the engine's entry point), ``build_resources`` and
``build_init_resource_context`` (for tests).

Resources are built in dependency order (a resource after the ones it requires, including resources
held in its fields) and torn down in reverse order when the context exits — also when building a
later one, or the run, failed. Exceptions raised by user code while building become
``ResourceInitError`` carrying the original exception and traceback.
"""

from __future__ import annotations

import contextlib
import logging
import typing as t
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType

from headwater.definitions.configurable_resource import ConfigurableResourceDefinition
from headwater.definitions.resource_context import InitResourceContext, Resources
from headwater.definitions.resources import ResourceDefinition, ResourceDefinitionSource, coerce_to_resource
from headwater.errors import (
    ConfigErrorEntry,
    InvalidConfigError,
    InvalidDefinitionError,
    ResourceInitError,
    ResourceNotFoundError,
    UserCodeExecutionError,
)
from headwater.execution.boundary import user_code_error_boundary

R = t.TypeVar("R")


def _is_resource_like(value: object) -> bool:
    return isinstance(value, (ResourceDefinition, ResourceDefinitionSource))


def _user_code(key: str, fn: Callable[[], R]) -> R:
    with user_code_error_boundary(
        ResourceInitError,
        lambda exc: f'Error executing resource_fn on ResourceDefinition "{key}": {type(exc).__name__}: {exc}',
    ):
        return fn()


class _Teardown:
    """Exits one resource's context manager; user errors become UserCodeExecutionError naming it."""

    __slots__ = ("_cm", "_key")

    def __init__(self, key: str, cm: contextlib.AbstractContextManager[t.Any]) -> None:
        self._key = key
        self._cm = cm

    def __call__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        key = self._key
        with user_code_error_boundary(
            UserCodeExecutionError,
            lambda err: f'Error while tearing down resource "{key}": {type(err).__name__}: {err}',
        ):
            self._cm.__exit__(None, None, None)  # teardown runs as on success; the error is not passed in
        return False


class _Builder:
    __slots__ = (
        "config",
        "defs",
        "identity",
        "instance",
        "log",
        "preamble",
        "prefix",
        "raw_defs",
        "run_id",
        "values",
    )

    def __init__(
        self,
        raw_defs: Mapping[str, t.Any],
        resource_config: Mapping[str, t.Any] | None,
        *,
        log: logging.Logger | None,
        instance: t.Any,
        run_id: str | None,
        prefix: tuple[str, ...],
        preamble: str,
    ) -> None:
        self.raw_defs = raw_defs
        self.config = resource_config or {}
        self.defs: dict[str, ResourceDefinition] = {}
        self.identity = {id(obj): key for key, obj in raw_defs.items() if _is_resource_like(obj)}
        self.log = log
        self.instance = instance
        self.run_id = run_id
        self.prefix = prefix
        self.preamble = preamble
        self.values: dict[str, t.Any] = {}

    def definition(self, key: str) -> ResourceDefinition:
        defn = self.defs.get(key)
        if defn is None:
            defn = self.defs[key] = coerce_to_resource(self.raw_defs[key])
        return defn

    # -- ordering ---------------------------------------------------------------------------------

    def dependencies(self, defn: ResourceDefinition) -> set[str]:
        deps = set(defn.required_resource_keys)
        for value in defn.nested_resources.values():
            key = self.identity.get(id(value))
            if key is not None:
                deps.add(key)
            elif _is_resource_like(value):
                deps |= self.dependencies(coerce_to_resource(value))
        return deps

    def order(self, keys: Iterable[str]) -> list[str]:
        order: list[str] = []
        done: set[str] = set()
        for root in sorted(set(keys)):
            if root not in self.raw_defs:
                raise ResourceNotFoundError(
                    f"Resource with key '{root}' is required but was not provided. Provide a resource for "
                    f"'{root}' (e.g. Definitions(resources={{'{root}': ...}})); provided keys: "
                    f"{sorted(self.raw_defs)}."
                )
            # iterative DFS, so deep chains of resources do not hit the recursion limit
            stack: list[tuple[str, Iterator[str]]] = []
            visiting: list[str] = []
            if root not in done:
                stack.append((root, iter(sorted(self.dependencies(self.definition(root))))))
                visiting.append(root)
            while stack:
                key, deps = stack[-1]
                dep = next(deps, None)
                if dep is None:
                    stack.pop()
                    visiting.pop()
                    done.add(key)
                    order.append(key)
                    continue
                if dep in done:
                    continue
                if dep in visiting:
                    cycle = [*visiting[visiting.index(dep) :], dep]
                    raise InvalidDefinitionError(
                        f"Resource dependencies form a cycle: {' -> '.join(cycle)}. Break the cycle."
                    )
                if dep not in self.raw_defs:
                    raise ResourceNotFoundError(
                        f"Resource with key '{dep}' is required by resource '{key}' but was not provided. "
                        f"Provide a resource for '{dep}'; provided keys: {sorted(self.raw_defs)}."
                    )
                stack.append((dep, iter(sorted(self.dependencies(self.definition(dep))))))
                visiting.append(dep)
        return order

    # -- building ---------------------------------------------------------------------------------

    def build(self, stack: contextlib.ExitStack, key: str) -> None:
        defn = self.definition(key)
        entry = self.config.get(key)
        raw = entry.get("config") if isinstance(entry, Mapping) else None
        path = (*self.prefix, key, "config")
        self.values[key] = self.open(stack, key, defn, raw, path)

    def open(
        self,
        stack: contextlib.ExitStack,
        key: str,
        defn: ResourceDefinition,
        raw: t.Any,
        path: tuple[str, ...],
    ) -> t.Any:
        config = _user_code(key, lambda: defn.process_config(raw, path=path, preamble=self.preamble))
        deps = self.dependencies(defn)
        context = InitResourceContext(
            resource_config=config,
            resources=Resources({d: self.values[d] for d in deps if d in self.values}),
            resource_def=defn,
            instance=self.instance,
            log=self.log,
            run_id=self.run_id,
            all_resource_defs=self.raw_defs,
        )
        if isinstance(defn, ConfigurableResourceDefinition):
            nested = self.nested_values(stack, key, defn, path[:-1])
            instance = _user_code(
                key, lambda: defn.build_instance(config, nested, path=path, preamble=self.preamble)
            )
            cm = _user_code(key, lambda: defn.open_instance(instance, context))
        else:
            cm = _user_code(key, lambda: defn.open(context))
        value = _user_code(key, cm.__enter__)
        stack.push(_Teardown(key, cm))
        return value

    def nested_values(
        self,
        stack: contextlib.ExitStack,
        key: str,
        defn: ConfigurableResourceDefinition,
        path: tuple[str, ...],
    ) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {}
        for field, value in defn.nested_resources.items():
            top_key = self.identity.get(id(value))
            if top_key is not None:
                out[field] = self.values[top_key]
            elif _is_resource_like(value):
                nested_key = f"{key}.{field}"
                out[field] = self.open(
                    stack, nested_key, coerce_to_resource(value), None, (*path, field, "config")
                )
            else:
                out[field] = value
        return out


@contextlib.contextmanager
def initialize_resources(
    resource_defs: Mapping[str, t.Any],
    resource_config: Mapping[str, t.Any] | None,
    *,
    keys: Iterable[str] | None = None,
    log: logging.Logger | None = None,
    instance: t.Any = None,
    run_id: str | None = None,
    job_name: str | None = None,
    config_path_prefix: Sequence[str] = ("resources",),
) -> Iterator[Resources]:
    """Build the resources ``keys`` (default: all) and those they require, in dependency order; yield
    them as ``Resources``; tear them down in reverse order on exit.

    ``resource_defs`` maps keys to ResourceDefinitions, ConfigurableResource instances or partials, or
    plain objects. ``resource_config`` is the run config's ``resources`` section
    (``{key: {"config": ...}}``). Config errors raise InvalidConfigError (paths under
    ``root:resources:<key>:config``); user code errors raise ResourceInitError.
    """
    preamble = f"Error in config for job {job_name}" if job_name else "Error in config for resources"
    builder = _Builder(
        resource_defs,
        resource_config,
        log=log,
        instance=instance,
        run_id=run_id,
        prefix=tuple(config_path_prefix),
        preamble=preamble,
    )
    order = builder.order(resource_defs if keys is None else keys)
    with contextlib.ExitStack() as stack:
        for key in order:
            builder.build(stack, key)
        yield Resources(builder.values)


def resource_dependencies(resource_defs: Mapping[str, t.Any]) -> dict[str, set[str]]:
    """For each key, the keys it requires directly (``required_resource_keys`` and resource fields)."""
    builder = _Builder(resource_defs, None, log=None, instance=None, run_id=None, prefix=(), preamble="")
    return {key: builder.dependencies(builder.definition(key)) for key in resource_defs}


@contextlib.contextmanager
def build_resources(
    resources: Mapping[str, t.Any],
    instance: t.Any = None,
    resource_config: Mapping[str, t.Any] | None = None,
    log: logging.Logger | None = None,
) -> Iterator[Resources]:
    """``with build_resources({"db": DB(url=...)}) as resources: resources.db`` — builds every resource
    (running setup), and tears them down when the block exits."""
    config = dict(resource_config or {})
    unknown = sorted(set(config) - set(resources))
    if unknown:
        from headwater.definitions.config_validation import ConfigEvaluationError

        errors: list[ConfigErrorEntry] = [
            ConfigEvaluationError(
                f'Received unexpected config entry "{name}" at the root. Expected config only for the '
                f"resources {sorted(resources)}.",
                (),
                "FIELD_NOT_DEFINED",
            )
            for name in unknown
        ]
        raise InvalidConfigError("Error in config for resources", errors)
    with initialize_resources(resources, config, instance=instance, log=log, config_path_prefix=()) as built:
        yield built


def build_init_resource_context(
    config: t.Any = None,
    resources: Mapping[str, t.Any] | None = None,
    instance: t.Any = None,
    *,
    run_id: str | None = None,
    log: logging.Logger | None = None,
) -> InitResourceContext:
    """A context for invoking a resource function directly. Resource definitions among ``resources``
    are built now; use the context in a ``with`` block to tear them down afterwards."""
    resources = dict(resources or {})
    stack = None
    if any(_is_resource_like(v) for v in resources.values()):
        stack = contextlib.ExitStack()
        built = stack.enter_context(
            initialize_resources(resources, None, instance=instance, log=log, run_id=run_id)
        )
        values: Resources | dict[str, t.Any] = built
    else:
        values = resources
    context = InitResourceContext(
        resource_config=config, resources=values, instance=instance, log=log, run_id=run_id
    )
    context._exit_stack = stack
    return context
