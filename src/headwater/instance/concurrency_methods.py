"""The pool half of ``Instance``: instance-wide concurrency limits for op/asset ``pool=``.

``set_concurrency_limit("db", 2)`` lets at most two steps of pool ``db`` run at once across every run
of the instance; executors claim a slot per step (``claim_concurrency_slot``) and free it when the
step ends; the run driver frees whatever a run still holds when it ends, the run monitor does it for
runs whose worker died (``free_concurrency_slots_for_run``). Stored in ``Storage.concurrency``.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.storage.concurrency import PoolInfo
from headwater.storage.protocols import ConcurrencyStore, Storage


class ConcurrencyMethods:
    """Mixed into ``Instance`` (which sets ``_storage``)."""

    _storage: Storage

    @property
    def concurrency_store(self) -> ConcurrencyStore:
        return self._storage.concurrency

    def set_concurrency_limit(self, pool: str, limit: int) -> None:
        """At most ``limit`` steps of ``pool`` run at once in this instance (0 holds them all back)."""
        self.concurrency_store.set_limit(pool, limit)

    def get_concurrency_limit(self, pool: str) -> int | None:
        """``pool``'s limit, ``None`` when it has none (unlimited)."""
        return self.concurrency_store.get_limit(pool)

    def delete_concurrency_limit(self, pool: str) -> bool:
        """Make ``pool`` unlimited again; False when it had no limit."""
        return self.concurrency_store.delete_limit(pool)

    def get_concurrency_keys(self) -> Sequence[str]:
        """The pools with a limit, sorted (Dagster's name)."""
        return self.concurrency_store.get_pools()

    get_pools = get_concurrency_keys

    def get_pool_info(self, pool: str) -> PoolInfo:
        """``pool``'s limit, the steps holding its slots and the steps waiting for one."""
        return self.concurrency_store.get_pool_info(pool)

    get_concurrency_info = get_pool_info

    def claim_concurrency_slot(self, pool: str, run_id: str, step_key: str, priority: int = 0) -> bool:
        """Take a slot of ``pool`` for the step; False (the step is then pending) when it is full."""
        return self.concurrency_store.claim_slot(pool, run_id, step_key, priority)

    def free_concurrency_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        return self.concurrency_store.free_slot(pool, run_id, step_key)

    def free_concurrency_slots_for_run(self, run_id: str) -> int:
        """Free every slot ``run_id`` holds (and forget its pending steps); how many were freed."""
        return self.concurrency_store.free_slots_for_run(run_id)
