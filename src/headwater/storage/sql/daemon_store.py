"""The daemon's stores in SQL: loop heartbeats (``daemon_heartbeats``, one row per loop name, the
body a ``DaemonHeartbeat`` as JSON) and leader leases (``daemon_leases``).

Every lease change is one conditional UPDATE (or the first INSERT), so the database decides who wins
when replicas race: PostgreSQL and MySQL re-check the WHERE clause on the row they lock, SQLite takes
the write lock at BEGIN. Rows are never deleted, so a lease's token only grows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import msgspec
import sqlalchemy as sa

from headwater.storage.daemon import DaemonHeartbeat, Lease, heartbeat_from_json, heartbeat_to_json
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import daemon_heartbeats, daemon_leases

if TYPE_CHECKING:
    from headwater.storage.sql.database import AnyRow

_L = daemon_leases.c


class SqlDaemonHeartbeatStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_heartbeat(self, beat: DaemonHeartbeat) -> None:
        values = {"daemon_id": beat.daemon_id, "timestamp": beat.timestamp, "body": heartbeat_to_json(beat)}
        where = daemon_heartbeats.c.daemon_type == beat.loop_name

        def update(conn: sa.Connection) -> int:
            return conn.execute(sa.update(daemon_heartbeats).where(where).values(**values)).rowcount

        def write(conn: sa.Connection) -> None:
            if not update(conn):
                conn.execute(sa.insert(daemon_heartbeats).values(daemon_type=beat.loop_name, **values))

        try:
            self._db.run_write(write)
        except sa.exc.IntegrityError:  # another process inserted the row first: now it exists
            self._db.run_write(update)

    def get_heartbeats(self) -> Mapping[str, DaemonHeartbeat]:
        out: dict[str, DaemonHeartbeat] = {}
        with self._db.read() as conn:
            rows = conn.execute(
                sa.select(daemon_heartbeats.c.daemon_type, daemon_heartbeats.c.body).order_by(
                    daemon_heartbeats.c.daemon_type
                )
            )
            for name, body in rows:
                try:
                    out[name] = heartbeat_from_json(body or "")
                except msgspec.DecodeError:
                    continue  # a damaged row is as good as no heartbeat
        return out

    def wipe_heartbeats(self) -> None:
        self._db.run_write(lambda conn: conn.execute(sa.delete(daemon_heartbeats)))


def _lease(row: AnyRow) -> Lease:
    return Lease(
        name=row.name,
        holder=row.holder,
        token=int(row.token),
        expires_at=float(row.expires_at),
        acquired_at=float(row.acquired_at),
    )


_COLUMNS = (_L.name, _L.holder, _L.token, _L.expires_at, _L.acquired_at)


class SqlLeaseStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _read(conn: sa.Connection, name: str) -> Lease | None:
        row = conn.execute(sa.select(*_COLUMNS).where(_L.name == name)).one_or_none()
        return _lease(row) if row is not None else None

    def acquire(self, name: str, holder: str, now: float, ttl: float) -> Lease | None:
        def write(conn: sa.Connection) -> Lease | None:
            renewed = conn.execute(
                sa.update(daemon_leases)
                .where(_L.name == name, _L.holder == holder, _L.expires_at > now)
                .values(expires_at=now + ttl)
            ).rowcount
            if not renewed:
                taken = conn.execute(
                    sa.update(daemon_leases)
                    .where(_L.name == name, _L.expires_at <= now)
                    .values(holder=holder, token=_L.token + 1, expires_at=now + ttl, acquired_at=now)
                ).rowcount
                if not taken:
                    if self._read(conn, name) is not None:
                        return None  # held by another
                    conn.execute(
                        sa.insert(daemon_leases).values(
                            name=name, holder=holder, token=1, expires_at=now + ttl, acquired_at=now
                        )
                    )
            return self._read(conn, name)

        try:
            return self._db.run_write(write)
        except sa.exc.IntegrityError:  # another replica inserted the first row at the same moment
            return None

    def renew(self, name: str, holder: str, token: int, now: float, ttl: float) -> Lease | None:
        def write(conn: sa.Connection) -> Lease | None:
            renewed = conn.execute(
                sa.update(daemon_leases)
                .where(_L.name == name, _L.holder == holder, _L.token == token, _L.expires_at > now)
                .values(expires_at=now + ttl)
            ).rowcount
            return self._read(conn, name) if renewed else None

        return self._db.run_write(write)

    def holds(self, name: str, holder: str, token: int, now: float) -> bool:
        with self._db.read() as conn:
            found = conn.execute(
                sa.select(_L.name).where(
                    _L.name == name, _L.holder == holder, _L.token == token, _L.expires_at > now
                )
            ).first()
        return found is not None

    def release(self, name: str, holder: str, token: int) -> bool:
        def write(conn: sa.Connection) -> int:
            return conn.execute(
                sa.update(daemon_leases)
                .where(_L.name == name, _L.holder == holder, _L.token == token)
                .values(expires_at=0.0)
            ).rowcount

        return bool(self._db.run_write(write))

    def get_leases(self) -> Sequence[Lease]:
        with self._db.read() as conn:
            return [_lease(row) for row in conn.execute(sa.select(*_COLUMNS).order_by(_L.name))]
