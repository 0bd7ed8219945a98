"""The schedule and sensor authoring API: definitions, direct invocation, evaluate_tick, build_*_context."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from headwater import (
    ConfigurableResource,
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    Definitions,
    RunRequest,
    ScheduleDefinition,
    SensorResult,
    SkipReason,
    asset,
    build_schedule_context,
    build_schedule_from_partitioned_job,
    build_sensor_context,
    define_asset_job,
    job,
    op,
    schedule,
    sensor,
)
from headwater.errors import InvalidDefinitionError
from headwater.locations.server.spec_builder import build_location_spec


@op
def work() -> None:
    pass


@job
def the_job() -> None:
    work()


class Bucket(ConfigurableResource):
    name: str

    def list(self) -> list[str]:
        return [f"{self.name}/a", f"{self.name}/b"]


def test_schedule_definition_requests_one_run_with_its_config_and_tags() -> None:
    sched = ScheduleDefinition(
        job=the_job, cron_schedule="0 0 * * *", run_config={"ops": {}}, tags={"t": "1"}
    )
    assert sched.name == "the_job_schedule"
    result = sched.evaluate_tick(build_schedule_context())
    tags = {"t": "1", "dagster/schedule_name": "the_job_schedule"}  # as Dagster tags them
    assert [(r.run_config, r.tags) for r in result.run_requests] == [({"ops": {}}, tags)]


def test_decorated_schedule_sees_its_time_and_resources() -> None:
    @schedule("0 9 * * 1-5", job=the_job, execution_timezone="Europe/Paris")
    def weekdays(context: Any, bucket: Bucket) -> Any:
        for path in bucket.list():
            yield RunRequest(run_key=f"{path}@{context.scheduled_execution_time:%Y-%m-%d}")

    when = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Paris"))
    with build_schedule_context(scheduled_execution_time=when, resources={"bucket": Bucket(name="b")}) as ctx:
        result = weekdays.evaluate_tick(ctx)
    assert [r.run_key for r in result.run_requests] == ["b/a@2026-03-02", "b/b@2026-03-02"]
    assert weekdays.required_resources == {"bucket"}


def test_invalid_cron_and_time_zone_are_definition_errors() -> None:
    with pytest.raises(InvalidDefinitionError, match="invalid cron_schedule"):
        ScheduleDefinition(job=the_job, cron_schedule="every day")
    with pytest.raises(InvalidDefinitionError, match="Did you mean"):
        ScheduleDefinition(job=the_job, cron_schedule="0 0 * * *", execution_timezone="America/New_Yrok")
    with pytest.raises(InvalidDefinitionError, match="no target"):
        ScheduleDefinition(name="x", cron_schedule="0 0 * * *")


def test_sensor_cursor_and_direct_invocation() -> None:
    @sensor(job=the_job)
    def counter(context: Any) -> Any:
        n = int(context.cursor or 0) + 1
        context.update_cursor(str(n))
        return RunRequest(run_key=str(n))

    ctx = build_sensor_context(cursor="4")
    result = counter.evaluate_tick(ctx)
    assert result.cursor == "5" and [r.run_key for r in result.run_requests] == ["5"]
    assert counter(build_sensor_context()) == RunRequest(run_key="1")
    assert counter.minimum_interval_seconds == 30


def test_sensor_result_and_skip_reason() -> None:
    @sensor(job=the_job)
    def quiet(context: Any) -> SensorResult:
        return SensorResult(skip_reason="nothing", cursor="c")

    result = quiet.evaluate_tick(build_sensor_context())
    assert result.skip_message == "nothing" and result.cursor == "c" and result.run_requests == []

    @sensor(job=the_job)
    def nothing(context: Any) -> None:
        return None

    assert (
        nothing.evaluate_tick(build_sensor_context()).skip_message
        == "Sensor function returned an empty result"
    )
    with pytest.raises(InvalidDefinitionError, match="either run_requests or skip_reason"):
        SensorResult(run_requests=[RunRequest()], skip_reason=SkipReason("no"))


def test_sensor_returning_something_else_says_what_it_expected() -> None:
    @sensor(job=the_job)
    def odd(context: Any) -> Any:
        return 42

    with pytest.raises(InvalidDefinitionError, match="expected RunRequest, SkipReason"):
        odd.evaluate_tick(build_sensor_context())


def test_partitioned_job_schedule_requests_the_last_complete_day() -> None:
    daily = DailyPartitionsDefinition(start_date="2026-01-01")

    @asset(partitions_def=daily)
    def events() -> None:
        pass

    asset_job = define_asset_job("events_job", selection=[events], partitions_def=daily)
    sched = build_schedule_from_partitioned_job(asset_job, hour_of_day=2)
    assert sched.cron_schedule == "0 2 * * *"
    when = datetime(2026, 3, 5, 2, tzinfo=ZoneInfo("UTC"))
    (request,) = sched.evaluate_tick(build_schedule_context(scheduled_execution_time=when)).run_requests
    assert request.partition_key == "2026-03-04"


def test_spec_carries_schedules_and_sensors() -> None:
    @asset
    def table() -> None:
        pass

    sched = ScheduleDefinition(
        name="assets", cron_schedule=["0 1 * * *", "0 13 * * *"], target=[table],
        default_status=DefaultScheduleStatus.RUNNING, execution_timezone="Asia/Tokyo",
    )  # fmt: skip

    @sensor(job=the_job, minimum_interval_seconds=5)
    def watch(context: Any) -> None:
        return None

    defs = Definitions(assets=[table], jobs=[the_job], schedules=[sched], sensors=[watch])
    spec = build_location_spec(defs)
    (s,) = spec.schedules
    assert s.cron_schedules == ("0 1 * * *", "0 13 * * *") and s.timezone == "Asia/Tokyo"
    assert s.default_status == "RUNNING" and [k.to_user_string() for k in s.asset_selection or ()] == [
        "table"
    ]
    (w,) = spec.sensors
    assert w.job_names == ("the_job",) and w.minimum_interval_seconds == 5 and w.default_status == "STOPPED"
    assert defs.get_schedule_def("assets") is sched and defs.get_sensor_def("watch") is watch
