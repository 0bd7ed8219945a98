"""Schedules and sensors over GraphQL, against a real `headwater dev` process: definitions, state,
ticks, and the mutations that start, stop and reset them and set a sensor's cursor."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .conftest import DevServer, served

DEFS = """
from headwater import (
    DefaultScheduleStatus, Definitions, RunRequest, ScheduleDefinition, job, op, sensor,
)


@op
def work() -> None:
    pass


@job
def the_job() -> None:
    work()


nightly = ScheduleDefinition(
    name="nightly", cron_schedule="0 0 * * *", job=the_job, execution_timezone="America/New_York",
    default_status=DefaultScheduleStatus.RUNNING,
)


@sensor(job=the_job)
def inbox(context):
    return RunRequest(run_key="x")


defs = Definitions(jobs=[the_job], schedules=[nightly], sensors=[inbox])
"""
SEL = {"repositoryLocationName": "defs", "repositoryName": "__repository__"}


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    yield from served(tmp_path_factory, "instigators", DEFS, daemon=False)


def _schedule(dev: DevServer) -> dict[str, object]:
    data = dev.gql(
        """query($s: ScheduleSelector!) { scheduleOrError(scheduleSelector: $s) { __typename
            ... on Schedule { name cronSchedule executionTimezone futureTicks(limit: 2)
              scheduleState { id status statusDeclaredInCode instigationType ticks { status } } } } }""",
        {"s": {**SEL, "scheduleName": "nightly"}},
    )
    return data["scheduleOrError"]  # type: ignore[no-any-return]


def test_schedule_state_and_mutations(dev: DevServer) -> None:
    schedule = _schedule(dev)
    state = schedule["scheduleState"]
    assert state == {  # type: ignore[comparison-overlap]
        "id": "defs:nightly",
        "status": "RUNNING",
        "statusDeclaredInCode": True,
        "instigationType": "SCHEDULE",
        "ticks": [],
    }
    assert len(schedule["futureTicks"]) == 2  # type: ignore[arg-type]
    stopped = dev.gql(
        """mutation { stopRunningSchedule(id: "defs:nightly") { __typename
            ... on ScheduleStateResult { scheduleState { status statusDeclaredInCode } } } }"""
    )["stopRunningSchedule"]
    assert stopped["scheduleState"] == {"status": "STOPPED", "statusDeclaredInCode": False}
    started = dev.gql(
        """mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) { __typename
            ... on ScheduleStateResult { scheduleState { status } } } }""",
        {"s": {**SEL, "scheduleName": "nightly"}},
    )["startSchedule"]
    assert started["scheduleState"]["status"] == "RUNNING"
    missing = dev.gql(
        """mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) { __typename
            ... on ScheduleNotFoundError { scheduleName message } } }""",
        {"s": {**SEL, "scheduleName": "nope"}},
    )["startSchedule"]
    assert missing["__typename"] == "ScheduleNotFoundError" and missing["scheduleName"] == "nope"


def test_sensor_cursor_start_stop_and_ticks(dev: DevServer) -> None:
    sel = {**SEL, "sensorName": "inbox"}
    set_cursor = dev.gql(
        """mutation($s: SensorSelector!) { setSensorCursor(sensorSelector: $s, cursor: "42") { __typename
            ... on Sensor { sensorState { status typeSpecificData { ... on SensorData { lastCursor } } } } } }""",
        {"s": sel},
    )["setSensorCursor"]
    assert set_cursor["sensorState"] == {"status": "STOPPED", "typeSpecificData": {"lastCursor": "42"}}
    dev.gql("mutation($s: SensorSelector!) { startSensor(sensorSelector: $s) { __typename } }", {"s": sel})
    # one sensor tick, as the daemon would run it, against the same home
    env = {**os.environ, "HEADWATER_HOME": str(dev.home)}
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", "sensor", "tick", "--once", "-f", "defs.py"],
        cwd=dev.project, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    state = dev.gql(
        """query($s: InstigationSelector!) { instigationStateOrError(instigationSelector: $s) { __typename
            ... on InstigationState { status ticks { status runIds runKeys cursor } } } }""",
        {"s": {**SEL, "name": "inbox"}},
    )["instigationStateOrError"]
    assert state["status"] == "RUNNING"
    (tick,) = state["ticks"]
    assert tick["status"] == "SUCCESS" and tick["runKeys"] == ["x"] and len(tick["runIds"]) == 1
    stopped = dev.gql(
        """mutation { stopSensor(id: "defs:inbox") { __typename
            ... on StopSensorMutationResult { instigationState { status } } } }"""
    )["stopSensor"]
    assert stopped["instigationState"]["status"] == "STOPPED"


def test_unknown_sensor(dev: DevServer) -> None:
    data = dev.gql(
        """query($s: SensorSelector!) { sensorOrError(sensorSelector: $s) { __typename } }""",
        {"s": {**SEL, "sensorName": "nope"}},
    )
    assert data["sensorOrError"]["__typename"] == "SensorNotFoundError"
