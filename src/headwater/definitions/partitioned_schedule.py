"""``build_schedule_from_partitioned_job``: a schedule that runs a time-partitioned job for its latest
complete partition at the end of each window (Dagster's behaviour)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.definitions.run_request import DefaultScheduleStatus, RunRequest, SkipReason
from headwater.definitions.schedule_definition import ScheduleDefinition, ScheduleEvaluationContext
from headwater.definitions.time_window_partitions import (
    TimeWindowPartitionsDefinition,
    cron_schedule_from_schedule_type_and_offsets,
)
from headwater.errors import InvalidDefinitionError


def build_schedule_from_partitioned_job(
    job: Any,
    description: str | None = None,
    name: str | None = None,
    minute_of_hour: int | None = None,
    hour_of_day: int | None = None,
    day_of_week: int | None = None,
    day_of_month: int | None = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    tags: Mapping[str, str] | None = None,
    cron_schedule: str | None = None,
    execution_timezone: str | None = None,
) -> ScheduleDefinition:
    """A schedule of ``job`` (time-window partitioned) requesting, at each tick, the last partition
    whose window has ended; its cron follows the partitions' (offsets overridable)."""
    partitions_def = getattr(job, "partitions_def", None)
    if not isinstance(partitions_def, TimeWindowPartitionsDefinition):
        raise InvalidDefinitionError(
            f"build_schedule_from_partitioned_job: job '{getattr(job, 'name', job)}' is not partitioned by "
            "time windows (DailyPartitionsDefinition, HourlyPartitionsDefinition...); give the job "
            "partitions_def=..., or write a @schedule returning RunRequest(partition_key=...)."
        )
    if cron_schedule is None:
        schedule_type = partitions_def.schedule_type
        if schedule_type is None:
            cron_schedule = partitions_def.cron_schedule
        else:
            day = day_of_week if day_of_week is not None else day_of_month
            if day is None and schedule_type.value in ("WEEKLY", "MONTHLY"):
                day = partitions_def.day_offset
            cron_schedule = cron_schedule_from_schedule_type_and_offsets(
                schedule_type,
                minute_of_hour if minute_of_hour is not None else partitions_def.minute_offset,
                hour_of_day if hour_of_day is not None else partitions_def.hour_offset,
                day,
            )
    pdef = partitions_def

    def request_latest(context: ScheduleEvaluationContext) -> Any:
        key = pdef.get_last_partition_key(context.scheduled_execution_time)
        if key is None:
            return SkipReason("The partitions definition has no complete partition yet.")
        return RunRequest(run_key=key, partition_key=key, tags=tags)

    return ScheduleDefinition(
        name=name or f"{job.name}_schedule",
        cron_schedule=cron_schedule,
        execution_timezone=execution_timezone or partitions_def.timezone,
        execution_fn=request_latest,
        job=job,
        default_status=default_status,
        description=description,
        tags=tags,
    )


__all__ = ["build_schedule_from_partitioned_job"]
