"""The SQL store: SQLite (default), PostgreSQL (psycopg 3) and MySQL/MariaDB (pymysql).

Importing this package imports SQLAlchemy; ``headwater.storage`` and ``headwater.instance`` import
it only when a SQL store is configured.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import sqlalchemy as sa

from headwater.storage.sql.database import Database
from headwater.storage.sql.events import SqlEventStore
from headwater.storage.sql.migrate import HEAD_REVISION, ensure_schema
from headwater.storage.sql.runs import SqlRunStore

__all__ = ["HEAD_REVISION", "Database", "SqlEventStore", "SqlRunStore", "SqlStorage"]


class SqlStorage:
    """A ``Storage`` in one SQL database; the schema is created or upgraded on open."""

    def __init__(
        self, url: str | sa.URL, *, clock: Callable[[], float] = time.time, migrate: bool = True
    ) -> None:
        self._db = Database(url)
        if migrate:
            ensure_schema(self._db)
        self._run_store = SqlRunStore(self._db, clock)
        self._event_store = SqlEventStore(self._db, clock)

    @staticmethod
    def sqlite(path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time) -> SqlStorage:
        """SQLite storage in the file ``path`` (its directory is created if missing)."""
        return SqlStorage(f"sqlite:///{os.path.abspath(os.fspath(path))}", clock=clock)

    @property
    def database(self) -> Database:
        return self._db

    @property
    def run_store(self) -> SqlRunStore:
        return self._run_store

    @property
    def event_store(self) -> SqlEventStore:
        return self._event_store

    def dispose(self) -> None:
        self._db.dispose()

    def __repr__(self) -> str:
        return f"SqlStorage({self._db.describe()!r})"
