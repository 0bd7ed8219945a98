"""Run-worker heartbeats: one row per running run worker, written every few seconds.

The run monitor (``runs.monitor``) reads them to find workers that died without finishing their run.
Kept apart from ``RunStore``: the SQL store keeps them in the ``kv`` table (no schema change), the
memory store in a dict. ``run_worker_store(storage)`` returns the store that goes with a ``Storage``.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class WorkerHeartbeat:
    run_id: str
    pid: int
    hostname: str
    timestamp: float


class RunWorkerStore(Protocol):
    def heartbeat(self, beat: WorkerHeartbeat) -> None:
        """Record (replace) the latest heartbeat of ``beat.run_id``'s worker."""
        ...

    def get_heartbeats(self, run_ids: Iterable[str]) -> Mapping[str, WorkerHeartbeat]:
        """The latest heartbeat of each of ``run_ids`` that has one."""
        ...

    def clear(self, run_id: str) -> None:
        """Forget ``run_id``'s heartbeat (its worker has finished)."""
        ...


class MemoryRunWorkerStore:
    """Heartbeats in this process's memory (ephemeral instances)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._beats: dict[str, WorkerHeartbeat] = {}

    def heartbeat(self, beat: WorkerHeartbeat) -> None:
        with self._lock:
            self._beats[beat.run_id] = beat

    def get_heartbeats(self, run_ids: Iterable[str]) -> Mapping[str, WorkerHeartbeat]:
        with self._lock:
            return {r: self._beats[r] for r in run_ids if r in self._beats}

    def clear(self, run_id: str) -> None:
        with self._lock:
            self._beats.pop(run_id, None)


_stores: weakref.WeakKeyDictionary[Any, RunWorkerStore] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def run_worker_store(storage: Any) -> RunWorkerStore:
    """The heartbeat store of ``storage`` (a ``Storage``): SQL when it is a ``SqlStorage``, else memory.
    One store per storage object."""
    with _stores_lock:
        store = _stores.get(storage)
        if store is None:
            database = getattr(storage, "database", None)
            if database is not None:
                from headwater.storage.sql.run_worker_store import SqlRunWorkerStore

                store = SqlRunWorkerStore(database)
            else:
                store = MemoryRunWorkerStore()
            _stores[storage] = store
        return store
