"""In-memory storage: dicts and lists behind a lock; for tests and ephemeral instances."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from headwater.events.event import EventLogEntry
from headwater.storage.memory.events import MemoryEventStore
from headwater.storage.memory.retention import prune
from headwater.storage.memory.runs import MemoryRunStore
from headwater.storage.retention import PruneResult, StorageInfo
from headwater.storage.runs import RUN_EVENT_TO_STATUS, Run, status_after_event

__all__ = ["MemoryEventStore", "MemoryRunStore", "MemoryStorage"]


class MemoryStorage:
    """A ``Storage`` whose run and event stores live in this process's memory."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._run_store = MemoryRunStore(clock)
        self._event_store = MemoryEventStore(clock)

    @property
    def run_store(self) -> MemoryRunStore:
        return self._run_store

    @property
    def event_store(self) -> MemoryEventStore:
        return self._event_store

    def handle_new_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        """Store ``entries`` and apply run status changes atomically: every status change is
        checked before anything is written, under both stores' locks."""
        changes = [
            (entry, event)
            for entry in entries
            if (event := entry.dagster_event) is not None and event.event_type in RUN_EVENT_TO_STATUS
        ]
        runs, events = self._run_store, self._event_store
        with runs._lock, events._lock:
            pending: dict[str, Run] = {}
            for entry, event in changes:
                run = pending.get(entry.run_id)
                if run is None:
                    run = runs._require(entry.run_id).dagster_run
                pending[entry.run_id] = run.with_status(status_after_event(run, event.event_type))
            ids = events.store_events(entries)
            for entry, event in changes:
                runs.handle_run_event(entry.run_id, event, entry.timestamp)
        return ids

    def prune(self, before: float, *, dry_run: bool = False) -> PruneResult:
        return prune(self._run_store, self._event_store, before, dry_run=dry_run)

    def info(self) -> StorageInfo:
        runs = self._run_store.get_runs_count()
        events = len(self._event_store._records)
        return StorageInfo("memory", "memory", None, runs, events)

    def dispose(self) -> None:
        self._run_store.dispose()
        self._event_store.dispose()

    def __repr__(self) -> str:
        return "MemoryStorage()"
