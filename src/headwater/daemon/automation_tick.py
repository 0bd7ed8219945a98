"""The automation loop: at each ``tick(now)``, every running automation sensor whose interval has
passed evaluates the automation conditions of its assets and checks, stores every evaluation (the
result tree: why each was or was not requested), and launches what they request.

The sensors are a location's ``AutomationConditionSensorDefinition``s, plus
``default_automation_condition_sensor`` for the assets with a condition that none of them targets
(RUNNING by default). Nothing here imports user code: the conditions are in the asset specs, the
state comes from the asset and partition status indexes (``storage.automation_state``).

As for sensors, a tick is recorded before it acts: the evaluations are stored, then the tick with its
planned runs (ids derived from the tick) and the new cursor, then the runs are launched (or the one
backfill created, its id derived from the sensor and evaluation id), then the cursor is kept as the
sensor's. A tick left STARTED by a crash after it was recorded is finished on the next pass without
evaluating again; one left before is marked failed and the sensor evaluates afresh from its old cursor.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
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
from headwater.locations.client.client import RunRequestReply, run_request_body
from headwater.locations.client.errors import LocationError
from headwater.runs.backfills import create_backfill
from headwater.selection.automation.evaluator import evaluate_conditions
from headwater.selection.automation.records import AutomationCursor, EntityEvaluation
from headwater.selection.automation.requests import (
    automation_tags,
    check_run_request,
    needs_backfill,
    run_requests,
)
from headwater.selection.automation.sensors import DEFAULT_INTERVAL_SECONDS
from headwater.selection.automation.sensors import automation_sensors as select_automation_sensors
from headwater.selection.backfill_plan import build_backfill_plan
from headwater.selection.partition_keys import partition_keys_for
from headwater.specs.asset_graph import AssetGraph
from headwater.specs.instigation import EvaluationError
from headwater.specs.job import JobSpec
from headwater.specs.location import LocationSpec, SensorSpec
from headwater.specs.partitions import PartitionsSpec
from headwater.storage.automation_state import StatusCache, StoredAutomationState
from headwater.storage.instigators import InstigatorState, InstigatorTick, InstigatorType, selector_id
from headwater.storage.protocols import Storage
from headwater.storage.runs import SENSOR_NAME_TAG

log = logging.getLogger("headwater.daemon.automation")

_NAMESPACE = uuid.UUID("0b7f5a52-3c49-4b8e-9a0e-6175746f6d61")


def automation_sensors(spec: LocationSpec) -> list[SensorSpec]:
    """The location's automation sensors, the default one included (a spec built before it was
    added to specs gets it here)."""
    return select_automation_sensors(spec.sensors, spec.assets, spec.asset_checks)


def _targets(graph: AssetGraph, sensor: SensorSpec) -> set[AssetKey | AssetCheckKey]:
    assets: set[AssetKey] = set(sensor.asset_selection or ())
    checks = {c for c in graph.checks if c.asset_key in assets}
    return {*assets, *checks}


class AutomationTick:
    """The automation loop's tick (the daemon loop protocol: ``name``, ``interval_seconds``, ``tick``)."""

    name = "automation"

    def __init__(
        self,
        storage: Storage,
        locations: CodeLocations,
        submit: Submit,
        *,
        interval_seconds: float = 5.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.storage = storage
        self.locations = locations
        self.submit = submit
        self.interval_seconds = interval_seconds
        self._clock = clock or storage.clock
        self._statuses: StatusCache = {}  # partition statuses read on earlier ticks (see StatusCache)

    def tick(self, now: float) -> None:
        store = self.storage.instigators
        states = {s.selector_id: s for s in store.all_instigator_state(InstigatorType.SENSOR)}
        for location, spec in loaded_specs(self.locations, log, "Automation"):
            due = []
            for sensor in automation_sensors(spec):
                state = states.get(selector_id(location, sensor.name))
                if is_running(state, sensor.default_status):
                    due.append((sensor, state))
            latest = store.get_latest_ticks(selector_id(location, s.name) for s, _ in due)
            for sensor, state in due:
                last = latest.get(selector_id(location, sensor.name))
                interval = sensor.minimum_interval_seconds
                interval = DEFAULT_INTERVAL_SECONDS if interval is None else interval
                if is_due(last, interval, now):
                    self._sensor(location, spec, sensor, state, last, now)

    # -- one sensor -------------------------------------------------------------------------------------
    def _sensor(
        self,
        location: str,
        spec: LocationSpec,
        sensor: SensorSpec,
        state: InstigatorState | None,
        last: InstigatorTick | None,
        now: float,
    ) -> None:
        store = self.storage.instigators
        start = start_tick(store, state, last, location, sensor.name, InstigatorType.SENSOR, now)
        state = start.state
        if start.resume is not None:
            self._act(location, spec, sensor, state, start.resume)  # interrupted after it was recorded
            return
        if start.tick is None:
            return  # another daemon took this tick
        tick = start.tick
        events = self.storage.event_store
        try:
            cursor = AutomationCursor.from_string(state.cursor)
            storage_id = events.get_maximum_record_id() or 0
            source = StoredAutomationState(
                events, self.storage.run_store, cursor.storage_id, storage_id, self._statuses
            )
            graph = spec.asset_graph
            outcome = evaluate_conditions(
                graph,
                source,
                cursor,
                now,
                storage_id=storage_id,
                dynamic=events,
                targets=_targets(graph, sensor),
            )
        except (HeadwaterError, ValueError) as exc:
            error = EvaluationError(f"Automation sensor {sensor.name!r}: {exc}", None, "evaluation")
            store.update_tick(failed_evaluation(tick, error, state.cursor, self._clock()))
            return
        selector = selector_id(location, sensor.name)
        # Stored when they changed or requested something: a steady state writes no rows.
        stored = [e for e in outcome.evaluations if e.changed or e.requested.count]
        self.storage.automation.add_evaluations(selector, stored)
        requests = []
        if outcome.requested_assets and not needs_backfill(outcome.requested_assets):
            requests = run_requests(graph, outcome.requested_assets, outcome.evaluation_id)
        # A check whose asset is requested runs with it (the asset's run includes its checks); the
        # checks requested without their asset run together, in one checks-only run.
        alone = tuple(k for k in outcome.requested_checks if k.asset_key not in outcome.requested_assets)
        if alone:
            requests.append(check_run_request(alone, outcome.evaluation_id))
        planned, _ = plan_runs(self.storage, InstigatorType.SENSOR, location, sensor.name, now, requests)
        log_lines = [f"evaluation {outcome.evaluation_id}: {outcome.total_requested} requested"]
        tick = store.update_tick(  # recorded before acting
            tick.with_data(
                evaluated=True,
                planned=tuple(planned),
                cursor=outcome.cursor.to_string(),
                log=tuple(log_lines),
            )
        )
        self._act(location, spec, sensor, state, tick)

    def _act(
        self,
        location: str,
        spec: LocationSpec,
        sensor: SensorSpec,
        state: InstigatorState,
        tick: InstigatorTick,
    ) -> None:
        store = self.storage.instigators
        data = tick.tick_data
        evaluation_id = AutomationCursor.from_string(data.cursor).evaluation_id
        selector = selector_id(location, sensor.name)
        errors: list[EvaluationError] = []
        run_ids: list[str] = []
        launched: dict[str, list[str]] = {}
        if data.planned:
            launch = Launch(location, sensor.name, tick.timestamp, None, None, data.planned)
            (outcome,) = launch_all(
                self.storage, self.locations, self.submit, InstigatorType.SENSOR, [launch]
            )
            run_ids, errors = outcome.run_ids, outcome.errors
            for plan in data.planned:
                if plan.run_id in run_ids:
                    for key in plan.request.asset_selection or ():
                        launched.setdefault(key.to_user_string(), []).append(plan.run_id)
                    for check in plan.request.asset_check_keys or ():
                        launched.setdefault(check.to_user_string(), []).append(plan.run_id)
        if not any(plan.request.asset_selection for plan in data.planned):
            # no asset runs planned: the requested assets, if any, need more than one partition each
            evaluations = self.storage.automation.get_tick_evaluations(selector, evaluation_id)
            requested: dict[AssetKey, list[str] | None] = {}
            for record in evaluations:
                e = record.evaluation
                if e.is_check or not e.requested.count:
                    continue
                key = AssetKey.from_user_string(e.entity_key)
                if not e.partitioned:
                    requested[key] = None
                else:
                    partitions = spec.asset_graph.get(key).partitions
                    requested[key] = _keys_of(partitions, e, self.storage, tick.timestamp)
            if requested:
                try:
                    backfill_id = self._backfill(location, spec, sensor, evaluation_id, requested)
                    run_ids = [*run_ids, backfill_id]
                    launched.update({k.to_user_string(): [backfill_id] for k in requested})
                except (HeadwaterError, LocationError) as exc:
                    errors.append(EvaluationError(f"{sensor.name}: could not create the backfill: {exc}"))
        self.storage.automation.set_run_ids(selector, evaluation_id, launched)
        current = store.get_instigator_state(state.selector_id) or state
        store.set_instigator_state(current.replace(cursor=data.cursor, last_tick_timestamp=tick.timestamp))
        status = finished_status(errors, run_ids)
        error = joined_error(errors)
        store.update_tick(
            tick.with_data(status=status, run_ids=tuple(run_ids), error=error, end_timestamp=self._clock())
        )

    def _backfill(
        self,
        location: str,
        spec: LocationSpec,
        sensor: SensorSpec,
        evaluation_id: int,
        requested: dict[AssetKey, list[str] | None],
    ) -> str:
        """The backfill of everything ``requested`` (created once: its id derives from the evaluation)."""
        backfill_id = str(uuid.uuid5(_NAMESPACE, f"{location}\x00{sensor.name}\x00{evaluation_id}"))[:8]
        if self.storage.backfills.get_backfill(backfill_id) is not None:
            return backfill_id
        pointers: list[dict[str, str]] = []

        def job_spec_for(group: tuple[AssetKey, ...]) -> JobSpec:
            body = run_request_body(asset_selection=list(group))
            (reply,) = self.locations.run_requests(location, [body])
            if not isinstance(reply, RunRequestReply):
                raise reply
            pointers.append({k: str(v) for k, v in reply.code_pointer.items()})
            return reply.job

        targets = {k: (tuple(v) if v is not None else None) for k, v in requested.items()}
        events = self.storage.event_store
        plan = build_backfill_plan(spec.asset_graph, targets, job_spec_for, {}, dynamic=events)
        plan = type(plan)(pointers[0] if pointers else {}, plan.groups, plan.requests)
        tags = {**automation_tags(evaluation_id), SENSOR_NAME_TAG: sensor.name}
        create_backfill(
            self.storage,
            plan,
            partitions=f"requested by automation sensor {sensor.name!r} (evaluation {evaluation_id})",
            tags=tags,
            title=f"Automation: {sensor.name} #{evaluation_id}",
            backfill_id=backfill_id,
        )
        return backfill_id


def _keys_of(
    spec: PartitionsSpec | None, evaluation: EntityEvaluation, storage: Storage, now: float
) -> list[str]:
    """The partition keys an evaluation requested, in the partitions' order."""
    if spec is None:
        return []
    keys = partition_keys_for(spec).keys(now, storage.event_store)
    chosen = evaluation.requested.keys(keys, {k: i for i, k in enumerate(keys)})
    return [str(k) for k in keys if k in chosen]  # plain strings (a multi-partition key is a subclass)


__all__ = ["AutomationTick", "automation_sensors"]
