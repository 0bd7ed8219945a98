"""The schedule and sensor half of ``Instance``: their state and ticks under Dagster's method names,
and the run status changes run status sensors read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from headwater.events.event import EventLogRecord
from headwater.events.event_type import EventType
from headwater.storage.instigators import (
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickStatus,
    selector_id,
    set_cursor,
    set_status,
)
from headwater.storage.protocols import EventStore, Storage
from headwater.storage.records import EventRecordsFilter


class InstigatorMethods:
    """Mixed into ``Instance``. ``location`` names the code location of a schedule or sensor."""

    _storage: Storage
    _events: EventStore
    _clock: Callable[[], float]

    # -- state
    def get_instigator_state(self, location: str, name: str) -> InstigatorState | None:
        return self._storage.instigators.get_instigator_state(selector_id(location, name))

    def all_instigator_state(
        self,
        instigator_type: InstigatorType | None = None,
        instigator_statuses: Iterable[InstigatorStatus] | None = None,
    ) -> Sequence[InstigatorState]:
        return self._storage.instigators.all_instigator_state(instigator_type, instigator_statuses)

    def start_schedule(self, location: str, name: str) -> InstigatorState:
        """Start a schedule: its ticks are due from now on."""
        return set_status(
            self._storage.instigators,
            location,
            name,
            InstigatorType.SCHEDULE,
            InstigatorStatus.RUNNING,
            self._clock(),
        )

    def stop_schedule(self, location: str, name: str) -> InstigatorState:
        return set_status(
            self._storage.instigators,
            location,
            name,
            InstigatorType.SCHEDULE,
            InstigatorStatus.STOPPED,
            self._clock(),
        )

    def reset_schedule(self, location: str, name: str) -> InstigatorState:
        """Forget whether it was started or stopped: its ``default_status`` decides again."""
        return set_status(
            self._storage.instigators,
            location,
            name,
            InstigatorType.SCHEDULE,
            InstigatorStatus.DECLARED_IN_CODE,
            self._clock(),
        )

    def start_sensor(self, location: str, name: str) -> InstigatorState:
        return set_status(
            self._storage.instigators,
            location,
            name,
            InstigatorType.SENSOR,
            InstigatorStatus.RUNNING,
            self._clock(),
        )

    def stop_sensor(self, location: str, name: str) -> InstigatorState:
        return set_status(
            self._storage.instigators,
            location,
            name,
            InstigatorType.SENSOR,
            InstigatorStatus.STOPPED,
            self._clock(),
        )

    def reset_sensor(self, location: str, name: str) -> InstigatorState:
        return set_status(
            self._storage.instigators,
            location,
            name,
            InstigatorType.SENSOR,
            InstigatorStatus.DECLARED_IN_CODE,
            self._clock(),
        )

    def set_sensor_cursor(self, location: str, name: str, cursor: str | None) -> InstigatorState:
        return set_cursor(self._storage.instigators, location, name, cursor)

    # -- ticks
    def get_ticks(
        self,
        location: str,
        name: str,
        before: float | None = None,
        after: float | None = None,
        limit: int | None = None,
        statuses: Iterable[TickStatus] | None = None,
    ) -> Sequence[InstigatorTick]:
        """The ticks of a schedule or sensor, newest first."""
        return self._storage.instigators.get_ticks(
            selector_id(location, name), before, after, limit, statuses
        )

    # -- what run status sensors read
    def fetch_run_status_changes(
        self, event_type: EventType, after_cursor: int | None = None, limit: int | None = None
    ) -> Sequence[EventLogRecord]:
        """Run events of ``event_type`` stored after ``after_cursor`` (a storage id), oldest first."""
        return self._events.get_event_records(
            EventRecordsFilter(event_type=event_type, after_cursor=after_cursor), limit, ascending=True
        )

    def get_latest_run_status_change_id(self, event_type: EventType) -> int | None:
        records = self._events.get_event_records(
            EventRecordsFilter(event_type=event_type), 1, ascending=False
        )
        return records[0].storage_id if records else None
