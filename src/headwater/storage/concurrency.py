"""Instance-wide concurrency pools: a limit per pool, and the slots steps claim in it.

A step of an op/asset with ``pool="db"`` claims a slot of pool ``db`` before it runs and frees it when
it ends; while ``limit`` slots are claimed, further claims fail and the step is recorded as pending
(it asks again later). A pool with no limit set is unlimited: claims succeed and record nothing.

Claims are atomic across processes: the SQL store locks the pool's limit row (``SELECT ... FOR
UPDATE``; SQLite's ``BEGIN IMMEDIATE`` serializes writers) before counting claimed slots. The store is
``Storage.concurrency`` (protocol ``ConcurrencyStore`` in ``storage.protocols``, SQL implementation in
``storage.sql.concurrency_store``); this module holds its records.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def check_limit(pool: str, limit: int) -> None:
    if not isinstance(pool, str) or not pool:
        raise StorageConfigError(f"A pool name must be a non-empty string; got {pool!r}.")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise StorageConfigError(
            f"The limit of pool {pool!r} must be an integer >= 0 (0 blocks its steps); got {limit!r}. "
            "To make a pool unlimited, delete its limit."
        )
