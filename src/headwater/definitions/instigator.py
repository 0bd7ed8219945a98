"""What schedules and sensors share: their targets, calling the user's function with its context and
resources, and the result of one evaluation (``TickResult``, Dagster's ``ScheduleExecutionData`` /
``SensorExecutionData``)."""

from __future__ import annotations

import contextlib
import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

from headwater.core.asset_key import AssetKey
from headwater.definitions.resource_context import Resources
from headwater.definitions.run_request import RunRequest, evaluation_from_result
from headwater.errors import InvalidDefinitionError
from headwater.specs.asset_graph import AssetGraph
from headwater.specs.instigation import TickEvaluation

_CONTEXT_NAMES = frozenset({"context", "_context", "_", "ctx"})


class InstigatorContext:
    """What schedule and sensor contexts share: ``instance`` (when the server has one), ``resources``,
    ``log``, the repository, and an exit stack closed when the context is."""

    _kind = "instigator"

    def __init__(
        self,
        name: str | None,
        instance: Any,
        resources: Resources | Mapping[str, Any] | None,
        repository_name: str | None,
        repository_def: Any,
    ) -> None:
        self._name = name
        self._instance = instance
        self._resources = resources if isinstance(resources, Resources) else Resources(resources or {})
        self.repository_name = repository_name
        self.repository_def = repository_def
        self._stack = contextlib.ExitStack()
        self.log = logging.getLogger(f"headwater.{self._kind}.{name or self._kind}")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self._stack.close()

    @property
    def instance(self) -> Any:
        if self._instance is None:
            raise InvalidDefinitionError(
                f"This {self._kind} context has no instance: pass build_{self._kind}_context(instance=...)."
            )
        return self._instance

    @property
    def resources(self) -> Resources:
        return self._resources

    @property
    def exit_stack(self) -> contextlib.ExitStack:
        return self._stack


class TickResult:
    """One evaluation: ``run_requests``, ``skip_message``, ``cursor``, ``dynamic_partitions_requests``."""

    def __init__(self, evaluation: TickEvaluation) -> None:
        self.evaluation = evaluation
        self.run_requests = [
            RunRequest(
                run_key=r.run_key,
                run_config=r.run_config,
                tags=r.tags,
                job_name=r.job_name,
                asset_selection=r.asset_selection,
                partition_key=r.partition_key,
                asset_check_keys=r.asset_check_keys,
            )
            for r in evaluation.run_requests
        ]
        self.skip_message = evaluation.skip_reason
        self.cursor = evaluation.cursor
        self.dynamic_partitions_requests = list(evaluation.dynamic_partitions_requests)

    def __repr__(self) -> str:
        return (
            f"TickResult(run_requests={self.run_requests!r}, skip_message={self.skip_message!r}, "
            f"cursor={self.cursor!r})"
        )


class Target:
    """What an instigator launches: a job (or its name), or assets (an ``AssetSelection``, asset
    definitions, keys), run as an asset job of the location."""

    def __init__(self, job: Any = None, job_name: str | None = None, assets: Any = None) -> None:
        self.job = job
        self.job_name = job_name if job_name is not None else getattr(job, "name", None)
        self.assets = assets

    @staticmethod
    def of(target: Any = None, job: Any = None, job_name: str | None = None, what: str = "") -> Target:
        given = [x for x in (target, job, job_name) if x is not None]
        if len(given) > 1:
            raise InvalidDefinitionError(f"{what}: pass only one of target=, job= and job_name=.")
        if job_name is not None:
            return Target(job_name=job_name)
        value = target if target is not None else job
        if value is None:
            return Target()
        if _is_job(value):
            return Target(job=value)
        return Target(assets=value)

    @property
    def is_empty(self) -> bool:
        return self.job_name is None and self.assets is None

    def asset_keys(self, graph: AssetGraph) -> tuple[AssetKey, ...] | None:
        """The asset keys targeted (None for a job target)."""
        if self.assets is None:
            return None
        from headwater.selection.asset_selection import AssetSelection

        selection = self.assets
        if not isinstance(selection, AssetSelection):
            items = selection if isinstance(selection, (list, tuple, set, frozenset)) else [selection]
            keys: list[AssetKey] = []
            for item in items:
                specs = getattr(item, "specs_by_key", None)
                if isinstance(specs, Mapping):
                    keys.extend(specs)
                else:
                    keys.append(AssetKey.from_coercible_or_definition(item))
            return tuple(keys)
        return tuple(sorted(selection.resolve(graph), key=lambda k: k.to_user_string()))


def _is_job(value: Any) -> bool:
    name = type(value).__name__
    return name in ("JobDefinition", "UnresolvedAssetJobDefinition", "GraphDefinition")


class UserFunction:
    """A schedule or sensor function: which parameter is the context, which are resources."""

    def __init__(self, fn: Callable[..., Any], what: str) -> None:
        self.fn = fn
        self.what = what
        params = list(inspect.signature(fn).parameters.values())
        self.context_param: str | None = None
        if params and (
            params[0].name in _CONTEXT_NAMES or "Context" in getattr(params[0].annotation, "__name__", "")
        ):
            self.context_param = params[0].name
            params = params[1:]
        self.resource_params = [p.name for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD]

    def __call__(self, context: Any, resources: Resources | None = None) -> Any:
        kwargs: dict[str, Any] = {}
        for name in self.resource_params:
            if resources is None or name not in resources:
                raise InvalidDefinitionError(
                    f"{self.what} takes the resource '{name}', which is not given: add it to "
                    "Definitions(resources=...) (or build_*_context(resources=...) in tests)."
                )
            kwargs[name] = resources[name]
        if self.context_param is not None:
            return self.fn(context, **kwargs)
        return self.fn(**kwargs)


def evaluate(
    fn: UserFunction | None,
    context: Any,
    *,
    what: str,
    cursor: str | None,
    default_run_config: Mapping[str, Any] | None = None,
    default_tags: Mapping[str, str] | None = None,
) -> TickResult:
    """Call the user function (or, with none, request one run with the defaults) and read its result."""
    if fn is None:
        result: Any = RunRequest(run_config=default_run_config, tags=default_tags)
    else:
        result = fn(context, getattr(context, "resources", None))
        if inspect.isgenerator(result):
            result = list(result)
    new_cursor = getattr(context, "cursor", cursor)
    evaluation = evaluation_from_result(
        result,
        what=what,
        cursor=new_cursor,
        cursor_updated=bool(getattr(context, "cursor_updated", False)),
        default_run_config=default_run_config,
        default_tags=default_tags,
    )
    return TickResult(evaluation)


def status_name(value: Any) -> str:
    return str(getattr(value, "value", value))


def required_resources(fn: UserFunction | None, keys: Sequence[str] | None) -> set[str]:
    out = set(keys or ())
    if fn is not None:
        out.update(fn.resource_params)
    return out


log = logging.getLogger("headwater.instigators")

__all__ = [
    "InstigatorContext",
    "Target",
    "TickResult",
    "UserFunction",
    "evaluate",
    "required_resources",
    "status_name",
]
