"""The scheduler: at each ``tick(now)``, every running schedule's due ticks are evaluated once.

* **Due ticks** are computed from the spec alone (``selection.cron``: DST-correct, in the schedule's
  time zone): the cron ticks after the schedule's last tick (or after it was started) up to ``now``.
  After downtime only the latest ``max_catchup_ticks`` are evaluated (Dagster's ``max_catchup_runs``);
  the older ones are logged as skipped.
* **Once**: a tick is a row stamped with its scheduled time, unique per schedule
  (``InstigatorStore.create_tick``); a second daemon, or a second pass, finds it and moves on.
* **Recorded before acting**: the evaluation (run requests with the run ids they will get) is stored on
  the tick before any run is created; the tick becomes SUCCESS / SKIPPED / FAILURE once they are
  launched. A tick left STARTED by a crash is resumed on the next pass, and its runs, whose ids derive
  from the tick, are found rather than launched twice.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from headwater.daemon.code_locations import CodeLocations, loaded_specs
from headwater.daemon.tick_records import declared_state, finished_status
from headwater.daemon.tick_runs import CHUNK, Launch, Submit, launch_all, plan_runs
from headwater.errors import HeadwaterError
from headwater.locations.client.errors import LocationError
from headwater.selection.cron import cron_schedule
from headwater.specs.instigation import EvaluationError, TickEvaluation, TickEvaluationRequest
from headwater.specs.location import ScheduleSpec
from headwater.storage.instigators import (
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickData,
    TickStatus,
    selector_id,
)
from headwater.storage.protocols import Storage

log = logging.getLogger("headwater.daemon.scheduler")

DEFAULT_MAX_CATCHUP_TICKS = 5


def is_running(state: InstigatorState | None, default_status: str | None) -> bool:
    """Started by someone, or declared RUNNING in code and not stopped since."""
    if state is not None and state.status is not InstigatorStatus.DECLARED_IN_CODE:
        return state.status is InstigatorStatus.RUNNING
    return default_status == "RUNNING"


def due_ticks(schedule: ScheduleSpec, after: float, now: float, limit: int) -> tuple[list[float], int]:
    """The latest ``limit`` ticks in ``(after, now]`` (oldest first), and how many older ones were dropped."""
    streams: list[Iterator[float]] = [
        cron_schedule(cron, schedule.timezone).ticks_back_from(now) for cron in schedule.cron_schedules
    ]
    found: list[float] = []
    dropped = 0
    for tick in heapq.merge(*streams, reverse=True):
        if tick <= after:
            break
        if found and found[-1] == tick:
            continue
        if len(found) < limit:
            found.append(tick)
        else:
            dropped += 1
            if dropped >= 10_000:  # enough to report; do not walk years of minutes
                break
    found.reverse()
    return found, dropped


class SchedulerTick:
    """The scheduler loop's tick (the daemon loop protocol: ``name``, ``interval_seconds``, ``tick``)."""

    name = "scheduler"

    def __init__(
        self,
        storage: Storage,
        locations: CodeLocations,
        submit: Submit,
        *,
        max_catchup_ticks: int = DEFAULT_MAX_CATCHUP_TICKS,
        evaluation_timeout: float = 60.0,
        interval_seconds: float = 15.0,
        max_workers: int = 8,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if max_catchup_ticks < 1:
            raise ValueError("max_catchup_ticks must be at least 1.")
        self.storage = storage
        self.locations = locations
        self.submit = submit
        self.max_catchup_ticks = max_catchup_ticks
        self.evaluation_timeout = evaluation_timeout
        self.interval_seconds = interval_seconds
        self.max_workers = max_workers
        self._clock = clock or storage.clock

    def tick(self, now: float) -> None:
        """Evaluate every due tick of every running schedule, in phases that each touch storage once
        for all schedules: create the ticks; evaluate them (side by side, in the code servers); record
        the evaluations; launch the runs; record the outcomes."""
        store = self.storage.instigators
        states = {s.selector_id: s for s in store.all_instigator_state(InstigatorType.SCHEDULE)}
        work: list[tuple[str, ScheduleSpec, InstigatorState | None]] = []
        for location, spec in loaded_specs(self.locations, log, "Scheduler"):
            for schedule in spec.schedules:
                state = states.get(selector_id(location, schedule.name))
                if is_running(state, schedule.default_status):
                    work.append((location, schedule, state))
        if not work:
            return
        latest = store.get_latest_ticks(selector_id(loc, s.name) for loc, s, _ in work)
        specs = {selector_id(loc, s.name): (loc, s) for loc, s, _ in work}
        pending: list[InstigatorTick] = []  # ticks to evaluate or finish
        new: list[TickData] = []
        for location, schedule, state in work:
            sid = selector_id(location, schedule.name)
            # declared RUNNING in code, first seen now: its ticks are due from now on
            state = declared_state(store, state, location, schedule.name, InstigatorType.SCHEDULE, now)
            last = latest.get(sid)
            if last is not None and last.status is TickStatus.STARTED:
                pending.append(last)  # a tick interrupted by a crash: finish it first
            after = max(
                last.timestamp if last is not None else float("-inf"),
                state.start_timestamp if state.start_timestamp is not None else now,
            )
            ticks, dropped = due_ticks(schedule, after, now, self.max_catchup_ticks)
            if dropped:
                log.warning(
                    "Schedule %r in %r missed %s%d tick(s) while the scheduler was not running; evaluating "
                    "only the latest %d (max_catchup_ticks).",
                    schedule.name, location, "at least " if dropped >= 10_000 else "", dropped, len(ticks),
                )  # fmt: skip
            new.extend(
                TickData(location, schedule.name, InstigatorType.SCHEDULE, TickStatus.STARTED, t)
                for t in ticks
            )
        for data, made in zip(new, store.create_ticks(new), strict=True):
            if made is None:  # stored already: evaluated (by us earlier, or another daemon) or in progress
                found = store.get_tick(data.selector_id, data.timestamp)
                if found is None or found.status is not TickStatus.STARTED or found in pending:
                    continue
                made = found
            pending.append(made)
        if not pending:
            return
        with ThreadPoolExecutor(max(1, self.max_workers), thread_name_prefix="scheduler") as pool:
            self._evaluate_and_launch(pending, specs, pool)

    def _evaluate_and_launch(
        self,
        pending: list[InstigatorTick],
        specs: dict[str, tuple[str, ScheduleSpec]],
        pool: ThreadPoolExecutor,
    ) -> None:
        store = self.storage.instigators
        fresh = [t for t in pending if not t.tick_data.evaluated]
        chunks: list[list[InstigatorTick]] = []
        by_location: dict[str, list[InstigatorTick]] = {}
        for tick in fresh:
            by_location.setdefault(tick.tick_data.location, []).append(tick)
        for ticks in by_location.values():
            chunks.extend(ticks[i : i + CHUNK] for i in range(0, len(ticks), CHUNK))
        answers = pool.map(self._evaluate, chunks) if self.max_workers > 1 else map(self._evaluate, chunks)
        evaluated = {
            t.tick_id: e
            for chunk, found in zip(chunks, answers, strict=True)
            for t, e in zip(chunk, found, strict=True)
        }
        evaluations = [evaluated[t.tick_id] for t in fresh]
        recorded: dict[int, InstigatorTick] = {}
        for tick, evaluation in zip(fresh, evaluations, strict=True):
            if evaluation.error is not None:
                recorded[tick.tick_id] = tick.with_data(
                    status=TickStatus.FAILURE,
                    evaluated=True,
                    error=evaluation.error,
                    end_timestamp=self._clock(),
                )
                continue
            data = tick.tick_data
            planned, _ = plan_runs(
                self.storage,
                InstigatorType.SCHEDULE,
                data.location,
                data.name,
                tick.timestamp,
                evaluation.run_requests,
            )
            recorded[tick.tick_id] = tick.with_evaluation(evaluation, planned)
        store.update_ticks(list(recorded.values()))  # recorded before acting
        to_launch = [
            recorded.get(t.tick_id, t)
            for t in pending
            if recorded.get(t.tick_id, t).status is TickStatus.STARTED
        ]
        launches = [
            Launch(
                t.tick_data.location,
                t.tick_data.name,
                t.timestamp,
                specs[t.tick_data.selector_id][1].job_name,
                specs[t.tick_data.selector_id][1].asset_selection,
                t.tick_data.planned,
            )
            for t in to_launch
        ]
        outcomes = launch_all(
            self.storage, self.locations, self.submit, InstigatorType.SCHEDULE, launches,
            pool if self.max_workers > 1 else None,
        )  # fmt: skip
        finished = []
        for tick, outcome in zip(to_launch, outcomes, strict=True):
            data = tick.tick_data
            status = finished_status(outcome.errors, outcome.run_ids)
            error = _combined(outcome.errors)
            finished.append(
                tick.with_data(
                    status=status,
                    run_ids=tuple(outcome.run_ids),
                    run_keys=tuple(p.request.run_key for p in data.planned if p.request.run_key),
                    error=error if error is not None else data.error,
                    end_timestamp=self._clock(),
                )
            )
        store.update_ticks(finished)

    def _evaluate(self, ticks: list[InstigatorTick]) -> list[TickEvaluation]:
        """Evaluate ticks of one location in one round trip to its code server."""
        location = ticks[0].tick_data.location
        requests = [
            TickEvaluationRequest(
                "schedule",
                t.tick_data.name,
                scheduled_execution_time=t.timestamp,
                timeout=self.evaluation_timeout,
            )
            for t in ticks
        ]
        try:
            return self.locations.evaluate(location, requests)
        except (LocationError, HeadwaterError) as exc:
            error = EvaluationError(
                f"Could not evaluate schedules of {location!r}: {exc}", None, "location_error"
            )
            return [TickEvaluation(error=error) for _ in ticks]


def _combined(errors: list[EvaluationError]) -> EvaluationError | None:
    if not errors:
        return None
    if len(errors) == 1:
        return errors[0]
    return EvaluationError(
        "\n".join(e.message for e in errors),
        "\n".join(e.traceback for e in errors if e.traceback) or None,
        errors[0].kind,
    )


__all__ = ["DEFAULT_MAX_CATCHUP_TICKS", "SchedulerTick", "due_ticks", "is_running"]
