"""The sensor loop: at each ``tick(now)``, every running sensor whose ``minimum_interval_seconds`` has
passed since its last tick is evaluated in its code-location server, with its cursor.

Sensors are evaluated side by side (a thread each, up to ``max_workers``), and each evaluation is
bounded by ``evaluation_timeout`` in the server: a slow or hanging sensor fails its own tick with a
``timeout`` error and holds up no other. As for schedules, the evaluation (run requests with their
run ids, the new cursor) is recorded on the tick before anything is acted on; a run request whose
``run_key`` the sensor already launched is dropped (``skipped_run_keys``); dynamic partition requests
are applied; then the runs are launched and the sensor's cursor stored. A tick left STARTED by a
crash is finished on the next pass.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from headwater.daemon.code_locations import CodeLocations, loaded_specs
from headwater.daemon.scheduler_tick import is_running
from headwater.daemon.tick_records import (
    failed_evaluation,
    finished_status,
    is_due,
    joined_error,
    start_tick,
)
from headwater.daemon.tick_runs import Launch, Submit, launch_all, plan_runs
from headwater.errors import HeadwaterError
from headwater.locations.client.errors import LocationError
from headwater.specs.dynamic_partitions_request import AddDynamicPartitionsRequest
from headwater.specs.instigation import EvaluationError, TickEvaluation, TickEvaluationRequest
from headwater.specs.location import SensorSpec
from headwater.storage.instigators import InstigatorState, InstigatorTick, InstigatorType, selector_id
from headwater.storage.protocols import Storage

log = logging.getLogger("headwater.daemon.sensors")

DEFAULT_MINIMUM_INTERVAL_SECONDS = 30


class SensorTick:
    """The sensor loop's tick (the daemon loop protocol: ``name``, ``interval_seconds``, ``tick``)."""

    name = "sensors"

    def __init__(
        self,
        storage: Storage,
        locations: CodeLocations,
        submit: Submit,
        *,
        evaluation_timeout: float = 60.0,
        interval_seconds: float = 5.0,
        max_workers: int = 8,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.storage = storage
        self.locations = locations
        self.submit = submit
        self.evaluation_timeout = evaluation_timeout
        self.interval_seconds = interval_seconds
        self.max_workers = max_workers
        self._clock = clock or storage.clock

    def tick(self, now: float) -> None:
        store = self.storage.instigators
        states = {s.selector_id: s for s in store.all_instigator_state(InstigatorType.SENSOR)}
        candidates: list[tuple[str, SensorSpec, InstigatorState | None]] = []
        for location, spec in loaded_specs(self.locations, log, "Sensors"):
            for sensor in spec.sensors:
                if sensor.sensor_type == "automation":
                    continue  # evaluated by the automation loop (daemon.automation_tick), no user code
                state = states.get(selector_id(location, sensor.name))
                if is_running(state, sensor.default_status):
                    candidates.append((location, sensor, state))
        latest = store.get_latest_ticks(selector_id(loc, s.name) for loc, s, _ in candidates)
        due = []
        for location, sensor, state in candidates:
            last = latest.get(selector_id(location, sensor.name))
            interval = sensor.minimum_interval_seconds
            interval = DEFAULT_MINIMUM_INTERVAL_SECONDS if interval is None else interval
            if is_due(last, interval, now):
                due.append((location, sensor, state, last, now))
        if len(due) <= 1 or self.max_workers <= 1:
            for job in due:
                self._sensor(*job)
            return
        with ThreadPoolExecutor(min(self.max_workers, len(due)), thread_name_prefix="sensors") as pool:
            for future in [pool.submit(self._sensor, *job) for job in due]:
                future.result()

    # -- one sensor -------------------------------------------------------------------------------------
    def _sensor(
        self,
        location: str,
        sensor: SensorSpec,
        state: InstigatorState | None,
        last: InstigatorTick | None,
        now: float,
    ) -> None:
        store = self.storage.instigators
        start = start_tick(store, state, last, location, sensor.name, InstigatorType.SENSOR, now)
        state = start.state
        if start.resume is not None:
            self._act(location, sensor, state, start.resume)  # a tick interrupted by a crash: finish it
            return
        if start.tick is None:
            return  # another daemon took this tick
        tick = start.tick
        evaluation = self._evaluate(location, sensor, state, last, now)
        if evaluation.error is not None:
            store.update_tick(failed_evaluation(tick, evaluation.error, state.cursor, self._clock()))
            return
        planned, skipped = plan_runs(
            self.storage, InstigatorType.SENSOR, location, sensor.name, now, evaluation.run_requests
        )
        cursor = evaluation.cursor if evaluation.cursor_updated else state.cursor
        tick = store.update_tick(  # recorded before acting
            tick.with_evaluation(evaluation, planned).with_data(
                skipped_run_keys=skipped,
                cursor=cursor,
                dynamic_partitions_requests=evaluation.dynamic_partitions_requests,
            )
        )
        self._act(location, sensor, state, tick)

    def _act(self, location: str, sensor: SensorSpec, state: InstigatorState, tick: InstigatorTick) -> None:
        store = self.storage.instigators
        data = tick.tick_data
        events = self.storage.event_store
        for request in data.dynamic_partitions_requests:  # both idempotent: safe to repeat on resume
            if isinstance(request, AddDynamicPartitionsRequest):
                events.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
            else:
                for key in request.partition_keys:
                    events.delete_dynamic_partition(request.partitions_def_name, key)
        launch = Launch(
            location,
            sensor.name,
            tick.timestamp,
            sensor.job_names[0] if sensor.job_names else None,
            sensor.asset_selection,
            data.planned,
        )
        (outcome,) = launch_all(self.storage, self.locations, self.submit, InstigatorType.SENSOR, [launch])
        run_keys = tuple(p.request.run_key for p in data.planned if p.request.run_key)
        current = store.get_instigator_state(state.selector_id) or state  # started/stopped meanwhile?
        store.set_instigator_state(
            current.replace(
                cursor=data.cursor,
                last_tick_timestamp=tick.timestamp,
                last_run_key=run_keys[-1] if run_keys else current.last_run_key,
            )
        )
        status = finished_status(outcome.errors, outcome.run_ids)
        error = outcome.errors[0] if len(outcome.errors) == 1 else joined_error(outcome.errors)
        store.update_tick(
            tick.with_data(
                status=status,
                run_ids=tuple(outcome.run_ids),
                run_keys=run_keys,
                error=error if error is not None else data.error,
                end_timestamp=self._clock(),
            )
        )

    def _evaluate(
        self,
        location: str,
        sensor: SensorSpec,
        state: InstigatorState,
        last: InstigatorTick | None,
        now: float,
    ) -> TickEvaluation:
        request = TickEvaluationRequest(
            "sensor",
            sensor.name,
            cursor=state.cursor,
            last_tick_completion_time=last.end_timestamp if last is not None else None,
            last_run_key=state.last_run_key,
            last_sensor_start_time=state.start_timestamp,
            timeout=self.evaluation_timeout,
        )
        try:
            return self.locations.evaluate(location, [request])[0]
        except (LocationError, HeadwaterError) as exc:
            return TickEvaluation(
                error=EvaluationError(
                    f"Could not evaluate sensor {sensor.name!r}: {exc}", None, "location_error"
                )
            )


__all__ = ["DEFAULT_MINIMUM_INTERVAL_SECONDS", "SensorTick"]
