"""In-memory storage: dicts and lists behind a lock; for tests and ephemeral instances."""

from __future__ import annotations

import time
from collections.abc import Callable

from headwater.storage.memory.events import MemoryEventStore
from headwater.storage.memory.runs import MemoryRunStore

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

    def dispose(self) -> None:
        self._run_store.dispose()
        self._event_store.dispose()

    def __repr__(self) -> str:
        return "MemoryStorage()"
