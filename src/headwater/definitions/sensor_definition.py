"""Sensors: ``SensorDefinition``, ``@sensor`` and ``SensorEvaluationContext``.

A sensor is a function the daemon has evaluated every ``minimum_interval_seconds`` (in the code-location
server, with a timeout). It reads and advances a ``cursor`` (a string kept between ticks), and returns
run requests (a ``run_key`` makes a request at most one run, ever, per sensor), a ``SkipReason``, or a
``SensorResult`` with both plus dynamic partition requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from headwater.definitions.instigator import (
    InstigatorContext,
    Target,
    TickResult,
    UserFunction,
    evaluate,
    required_resources,
)
from headwater.definitions.resource_context import Resources
from headwater.definitions.run_request import DefaultSensorStatus
from headwater.errors import InvalidDefinitionError

#: Dagster's default: a sensor is evaluated at most every 30 seconds.
DEFAULT_SENSOR_INTERVAL_SECONDS = 30


class SensorEvaluationContext(InstigatorContext):
    """What a sensor function gets: ``cursor`` (and ``update_cursor``), ``last_tick_completion_time``,
    ``last_run_key``, ``resources``, ``instance`` (when the server has one), ``log``, ``sensor_name``."""

    _kind = "sensor"

    def __init__(
        self,
        instance_ref: Any = None,
        last_tick_completion_time: float | None = None,
        last_run_key: str | None = None,
        cursor: str | None = None,
        repository_name: str | None = None,
        repository_def: Any = None,
        instance: Any = None,
        sensor_name: str | None = None,
        resources: Resources | Mapping[str, Any] | None = None,
        definitions: Any = None,
        last_sensor_start_time: float | None = None,
        **_: Any,
    ) -> None:
        super().__init__(sensor_name, instance, resources, repository_name, repository_def or definitions)
        self._last_tick_completion_time = last_tick_completion_time
        self._last_run_key = last_run_key
        self._cursor = cursor
        self.cursor_updated = False
        self._last_sensor_start_time = last_sensor_start_time

    @property
    def cursor(self) -> str | None:
        """The cursor stored by the previous tick (None at first)."""
        return self._cursor

    def update_cursor(self, cursor: str | None) -> None:
        """Store ``cursor`` for the next tick (kept when this tick succeeds)."""
        if cursor is not None and not isinstance(cursor, str):
            raise InvalidDefinitionError(f"A sensor cursor is a string; got {cursor!r}. Serialize it first.")
        self._cursor = cursor
        self.cursor_updated = True

    @property
    def last_tick_completion_time(self) -> float | None:
        return self._last_tick_completion_time

    @property
    def last_completion_time(self) -> float | None:
        return self._last_tick_completion_time

    @property
    def last_sensor_start_time(self) -> float | None:
        return self._last_sensor_start_time

    @property
    def last_run_key(self) -> str | None:
        return self._last_run_key

    @property
    def instance_or_none(self) -> Any:
        return self._instance

    @property
    def sensor_name(self) -> str | None:
        return self._name


class SensorDefinition:
    """A sensor (Dagster's arguments); ``sensor_type`` says which kind (``standard``, ``asset``,
    ``multi_asset``, ``run_status``)."""

    sensor_type = "standard"

    def __init__(
        self,
        name: str | None = None,
        *,
        evaluation_fn: Callable[..., Any] | None = None,
        job_name: str | None = None,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        asset_selection: Any = None,
        required_resource_keys: set[str] | None = None,
        target: Any = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if evaluation_fn is None:
            raise InvalidDefinitionError(f"Sensor '{name or '?'}' needs an evaluation_fn.")
        self.name = name or evaluation_fn.__name__
        if asset_selection is not None and target is None:
            target = asset_selection
        if jobs:
            if job is not None or target is not None or job_name is not None:
                raise InvalidDefinitionError(f"Sensor '{self.name}': pass jobs= alone, or one target.")
            self.jobs = list(jobs)
            self.target_def = Target.of(self.jobs[0], what=f"Sensor '{self.name}'")
        else:
            self.target_def = Target.of(target, job, job_name, what=f"Sensor '{self.name}'")
            self.jobs = [self.target_def.job] if self.target_def.job is not None else []
        interval = (
            DEFAULT_SENSOR_INTERVAL_SECONDS if minimum_interval_seconds is None else minimum_interval_seconds
        )
        if not isinstance(interval, int) or interval < 0:
            raise InvalidDefinitionError(
                f"Sensor '{self.name}': minimum_interval_seconds must be a whole number of seconds >= 0."
            )
        self.minimum_interval_seconds = interval
        self.description = description
        if not isinstance(default_status, DefaultSensorStatus):
            raise InvalidDefinitionError(
                f"Sensor '{self.name}': default_status must be a DefaultSensorStatus, got {default_status!r}."
            )
        self.default_status = default_status
        self.required_resource_keys = set(required_resource_keys or ())
        self.tags = {str(k): str(v) for k, v in (tags or {}).items()}
        self.metadata = dict(metadata or {})
        self._raw_fn = evaluation_fn
        self._fn = UserFunction(evaluation_fn, f"Sensor '{self.name}'")
        #: Resource parameters of a wrapped user function (asset and run status sensors).
        self.extra_resource_keys: list[str] = []

    @property
    def job(self) -> Any:
        return self.target_def.job

    @property
    def job_name(self) -> str | None:
        return self.target_def.job_name

    @property
    def job_names(self) -> list[str]:
        return [j.name for j in self.jobs] or ([self.job_name] if self.job_name else [])

    @property
    def target(self) -> Any:
        return self.target_def.job if self.target_def.job is not None else self.target_def.assets

    @property
    def asset_selection(self) -> Any:
        return self.target_def.assets

    @property
    def has_job_target(self) -> bool:
        return self.target_def.job_name is not None

    @property
    def required_resources(self) -> set[str]:
        return required_resources(self._fn, [*self.required_resource_keys, *self.extra_resource_keys])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the sensor's function directly (Dagster's direct invocation): its raw result."""
        context = args[0] if args else kwargs.pop("context", None)
        if context is None:
            context = SensorEvaluationContext(sensor_name=self.name, resources=kwargs)
        return self._fn(context, context.resources)

    def evaluate_tick(self, context: SensorEvaluationContext) -> TickResult:
        """Evaluate one tick: run requests, skip reason, the new cursor, dynamic partition requests."""
        return evaluate(self._fn, context, what=f"Sensor '{self.name}'", cursor=context.cursor)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


def sensor(
    job_name: str | None = None,
    *,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    asset_selection: Any = None,
    required_resource_keys: set[str] | None = None,
    target: Any = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], SensorDefinition]:
    """Make a sensor of a function of its context (and resources)."""

    def wrap(fn: Callable[..., Any]) -> SensorDefinition:
        return SensorDefinition(
            name=name or fn.__name__,
            evaluation_fn=fn,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description or fn.__doc__,
            job=job,
            jobs=jobs,
            default_status=default_status,
            asset_selection=asset_selection,
            required_resource_keys=required_resource_keys,
            target=target,
            tags=tags,
            metadata=metadata,
        )

    return wrap


def utc_datetime(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


__all__ = [
    "DEFAULT_SENSOR_INTERVAL_SECONDS",
    "DefaultSensorStatus",
    "SensorDefinition",
    "SensorEvaluationContext",
    "sensor",
]
