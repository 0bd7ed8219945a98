"""Instance-wide pools in SQL: ``concurrency_limits`` (one row per pool), ``concurrency_slots`` (one row
per claimed slot) and ``pending_steps`` (steps waiting for a slot).

A claim runs in one write transaction that first locks the pool's limit row (``SELECT ... FOR UPDATE``
on PostgreSQL and MySQL; on SQLite the write transaction is ``BEGIN IMMEDIATE``, which serializes
writers), then counts the claimed slots with a locking read and inserts a slot row only while the
count is below the limit: two processes cannot both take the last slot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa

from headwater.storage.concurrency import ClaimedSlot, PendingStep, PoolInfo, check_limit
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import concurrency_limits as limits
from headwater.storage.sql.schema import concurrency_slots as slots
from headwater.storage.sql.schema import pending_steps as pending


class SqlConcurrencyStore:
    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock

    def set_limit(self, pool: str, limit: int) -> None:
        check_limit(pool, limit)
        now = self._clock()

        def write(conn: sa.Connection) -> None:
            updated = conn.execute(
                sa.update(limits)
                .where(limits.c.concurrency_key == pool)
                .values(limit=limit, using_default=False, update_timestamp=now)
            ).rowcount
            if not updated:
                conn.execute(
                    sa.insert(limits).values(
                        concurrency_key=pool, limit=limit, using_default=False, update_timestamp=now
                    )
                )

        try:
            self._db.run_write(write)
        except sa.exc.IntegrityError:  # another process inserted the row first: update it
            self._db.run_write(write)

    def get_limit(self, pool: str) -> int | None:
        with self._db.read() as conn:
            value = conn.execute(
                sa.select(limits.c.limit).where(limits.c.concurrency_key == pool)
            ).scalar_one_or_none()
        return None if value is None else int(value)

    def delete_limit(self, pool: str) -> bool:
        def write(conn: sa.Connection) -> bool:
            conn.execute(sa.delete(slots).where(slots.c.concurrency_key == pool))
            conn.execute(sa.delete(pending).where(pending.c.concurrency_key == pool))
            return bool(conn.execute(sa.delete(limits).where(limits.c.concurrency_key == pool)).rowcount)

        return self._db.run_write(write)

    def get_pools(self) -> Sequence[str]:
        with self._db.read() as conn:
            rows = conn.execute(sa.select(limits.c.concurrency_key).order_by(limits.c.concurrency_key))
            return [str(r[0]) for r in rows]

    def get_pool_info(self, pool: str) -> PoolInfo:
        with self._db.read() as conn:
            limit = conn.execute(
                sa.select(limits.c.limit).where(limits.c.concurrency_key == pool)
            ).scalar_one_or_none()
            claimed = conn.execute(
                sa.select(slots.c.run_id, slots.c.step_key, slots.c.create_timestamp)
                .where(slots.c.concurrency_key == pool, slots.c.run_id.is_not(None))
                .order_by(slots.c.create_timestamp, slots.c.id)
            ).all()
            waiting = conn.execute(
                sa.select(
                    pending.c.run_id, pending.c.step_key, pending.c.priority, pending.c.create_timestamp
                )
                .where(pending.c.concurrency_key == pool)
                .order_by(pending.c.priority.desc(), pending.c.create_timestamp, pending.c.id)
            ).all()
        return PoolInfo(
            pool,
            None if limit is None else int(limit),
            tuple(ClaimedSlot(str(r), str(s or ""), float(ts)) for r, s, ts in claimed),
            tuple(PendingStep(str(r), str(s), int(p), float(ts)) for r, s, p, ts in waiting),
        )

    def claim_slot(self, pool: str, run_id: str, step_key: str, priority: int = 0) -> bool:
        now = self._clock()
        mine = (pending.c.concurrency_key == pool, pending.c.run_id == run_id, pending.c.step_key == step_key)

        def write(conn: sa.Connection) -> bool:
            limit = conn.execute(
                sa.select(limits.c.limit).where(limits.c.concurrency_key == pool).with_for_update()
            ).scalar_one_or_none()
            if limit is None:
                return True  # no limit set: the pool is unlimited
            holders = conn.execute(
                sa.select(slots.c.run_id, slots.c.step_key)
                .where(slots.c.concurrency_key == pool, slots.c.run_id.is_not(None))
                .with_for_update()
            ).all()
            if (run_id, step_key) in {(r, s) for r, s in holders}:
                return True
            if len(holders) < int(limit):
                conn.execute(
                    sa.insert(slots).values(
                        concurrency_key=pool,
                        run_id=run_id,
                        step_key=step_key,
                        deleted=False,
                        create_timestamp=now,
                    )
                )
                conn.execute(sa.delete(pending).where(*mine))
                return True
            if conn.execute(sa.select(pending.c.id).where(*mine)).first() is None:
                conn.execute(
                    sa.insert(pending).values(
                        concurrency_key=pool,
                        run_id=run_id,
                        step_key=step_key,
                        priority=priority,
                        create_timestamp=now,
                    )
                )
            return False

        return self._db.run_write(write)

    def free_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        def write(conn: sa.Connection) -> bool:
            conn.execute(
                sa.delete(pending).where(
                    pending.c.concurrency_key == pool,
                    pending.c.run_id == run_id,
                    pending.c.step_key == step_key,
                )
            )
            freed = conn.execute(
                sa.delete(slots).where(
                    slots.c.concurrency_key == pool, slots.c.run_id == run_id, slots.c.step_key == step_key
                )
            ).rowcount
            return bool(freed)

        return self._db.run_write(write)

    def free_slots_for_run(self, run_id: str) -> int:
        def write(conn: sa.Connection) -> int:
            conn.execute(sa.delete(pending).where(pending.c.run_id == run_id))
            return int(conn.execute(sa.delete(slots).where(slots.c.run_id == run_id)).rowcount)

        return self._db.run_write(write)
