"""Schedules: ``ScheduleDefinition``, ``@schedule`` and ``ScheduleEvaluationContext``.

A schedule is a cron string (or a list of them) in a time zone, a target (a job or assets) and what
to request at each tick: a fixed run config and tags, or a function of the tick's context returning
run requests, a skip reason or a run config. The daemon computes the ticks from the spec alone
(``selection.cron``); the code-location server runs the function (``evaluate_tick``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec

from headwater.definitions.instigator import (
    InstigatorContext,
    Target,
    TickResult,
    UserFunction,
    evaluate,
    required_resources,
)
from headwater.definitions.resource_context import Resources
from headwater.definitions.run_request import DefaultScheduleStatus
from headwater.errors import InvalidDefinitionError
from headwater.selection.cron import get_timezone, is_valid_cron_schedule

#: The tag naming the schedule of a run (``storage.runs.SCHEDULE_NAME_TAG``; Dagster's).
SCHEDULE_NAME_TAG = "dagster/schedule_name"


class ScheduleEvaluationContext(InstigatorContext):
    """What a schedule function gets: the tick's ``scheduled_execution_time`` (in the schedule's time
    zone), ``resources``, ``instance`` (when the server has one), ``log``."""

    _kind = "schedule"

    def __init__(
        self,
        instance_ref: Any = None,
        scheduled_execution_time: datetime | None = None,
        repository_name: str | None = None,
        schedule_name: str | None = None,
        resources: Resources | Mapping[str, Any] | None = None,
        repository_def: Any = None,
        instance: Any = None,
    ) -> None:
        super().__init__(schedule_name, instance, resources, repository_name, repository_def)
        self._scheduled_execution_time = scheduled_execution_time

    @property
    def scheduled_execution_time(self) -> datetime | None:
        return self._scheduled_execution_time

    @property
    def schedule_name(self) -> str | None:
        return self._name


def _check_crons(cron_schedule: Any, name: str) -> str | tuple[str, ...]:
    crons = [cron_schedule] if isinstance(cron_schedule, str) else list(cron_schedule or [])
    if not crons:
        raise InvalidDefinitionError(f"Schedule '{name}' needs a cron_schedule, e.g. '0 0 * * *'.")
    for cron in crons:
        if not is_valid_cron_schedule(cron):
            raise InvalidDefinitionError(
                f"Schedule '{name}' has an invalid cron_schedule {cron!r}: expected 5 fields (minute "
                "hour day-of-month month day-of-week), e.g. '0 0 * * *' or '*/15 * * * *'."
            )
    return cron_schedule if isinstance(cron_schedule, str) else tuple(crons)


class ScheduleDefinition:
    """A cron schedule for a job or assets (Dagster's arguments)."""

    def __init__(
        self,
        name: str | None = None,
        *,
        cron_schedule: str | Sequence[str] | None = None,
        job_name: str | None = None,
        run_config: Mapping[str, Any] | None = None,
        run_config_fn: Callable[..., Any] | None = None,
        tags: Mapping[str, str] | None = None,
        tags_fn: Callable[..., Any] | None = None,
        should_execute: Callable[..., bool] | None = None,
        environment_vars: Mapping[str, str] | None = None,
        execution_timezone: str | None = None,
        execution_fn: Callable[..., Any] | None = None,
        description: str | None = None,
        job: Any = None,
        default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
        required_resource_keys: set[str] | None = None,
        target: Any = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.target_def = Target.of(target, job, job_name, what=f"ScheduleDefinition {name or ''}".strip())
        if self.target_def.is_empty:
            raise InvalidDefinitionError(
                f"Schedule '{name or '?'}' has no target: pass target= (a job or assets), job= or job_name=."
            )
        if name is None:
            if self.target_def.job_name is None:
                raise InvalidDefinitionError("A ScheduleDefinition targeting assets needs a name=.")
            name = f"{self.target_def.job_name}_schedule"
        self.name = name
        self.cron_schedule = _check_crons(cron_schedule, name)
        if execution_timezone is not None:
            get_timezone(execution_timezone)  # an unknown zone is an error now, not at the first tick
        self.execution_timezone = execution_timezone
        self.description = description
        if not isinstance(default_status, DefaultScheduleStatus):
            raise InvalidDefinitionError(
                f"Schedule '{name}': default_status must be a DefaultScheduleStatus, got {default_status!r}."
            )
        self.default_status = default_status
        self.tags = {str(k): str(v) for k, v in (tags or {}).items()}
        self.metadata = dict(metadata or {})
        self.environment_vars = dict(environment_vars or {})
        self.required_resource_keys = set(required_resource_keys or ())
        if execution_fn is not None and (
            run_config is not None or run_config_fn or tags_fn or should_execute
        ):
            raise InvalidDefinitionError(
                f"Schedule '{name}': execution_fn cannot be combined with run_config, run_config_fn, "
                "tags_fn or should_execute: return RunRequests from it instead."
            )
        if run_config is not None and run_config_fn is not None:
            raise InvalidDefinitionError(f"Schedule '{name}': pass run_config or run_config_fn, not both.")
        self._fn = UserFunction(execution_fn, f"Schedule '{name}'") if execution_fn is not None else None
        self._run_config = dict(run_config or {})
        self._run_config_fn = UserFunction(run_config_fn, f"Schedule '{name}'") if run_config_fn else None
        self._tags_fn = UserFunction(tags_fn, f"Schedule '{name}'") if tags_fn else None
        self._should_execute = UserFunction(should_execute, f"Schedule '{name}'") if should_execute else None

    # -- what the spec reads
    @property
    def job(self) -> Any:
        return self.target_def.job

    @property
    def job_name(self) -> str | None:
        return self.target_def.job_name

    @property
    def has_job_target(self) -> bool:
        return self.target_def.job_name is not None

    @property
    def target(self) -> Any:
        return self.target_def.job if self.target_def.job is not None else self.target_def.assets

    @property
    def required_resources(self) -> set[str]:
        keys = required_resources(self._fn, list(self.required_resource_keys))
        for fn in (self._run_config_fn, self._tags_fn, self._should_execute):
            keys |= required_resources(fn, None)
        return keys

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the schedule's function directly (Dagster's direct invocation): its raw result."""
        if self._fn is None:
            raise InvalidDefinitionError(f"Schedule '{self.name}' has no function to call.")
        context = args[0] if args else kwargs.pop("context", None)
        if context is None:
            context = ScheduleEvaluationContext(schedule_name=self.name, resources=kwargs)
        return self._fn(context, context.resources)

    def evaluate_tick(self, context: ScheduleEvaluationContext) -> TickResult:
        """Evaluate one tick: the run requests (or skip reason) this schedule makes at
        ``context.scheduled_execution_time``; each request tagged with the schedule's name."""
        result = self._evaluate_tick(context)
        evaluation = result.evaluation
        tagged = tuple(
            msgspec.structs.replace(r, tags={**r.tags, SCHEDULE_NAME_TAG: self.name})
            for r in evaluation.run_requests
        )
        return TickResult(msgspec.structs.replace(evaluation, run_requests=tagged))

    def _evaluate_tick(self, context: ScheduleEvaluationContext) -> TickResult:
        what = f"Schedule '{self.name}'"
        if self._fn is not None:
            return evaluate(self._fn, context, what=what, cursor=None)
        if self._should_execute is not None and not self._should_execute(context, context.resources):
            from headwater.specs.instigation import TickEvaluation

            return TickResult(
                TickEvaluation(skip_reason="should_execute function for this schedule returned false.")
            )
        run_config = self._run_config
        if self._run_config_fn is not None:
            run_config = dict(self._run_config_fn(context, context.resources) or {})
        tags = dict(self.tags)
        if self._tags_fn is not None:
            tags.update(
                {str(k): str(v) for k, v in (self._tags_fn(context, context.resources) or {}).items()}
            )
        return evaluate(
            None, context, what=what, cursor=None, default_run_config=run_config, default_tags=tags
        )

    def with_updated_job(self, new_job: Any) -> ScheduleDefinition:
        copy = object.__new__(ScheduleDefinition)
        copy.__dict__.update(self.__dict__)
        copy.target_def = Target(job=new_job)
        return copy

    def __repr__(self) -> str:
        return f"ScheduleDefinition({self.name!r}, cron_schedule={self.cron_schedule!r})"


def schedule(
    cron_schedule: str | Sequence[str],
    *,
    job_name: str | None = None,
    name: str | None = None,
    tags: Mapping[str, str] | None = None,
    tags_fn: Callable[..., Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    should_execute: Callable[..., bool] | None = None,
    environment_vars: Mapping[str, str] | None = None,
    execution_timezone: str | None = None,
    description: str | None = None,
    job: Any = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    required_resource_keys: set[str] | None = None,
    target: Any = None,
) -> Callable[[Callable[..., Any]], ScheduleDefinition]:
    """Make a schedule of a function of its context (and resources) that returns run requests, a
    ``SkipReason``, a run config dict, or yields ``RunRequest`` s."""

    def wrap(fn: Callable[..., Any]) -> ScheduleDefinition:
        schedule_name = name or fn.__name__
        if tags_fn is not None or should_execute is not None:
            raise InvalidDefinitionError(
                f"@schedule '{schedule_name}': tags_fn and should_execute are for ScheduleDefinition; "
                "in @schedule, return a SkipReason or RunRequest(tags=...) instead."
            )
        return ScheduleDefinition(
            name=schedule_name,
            cron_schedule=cron_schedule,
            job_name=job_name,
            tags=tags,
            metadata=metadata,
            environment_vars=environment_vars,
            execution_timezone=execution_timezone,
            execution_fn=fn,
            description=description or fn.__doc__,
            job=job,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            target=target,
        )

    return wrap


__all__ = ["DefaultScheduleStatus", "ScheduleDefinition", "ScheduleEvaluationContext", "schedule"]
