"""The SQL store: SQLite (a file by default, or in memory), PostgreSQL (psycopg 3) and MySQL/MariaDB
(pymysql).

Importing this package imports SQLAlchemy; ``headwater.storage`` and ``headwater.instance`` import
it only when a store is opened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

import sqlalchemy as sa

from headwater.events.event import EventLogEntry
from headwater.storage.retention import PruneResult, StorageInfo
from headwater.storage.retry import RetryPolicy
from headwater.storage.runs import RUN_EVENT_TO_STATUS
from headwater.storage.sql.automation_store import SqlAutomationStore
from headwater.storage.sql.backfill_store import SqlBackfillStore
from headwater.storage.sql.concurrency_store import SqlConcurrencyStore
from headwater.storage.sql.daemon_store import SqlDaemonHeartbeatStore, SqlLeaseStore
from headwater.storage.sql.database import Database
from headwater.storage.sql.events import SqlEventStore, event_rows, write_events
from headwater.storage.sql.instigator_store import SqlInstigatorStore
from headwater.storage.sql.memory import MEMORY_LOCATION
from headwater.storage.sql.migrate import HEAD_REVISION, SchemaChange, current_revision, ensure_schema
from headwater.storage.sql.retention import prune
from headwater.storage.sql.run_worker_store import SqlRunWorkerStore
from headwater.storage.sql.runs import SqlRunStore, apply_run_event
from headwater.storage.sql.schema import event_logs, runs

__all__ = ["HEAD_REVISION", "Database", "SqlEventStore", "SqlRunStore", "SqlStorage"]


class SqlStorage:
    """A ``Storage`` in one SQL database; ``sqlite://`` is a new one in this process's memory.

    On open, a new database gets the current schema; an older one raises ``SchemaMismatchError``
    unless ``upgrade=True`` (what ``headwater instance migrate`` does); ``check_schema=False`` skips
    both. ``retry`` says how long writes keep trying while the database is unreachable. ``clock`` is
    the time every store stamps its rows with.
    """

    def __init__(
        self,
        url: str | sa.URL,
        *,
        clock: Callable[[], float] = time.time,
        upgrade: bool = False,
        check_schema: bool = True,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._db = Database(url, retry=retry)
        self.schema_change: SchemaChange | None = None
        if check_schema:
            try:
                self.schema_change = ensure_schema(self._db, upgrade=upgrade)
            except BaseException:
                self._db.dispose()
                raise
        self._clock = clock
        self._run_store = SqlRunStore(self._db, clock)
        self._event_store = SqlEventStore(self._db, clock)
        self._concurrency = SqlConcurrencyStore(self._db, clock)
        self._run_workers = SqlRunWorkerStore(self._db)
        self._backfills = SqlBackfillStore(self._db, clock)
        self._daemon_heartbeats = SqlDaemonHeartbeatStore(self._db)
        self._leases = SqlLeaseStore(self._db)
        self._instigators = SqlInstigatorStore(self._db, clock)
        self._automation = SqlAutomationStore(self._db)

    @staticmethod
    def sqlite(
        path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time, upgrade: bool = False
    ) -> SqlStorage:
        """SQLite storage in the file ``path`` (its directory is created if missing)."""
        return SqlStorage(f"sqlite:///{os.path.abspath(os.fspath(path))}", clock=clock, upgrade=upgrade)

    @staticmethod
    def in_memory(*, clock: Callable[[], float] = time.time) -> SqlStorage:
        """SQLite in this process's memory, with the current schema (what ``Instance.ephemeral()``
        uses): gone when disposed; other processes cannot reach it (see ``storage.sql.memory``)."""
        return SqlStorage("sqlite://", clock=clock, check_schema=False)

    @property
    def database(self) -> Database:
        return self._db

    @property
    def run_store(self) -> SqlRunStore:
        return self._run_store

    @property
    def event_store(self) -> SqlEventStore:
        return self._event_store

    @property
    def concurrency(self) -> SqlConcurrencyStore:
        return self._concurrency

    @property
    def run_workers(self) -> SqlRunWorkerStore:
        return self._run_workers

    @property
    def backfills(self) -> SqlBackfillStore:
        return self._backfills

    @property
    def daemon_heartbeats(self) -> SqlDaemonHeartbeatStore:
        return self._daemon_heartbeats

    @property
    def leases(self) -> SqlLeaseStore:
        return self._leases

    @property
    def instigators(self) -> SqlInstigatorStore:
        return self._instigators

    @property
    def automation(self) -> SqlAutomationStore:
        return self._automation

    @property
    def clock(self) -> Callable[[], float]:
        return self._clock

    @property
    def is_in_memory(self) -> bool:
        return self._db.in_memory

    def handle_new_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        """Store ``entries``, update the asset and partition indexes and apply the run status
        changes of run events, all in ONE transaction: an unknown run or an illegal status change
        rolls everything back."""
        rows = event_rows(entries)
        if not rows:
            return []
        changes = [
            (entry, event)
            for entry in entries
            if (event := entry.dagster_event) is not None and event.event_type in RUN_EVENT_TO_STATUS
        ]

        def write(conn: sa.Connection) -> list[int]:
            ids = write_events(conn, entries, rows)
            for entry, event in changes:
                apply_run_event(conn, entry.run_id, event, entry.timestamp)
            return ids

        return self._db.run_write(write)

    def prune(self, before: float, *, dry_run: bool = False) -> PruneResult:
        return prune(self._db, before, dry_run=dry_run)

    def schema_revision(self) -> str | None:
        with self._db.read() as conn:
            return current_revision(conn)

    def info(self) -> StorageInfo:
        with self._db.read() as conn:
            revision = current_revision(conn)
            run_count = conn.execute(sa.select(sa.func.count()).select_from(runs)).scalar_one()
            event_count = conn.execute(sa.select(sa.func.count()).select_from(event_logs)).scalar_one()
        if self._db.in_memory:
            location = MEMORY_LOCATION
        elif self._db.dialect == "sqlite":
            location = self._db.url.database or ""
        else:
            location = self._db.describe()
        return StorageInfo(
            self._db.dialect, location, revision, int(run_count), int(event_count), self._db.in_memory
        )

    def dispose(self) -> None:
        self._db.dispose()

    def __repr__(self) -> str:
        return f"SqlStorage({self._db.describe()!r})"
