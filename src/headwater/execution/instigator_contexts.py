"""Contexts for schedules and sensors built in tests (Dagster's ``build_*_context``): the resources
given are built now and torn down when the context's ``with`` block exits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_sensor import MultiAssetSensorEvaluationContext
from headwater.definitions.run_status_sensor import RunFailureSensorContext, RunStatusSensorContext
from headwater.definitions.schedule_definition import ScheduleEvaluationContext
from headwater.definitions.sensor_definition import SensorEvaluationContext
from headwater.execution.standalone_resources import standalone_resources


def build_schedule_context(
    instance: Any = None,
    scheduled_execution_time: datetime | None = None,
    resources: Mapping[str, Any] | None = None,
    repository_def: Any = None,
    instance_ref: Any = None,
    definitions: Any = None,
) -> ScheduleEvaluationContext:
    """A ``ScheduleEvaluationContext`` for calling a schedule in a test; ``scheduled_execution_time``
    defaults to now (UTC)."""
    context = ScheduleEvaluationContext(
        scheduled_execution_time=scheduled_execution_time or datetime.now(UTC),
        repository_def=repository_def or definitions,
        instance=instance,
    )
    context._resources = standalone_resources(resources, None, instance, context.exit_stack)
    return context


def build_sensor_context(
    instance: Any = None,
    cursor: str | None = None,
    repository_name: str | None = None,
    repository_def: Any = None,
    sensor_name: str | None = None,
    resources: Mapping[str, Any] | None = None,
    definitions: Any = None,
    instance_ref: Any = None,
    last_sensor_start_time: float | None = None,
    last_tick_completion_time: float | None = None,
    last_run_key: str | None = None,
) -> SensorEvaluationContext:
    """A ``SensorEvaluationContext`` for calling a sensor in a test."""
    context = SensorEvaluationContext(
        cursor=cursor,
        repository_name=repository_name,
        repository_def=repository_def or definitions,
        instance=instance,
        sensor_name=sensor_name,
        last_sensor_start_time=last_sensor_start_time,
        last_tick_completion_time=last_tick_completion_time,
        last_run_key=last_run_key,
    )
    context._resources = standalone_resources(resources, None, instance, context.exit_stack)
    return context


def build_run_status_sensor_context(
    sensor_name: str,
    dagster_event: Any,
    dagster_instance: Any,
    dagster_run: Any,
    context: Any = None,
    resources: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
    repository_def: Any = None,
    logger: Any = None,
) -> RunStatusSensorContext:
    """A ``RunStatusSensorContext`` (a ``RunFailureSensorContext`` for a failure event) for a test."""
    event_type = getattr(getattr(dagster_event, "event_type", None), "name", "")
    cls = RunFailureSensorContext if event_type == "RUN_FAILURE" else RunStatusSensorContext
    built = standalone_resources(resources, None, dagster_instance)
    return cls(
        sensor_name=sensor_name,
        dagster_run=dagster_run,
        dagster_event=dagster_event,
        instance=dagster_instance,
        resources=built,
        logger=logger,
    )


def build_multi_asset_sensor_context(
    *,
    monitored_assets: Sequence[Any],
    repository_def: Any = None,
    instance: Any = None,
    cursor: str | None = None,
    repository_name: str | None = None,
    cursor_from_latest_materializations: bool = False,
    resources: Mapping[str, Any] | None = None,
    definitions: Any = None,
    last_sensor_start_time: float | None = None,
) -> MultiAssetSensorEvaluationContext:
    """A ``MultiAssetSensorEvaluationContext`` over ``monitored_assets`` for a test."""
    keys = [AssetKey.from_coercible_or_definition(k) for k in monitored_assets]
    context = MultiAssetSensorEvaluationContext(
        keys,
        instance=instance,
        cursor=cursor,
        repository_name=repository_name,
        repository_def=repository_def or definitions,
        last_sensor_start_time=last_sensor_start_time,
    )
    context._resources = standalone_resources(resources, None, instance, context.exit_stack)
    if cursor_from_latest_materializations:
        context.advance_all_cursors()
    return context


__all__ = [
    "build_multi_asset_sensor_context",
    "build_run_status_sensor_context",
    "build_schedule_context",
    "build_sensor_context",
]
