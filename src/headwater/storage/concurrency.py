"""Instance-wide concurrency pools: a limit per pool, and the slots steps claim in it.

A step of an op/asset with ``pool="db"`` claims a slot of pool ``db`` before it runs and frees it when
it ends; while ``limit`` slots are claimed, further claims fail and the step is recorded as pending
(it asks again later). A pool with no limit set is unlimited: claims succeed and record nothing.

Claims are atomic across processes: the SQL store locks the pool's limit row (``SELECT ... FOR
UPDATE``; SQLite's ``BEGIN IMMEDIATE`` serializes writers) before counting claimed slots; the memory
store holds a lock. ``concurrency_store(storage)`` returns the store that goes with a ``Storage`` (SQL
when it is a ``SqlStorage``, else memory), like ``run_worker_store``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from headwater.storage.errors import StorageConfigError


@dataclass(frozen=True, slots=True)
class ClaimedSlot:
    run_id: str
    step_key: str
    timestamp: float


@dataclass(frozen=True, slots=True)
class PendingStep:
    run_id: str
    step_key: str
    priority: int
    timestamp: float


@dataclass(frozen=True, slots=True)
class PoolInfo:
    """A pool's limit (``None``: no limit set) and the steps holding and waiting for its slots."""

    pool: str
    limit: int | None
    claimed: tuple[ClaimedSlot, ...]
    pending: tuple[PendingStep, ...]

    @property
    def claimed_count(self) -> int:
        return len(self.claimed)

    @property
    def pending_count(self) -> int:
        return len(self.pending)

    @property
    def run_ids(self) -> frozenset[str]:
        return frozenset(s.run_id for s in self.claimed)


class ConcurrencyStore(Protocol):
    def set_limit(self, pool: str, limit: int) -> None:
        """Set (replace) ``pool``'s limit; claims already held are kept."""
        ...

    def get_limit(self, pool: str) -> int | None: ...

    def delete_limit(self, pool: str) -> bool:
        """Remove ``pool``'s limit (it becomes unlimited; its claims and pending steps are dropped).
        False when it had none."""
        ...

    def get_pools(self) -> Sequence[str]:
        """The pools with a limit, sorted."""
        ...

    def get_pool_info(self, pool: str) -> PoolInfo: ...

    def claim_slot(self, pool: str, run_id: str, step_key: str, priority: int = 0) -> bool:
        """Claim a slot of ``pool`` for the step; False (and the step recorded as pending) when the pool
        is full. Claiming a slot the step already holds succeeds."""
        ...

    def free_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        """Free the step's slot (and its pending entry); False when it held none."""
        ...

    def free_slots_for_run(self, run_id: str) -> int:
        """Free every slot (and pending entry) of ``run_id``; how many slots were freed."""
        ...


def check_limit(pool: str, limit: int) -> None:
    if not isinstance(pool, str) or not pool:
        raise StorageConfigError(f"A pool name must be a non-empty string; got {pool!r}.")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise StorageConfigError(
            f"The limit of pool {pool!r} must be an integer >= 0 (0 blocks its steps); got {limit!r}. "
            "To make a pool unlimited, delete its limit."
        )


class MemoryConcurrencyStore:
    """Pools in this process's memory (ephemeral instances)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._limits: dict[str, int] = {}
        self._claimed: dict[str, dict[tuple[str, str], float]] = {}
        self._pending: dict[str, dict[tuple[str, str], tuple[int, float]]] = {}

    def set_limit(self, pool: str, limit: int) -> None:
        check_limit(pool, limit)
        with self._lock:
            self._limits[pool] = limit

    def get_limit(self, pool: str) -> int | None:
        with self._lock:
            return self._limits.get(pool)

    def delete_limit(self, pool: str) -> bool:
        with self._lock:
            self._claimed.pop(pool, None)
            self._pending.pop(pool, None)
            return self._limits.pop(pool, None) is not None

    def get_pools(self) -> Sequence[str]:
        with self._lock:
            return sorted(self._limits)

    def get_pool_info(self, pool: str) -> PoolInfo:
        with self._lock:
            claimed = sorted(self._claimed.get(pool, {}).items(), key=lambda kv: (kv[1], kv[0]))
            pending = sorted(self._pending.get(pool, {}).items(), key=lambda kv: (-kv[1][0], kv[1][1]))
            return PoolInfo(
                pool,
                self._limits.get(pool),
                tuple(ClaimedSlot(r, s, ts) for (r, s), ts in claimed),
                tuple(PendingStep(r, s, p, ts) for (r, s), (p, ts) in pending),
            )

    def claim_slot(self, pool: str, run_id: str, step_key: str, priority: int = 0) -> bool:
        key = (run_id, step_key)
        with self._lock:
            limit = self._limits.get(pool)
            if limit is None:
                return True
            claimed = self._claimed.setdefault(pool, {})
            pending = self._pending.setdefault(pool, {})
            if key in claimed:
                return True
            if len(claimed) < limit:
                claimed[key] = self._clock()
                pending.pop(key, None)
                return True
            pending.setdefault(key, (priority, self._clock()))
            return False

    def free_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        key = (run_id, step_key)
        with self._lock:
            self._pending.get(pool, {}).pop(key, None)
            return self._claimed.get(pool, {}).pop(key, None) is not None

    def free_slots_for_run(self, run_id: str) -> int:
        freed = 0
        with self._lock:
            for claims in self._claimed.values():
                for key in [k for k in claims if k[0] == run_id]:
                    del claims[key]
                    freed += 1
            for waiting in self._pending.values():
                for key in [k for k in waiting if k[0] == run_id]:
                    del waiting[key]
        return freed


_stores: weakref.WeakKeyDictionary[Any, ConcurrencyStore] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def concurrency_store(storage: Any) -> ConcurrencyStore:
    """The pool store of ``storage`` (a ``Storage``): SQL when it is a ``SqlStorage``, else memory.
    One store per storage object."""
    with _stores_lock:
        store = _stores.get(storage)
        if store is None:
            database = getattr(storage, "database", None)
            if database is not None:
                from headwater.storage.sql.concurrency_store import SqlConcurrencyStore

                store = SqlConcurrencyStore(database)
            else:
                store = MemoryConcurrencyStore()
            _stores[storage] = store
        return store
