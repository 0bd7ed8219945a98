"""The leaf conditions: each a set operation on the subject's state and the candidate keys."""

from __future__ import annotations

from collections.abc import Mapping

from headwater.selection.automation.entities import Entity
from headwater.selection.automation.records import AutomationCursor
from headwater.selection.automation.state import AutomationStateSource, EntityState
from headwater.selection.automation.subsets import EMPTY, Subset
from headwater.selection.automation.time_windows import latest_time_window_keys
from headwater.selection.cron import cron_schedule
from headwater.specs.automation_condition import (
    AutomationCondition,
    CronTickPassedCondition,
    ExecutionFailedCondition,
    InitialEvaluationCondition,
    InLatestTimeWindowCondition,
    InProgressCondition,
    MissingCondition,
    NewlyRequestedCondition,
    NewlyUpdatedCondition,
    WillBeRequestedCondition,
)


class LeafEvaluator:
    """Evaluates leaf conditions, reading each entity's state once per tick."""

    def __init__(
        self,
        states: AutomationStateSource,
        cursor: AutomationCursor,
        now: float,
        requested_this_tick: Mapping[str, Subset],
    ) -> None:
        self.source = states
        self.cursor = cursor
        self.now = now
        self.requested_this_tick = requested_this_tick
        self._states: dict[str, EntityState] = {}
        self._latest: dict[tuple[object, float | None], Subset] = {}
        self._cron: dict[tuple[str, str], bool] = {}

    def state(self, entity: Entity) -> EntityState:
        found = self._states.get(entity.id)
        if found is None:
            if entity.check_key is not None:
                found = self.source.check_state(entity.check_key)
            else:
                observable = entity.node is not None and entity.node.is_observable
                found = self.source.asset_state(entity.asset_key, entity.keys, observable)
            self._states[entity.id] = found
        return found

    def evaluate(
        self, condition: AutomationCondition, subject: Entity, initial: bool, candidate: Subset
    ) -> Subset:
        if not candidate:
            return EMPTY
        if isinstance(condition, MissingCondition):
            return candidate - self.state(subject).materialized
        if isinstance(condition, InProgressCondition):
            return candidate & self.state(subject).in_progress
        if isinstance(condition, ExecutionFailedCondition):
            return candidate & self.state(subject).failed
        if isinstance(condition, NewlyUpdatedCondition):
            return candidate & self.state(subject).updated
        if isinstance(condition, NewlyRequestedCondition):
            previous = self.cursor.entities.get(subject.id)
            if previous is None:
                return EMPTY
            return candidate & previous.requested.keys(subject.keys, subject.index)
        if isinstance(condition, WillBeRequestedCondition):
            return candidate & self.requested_this_tick.get(subject.id, EMPTY)
        if isinstance(condition, InitialEvaluationCondition):
            return candidate if initial else EMPTY
        if isinstance(condition, InLatestTimeWindowCondition):
            return candidate & self._latest_window(subject, condition.lookback_seconds)
        if isinstance(condition, CronTickPassedCondition):
            return candidate if self._cron_passed(condition) else EMPTY
        raise ValueError(f"Unknown automation condition {condition.name!r}: {condition!r}.")

    def _latest_window(self, subject: Entity, lookback: float | None) -> Subset:
        cache_key = (subject.spec if subject.spec is not None else subject.id, lookback)
        found = self._latest.get(cache_key)
        if found is None:
            found = latest_time_window_keys(subject.spec, subject.keys, lookback, self.now)
            self._latest[cache_key] = found
        return found

    def _cron_passed(self, condition: CronTickPassedCondition) -> bool:
        """A tick of the schedule in (previous evaluation, now]; false on the first evaluation."""
        cache_key = (condition.cron_schedule, condition.cron_timezone)
        found = self._cron.get(cache_key)
        if found is None:
            previous = self.cursor.timestamp
            if previous is None:
                found = False
            else:
                schedule = cron_schedule(condition.cron_schedule, condition.cron_timezone)
                found = schedule.prev_tick(self.now) >= previous
            self._cron[cache_key] = found
        return found


__all__ = ["LeafEvaluator"]
