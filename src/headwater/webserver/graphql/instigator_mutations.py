"""Looking up one schedule or sensor, and changing its state: Dagster's selectors, results and mutations
(``startSchedule``, ``stopRunningSchedule``, ``resetSchedule``, ``startSensor``, ``stopSensor``,
``resetSensor``, ``setSensorCursor``), over the instigator store."""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.storage.instigators import InstigatorStatus, InstigatorType, set_cursor, set_status
from headwater.webserver.context import REPOSITORY_NAME, RequestContext
from headwater.webserver.graphql.errors import Error, PythonError, UnauthorizedError
from headwater.webserver.graphql.instigators import InstigationState, Schedule, Sensor, instigation_state

READ_ONLY = "This webserver is read-only (started with --read-only): it starts and stops nothing."


@strawberry.input(description="Which schedule (Dagster's ScheduleSelector).")
class ScheduleSelector:
    repository_location_name: str
    repository_name: str
    schedule_name: str


@strawberry.input(description="Which sensor (Dagster's SensorSelector).")
class SensorSelector:
    repository_location_name: str
    repository_name: str
    sensor_name: str


@strawberry.input(description="Which schedule or sensor (Dagster's InstigationSelector).")
class InstigationSelector:
    repository_location_name: str
    repository_name: str
    name: str


@strawberry.type(description="No schedule of that name in the location.")
class ScheduleNotFoundError(Error):
    schedule_name: str


@strawberry.type(description="No sensor of that name in the location.")
class SensorNotFoundError(Error):
    sensor_name: str


@strawberry.type(description="No schedule or sensor of that name in the location.")
class InstigationStateNotFoundError(Error):
    name: str


@strawberry.type(description="The state of the schedule a mutation changed.")
class ScheduleStateResult:
    schedule_state: InstigationState


@strawberry.type(description="The state of the sensor stopSensor stopped.")
class StopSensorMutationResult:
    instigation_state: InstigationState | None


ScheduleOrError = Annotated[
    Schedule | ScheduleNotFoundError | PythonError, strawberry.union("ScheduleOrError")
]
SensorOrError = Annotated[
    Sensor | SensorNotFoundError | UnauthorizedError | PythonError, strawberry.union("SensorOrError")
]
InstigationStateOrError = Annotated[
    InstigationState | InstigationStateNotFoundError | PythonError,
    strawberry.union("InstigationStateOrError"),
]
ScheduleMutationResult = Annotated[
    ScheduleStateResult | UnauthorizedError | ScheduleNotFoundError | PythonError,
    strawberry.union("ScheduleMutationResult"),
]
StopSensorMutationResultOrError = Annotated[
    StopSensorMutationResult | UnauthorizedError | SensorNotFoundError | PythonError,
    strawberry.union("StopSensorMutationResultOrError"),
]


def find_schedule(
    ctx: RequestContext, location: str, repository: str, name: str
) -> Schedule | ScheduleNotFoundError:
    if repository == REPOSITORY_NAME and location in ctx.location_names():
        spec = ctx.location(location).spec
        found = spec.schedule(name) if spec is not None else None
        if found is not None:
            return Schedule(spec=found, location_name=location)
    return ScheduleNotFoundError(
        message=f"No schedule {name!r} in location {location!r} (repository {REPOSITORY_NAME!r}).",
        schedule_name=name,
    )


def find_sensor(
    ctx: RequestContext, location: str, repository: str, name: str
) -> Sensor | SensorNotFoundError:
    if repository == REPOSITORY_NAME and location in ctx.location_names():
        spec = ctx.location(location).spec
        found = spec.sensor(name) if spec is not None else None
        if found is not None:
            return Sensor(spec=found, location_name=location)
    return SensorNotFoundError(
        message=f"No sensor {name!r} in location {location!r} (repository {REPOSITORY_NAME!r}).",
        sensor_name=name,
    )


def instigation_state_of(ctx: RequestContext, selector: InstigationSelector) -> InstigationStateOrError:
    location, repository, name = selector.repository_location_name, selector.repository_name, selector.name
    schedule = find_schedule(ctx, location, repository, name)
    if isinstance(schedule, Schedule):
        return instigation_state(
            ctx.storage.instigators, location, name, InstigatorType.SCHEDULE, schedule.spec.default_status
        )
    sensor = find_sensor(ctx, location, repository, name)
    if isinstance(sensor, Sensor):
        return instigation_state(
            ctx.storage.instigators, location, name, InstigatorType.SENSOR, sensor.spec.default_status
        )
    return InstigationStateNotFoundError(
        message=f"No schedule or sensor {name!r} in location {location!r}.", name=name
    )


def _split(state_id: str) -> tuple[str, str]:
    location, _, name = state_id.rpartition(":")
    return location, name


def set_schedule_status(
    ctx: RequestContext, location: str, repository: str, name: str, status: InstigatorStatus
) -> ScheduleMutationResult:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    schedule = find_schedule(ctx, location, repository, name)
    if not isinstance(schedule, Schedule):
        return schedule
    store = ctx.storage.instigators
    set_status(store, location, name, InstigatorType.SCHEDULE, status, ctx.storage.clock())
    state = instigation_state(store, location, name, InstigatorType.SCHEDULE, schedule.spec.default_status)
    return ScheduleStateResult(schedule_state=state)


def stop_schedule_by_id(ctx: RequestContext, state_id: str) -> ScheduleMutationResult:
    location, name = _split(state_id)
    return set_schedule_status(ctx, location, REPOSITORY_NAME, name, InstigatorStatus.STOPPED)


def set_sensor_status(
    ctx: RequestContext, location: str, repository: str, name: str, status: InstigatorStatus
) -> SensorOrError:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    sensor = find_sensor(ctx, location, repository, name)
    if isinstance(sensor, Sensor):
        set_status(
            ctx.storage.instigators, location, name, InstigatorType.SENSOR, status, ctx.storage.clock()
        )
    return sensor


def stop_sensor_by_id(ctx: RequestContext, state_id: str) -> StopSensorMutationResultOrError:
    location, name = _split(state_id)
    result = set_sensor_status(ctx, location, REPOSITORY_NAME, name, InstigatorStatus.STOPPED)
    if not isinstance(result, Sensor):
        return result
    state = instigation_state(
        ctx.storage.instigators, location, name, InstigatorType.SENSOR, result.spec.default_status
    )
    return StopSensorMutationResult(instigation_state=state)


def set_sensor_cursor(ctx: RequestContext, selector: SensorSelector, cursor: str | None) -> SensorOrError:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    location, name = selector.repository_location_name, selector.sensor_name
    sensor = find_sensor(ctx, location, selector.repository_name, name)
    if isinstance(sensor, Sensor):
        set_cursor(ctx.storage.instigators, location, name, cursor)
    return sensor
