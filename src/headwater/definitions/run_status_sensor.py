"""Sensors driven by run events: ``@run_status_sensor`` and ``@run_failure_sensor``.

Each tick reads the run status events of its status stored after its cursor (a storage id, as
text; a new sensor starts at the newest event, so history is not replayed) and calls the user's
function once per run of a monitored job, with a ``RunStatusSensorContext``.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.definitions.resource_context import Resources
from headwater.definitions.run_request import DefaultSensorStatus, RunRequest, SkipReason
from headwater.definitions.sensor_definition import SensorDefinition, SensorEvaluationContext
from headwater.errors import InvalidDefinitionError

# Run statuses and the run event that brings a run to each (``events.run_status`` / ``event_type``
# values: definitions and events are sibling layers, so the values are spelled here).
_EVENT_OF_STATUS = {
    "QUEUED": "PIPELINE_ENQUEUED",
    "STARTING": "PIPELINE_STARTING",
    "STARTED": "PIPELINE_START",
    "SUCCESS": "PIPELINE_SUCCESS",
    "FAILURE": "PIPELINE_FAILURE",
    "CANCELING": "PIPELINE_CANCELING",
    "CANCELED": "PIPELINE_CANCELED",
}
#: Runs handled per tick at most (the rest on the next tick: the cursor says where it stopped).
MAX_RUNS_PER_TICK = 100


class RunStatusSensorContext:
    """One run that reached the sensor's status: ``dagster_run``, ``dagster_event``, ``instance``,
    ``resources``, ``log``, ``sensor_name``, ``partition_key``."""

    def __init__(
        self,
        sensor_name: str,
        dagster_run: Any,
        dagster_event: Any,
        instance: Any = None,
        resources: Resources | Mapping[str, Any] | None = None,
        logger: logging.Logger | None = None,
        **_: Any,
    ) -> None:
        self.sensor_name = sensor_name
        self.dagster_run = dagster_run
        self.dagster_event = dagster_event
        self.instance = instance
        self.resources = resources if isinstance(resources, Resources) else Resources(resources or {})
        self.log = logger or logging.getLogger(f"headwater.sensor.{sensor_name}")

    @property
    def partition_key(self) -> str | None:
        return getattr(self.dagster_run, "tags", {}).get("dagster/partition")

    def __enter__(self) -> RunStatusSensorContext:
        return self

    def __exit__(self, *_: object) -> None:
        return None


class RunFailureSensorContext(RunStatusSensorContext):
    """A failed run: ``failure_event`` and ``get_step_failure_events()``."""

    @property
    def failure_event(self) -> Any:
        return self.dagster_event

    def get_step_failure_events(self) -> list[Any]:
        if self.instance is None:
            return []
        entries = self.instance.all_logs(self.dagster_run.run_id)
        return [
            e.dagster_event
            for e in entries
            if e.dagster_event is not None and e.dagster_event.event_type.value == "STEP_FAILURE"
        ]


def _job_names(jobs: Sequence[Any] | None) -> set[str] | None:
    if not jobs:
        return None
    return {j if isinstance(j, str) else str(j.name) for j in jobs}


class RunStatusSensorDefinition(SensorDefinition):
    sensor_type = "run_status"

    def __init__(
        self,
        name: str,
        run_status: Any,
        run_status_sensor_fn: Callable[..., Any],
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        monitored_jobs: Sequence[Any] | None = None,
        monitor_all_code_locations: bool | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        request_job: Any = None,
        request_jobs: Sequence[Any] | None = None,
        required_resource_keys: set[str] | None = None,
        context_class: type[RunStatusSensorContext] = RunStatusSensorContext,
        **_: Any,
    ) -> None:
        status = str(getattr(run_status, "value", run_status))
        if status not in _EVENT_OF_STATUS:
            raise InvalidDefinitionError(
                f"Run status sensor '{name}': no run event for status {status}; use one of "
                f"{', '.join(_EVENT_OF_STATUS)} (DagsterRunStatus)."
            )
        self.run_status = status
        event_type = _EVENT_OF_STATUS[status]
        monitored = _job_names(monitored_jobs)
        self.monitored_job_names = sorted(monitored or ())
        params = list(inspect.signature(run_status_sensor_fn).parameters)[1:]

        def evaluate(context: SensorEvaluationContext) -> Any:
            instance = context.instance
            if context.cursor is None:  # a new sensor: start after the newest event
                newest = instance.get_latest_run_status_change_id(event_type)
                context.update_cursor(str(newest or 0))
                return SkipReason("The sensor is new: it watches run events from now on.")
            records = instance.fetch_run_status_changes(
                event_type, after_cursor=int(context.cursor), limit=MAX_RUNS_PER_TICK
            )
            out: list[Any] = []
            for record in records:
                context.update_cursor(str(record.storage_id))
                run = instance.get_run_by_id(record.run_id)
                if run is None or (monitored is not None and run.job_name not in monitored):
                    continue
                entry = record.event_log_entry
                ctx = context_class(
                    sensor_name=self.name,
                    dagster_run=run,
                    dagster_event=entry.dagster_event,
                    instance=instance,
                    resources=context.resources,
                    logger=context.log,
                )
                result = run_status_sensor_fn(ctx, **{p: context.resources[p] for p in params})
                items = list(result) if inspect.isgenerator(result) else [result]
                out.extend(item for item in items if isinstance(item, RunRequest))
            return out or SkipReason(f"No new runs with status {status}.")

        jobs = request_jobs or ([request_job] if request_job is not None else None)
        super().__init__(
            name=name,
            evaluation_fn=evaluate,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            jobs=jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
        )
        self.extra_resource_keys = params


def run_status_sensor(
    run_status: Any,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    job_selection: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    required_resource_keys: set[str] | None = None,
) -> Callable[[Callable[..., Any]], RunStatusSensorDefinition]:
    """A sensor of ``fn(context: RunStatusSensorContext)``, called for each run reaching ``run_status``."""

    def wrap(fn: Callable[..., Any]) -> RunStatusSensorDefinition:
        return RunStatusSensorDefinition(
            name=name or fn.__name__,
            run_status=run_status,
            run_status_sensor_fn=fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description or fn.__doc__,
            monitored_jobs=monitored_jobs or job_selection,
            default_status=default_status,
            request_job=request_job,
            request_jobs=request_jobs,
            required_resource_keys=required_resource_keys,
        )

    return wrap


def run_failure_sensor(
    name: Callable[..., Any] | str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    job_selection: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    required_resource_keys: set[str] | None = None,
) -> Any:
    """A sensor of ``fn(context: RunFailureSensorContext)``, called for each failed run
    (``@run_failure_sensor`` bare, or with arguments)."""

    def wrap(fn: Callable[..., Any]) -> RunStatusSensorDefinition:
        return RunStatusSensorDefinition(
            name=(name if isinstance(name, str) else None) or fn.__name__,
            run_status="FAILURE",
            run_status_sensor_fn=fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description or fn.__doc__,
            monitored_jobs=monitored_jobs or job_selection,
            default_status=default_status,
            request_job=request_job,
            request_jobs=request_jobs,
            required_resource_keys=required_resource_keys,
            context_class=RunFailureSensorContext,
        )

    if callable(name):
        return wrap(name)
    return wrap


__all__ = [
    "RunFailureSensorContext",
    "RunStatusSensorContext",
    "RunStatusSensorDefinition",
    "run_failure_sensor",
    "run_status_sensor",
]
