"""One database: the engine, its connections and transactions, and dialect-specific statements.

Connections are pooled and reused for the life of the process (re-made after a fork), never opened
per event. SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing with "database is locked";
its log is kept small (``storage.sql.wal``). SQLite in memory (``sqlite://``: ephemeral instances)
keeps one connection behind a lock instead (``storage.sql.memory``).
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from headwater.storage.errors import StorageConfigError, StorageUnavailableError
from headwater.storage.retry import RetryPolicy
from headwater.storage.sql.memory import MEMORY_LOCATION, MemoryConnection, copy_of_template
from headwater.storage.sql.wal import WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT, WalCheckpointer

if TYPE_CHECKING:
    from typing import TypeAlias

    #: A result row / a SELECT of any shape (SQLAlchemy 2.1 types rows by a TypeVarTuple).
    AnyRow: TypeAlias = sa.Row[*tuple[Any, ...]]
    AnySelect: TypeAlias = sa.Select[*tuple[Any, ...]]

T = TypeVar("T")
SQLITE_BUSY_TIMEOUT_MS = 60_000
_WRITE = "headwater_write"
_DEADLOCK_ATTEMPTS = 5
log = logging.getLogger("headwater.storage")

_HOW_TO_START = {
    "postgresql": "start PostgreSQL (e.g. `pg_ctlcluster 15 main start`) or fix the URL's host/port/user",
    "mysql": "start MySQL/MariaDB (e.g. `service mariadb start`) or fix the URL's host/port/user",
    "sqlite": "check that the directory exists and is writable",
}


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event (below) emit BEGIN itself: pysqlite's own handling would defer it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    cursor.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_sqlite_begin(conn: sa.Connection) -> None:
    # Straight on the sqlite3 connection: this runs once per transaction, on the hot path. A write
    # transaction was begun on the driver already (Database.write): statements join it.
    dbapi_connection = conn.connection.driver_connection
    assert isinstance(dbapi_connection, sqlite3.Connection)
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


class _DriverTransaction:
    """A SQLite write transaction begun (``BEGIN IMMEDIATE``) and ended on the sqlite3 connection: a
    fraction of SQLAlchemy's per-transaction work, and this is every step's batch. Statements run
    through ``conn`` join it (``_on_sqlite_begin`` sees it open); when they did, SQLAlchemy holds a
    transaction of its own over it and ends it. Driver errors come out as SQLAlchemy's."""

    __slots__ = ("conn", "raw")

    def __init__(self, conn: sa.Connection, raw: sqlite3.Connection) -> None:
        self.conn = conn
        self.raw = raw

    def __enter__(self) -> None:
        try:
            self.raw.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise sa.exc.DBAPIError.instance("BEGIN IMMEDIATE", (), exc, sqlite3.Error) from exc

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        conn, raw = self.conn, self.raw
        if exc_type is not None:
            if conn.in_transaction():
                conn.rollback()
            elif raw.in_transaction:
                raw.rollback()
            return
        try:
            if conn.in_transaction():
                conn.commit()
            else:
                raw.commit()
        except BaseException as exc:
            if raw.in_transaction:
                raw.rollback()
            if isinstance(exc, sqlite3.Error):
                raise sa.exc.DBAPIError.instance("COMMIT", (), exc, sqlite3.Error) from exc
            raise


def normalize_url(url: str | sa.URL) -> sa.URL:
    """Parse ``url`` and pick Headwater's drivers: psycopg 3 for PostgreSQL, pymysql for MySQL."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StorageConfigError(f"Invalid database URL {url!r}: {exc}.") from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend in ("mysql", "mariadb"):
        if parsed.drivername in ("mysql", "mariadb"):
            parsed = parsed.set(drivername=f"{backend}+pymysql")
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    elif backend not in ("sqlite", "postgresql"):
        raise StorageConfigError(
            f"Unsupported database {backend!r} in URL {parsed.render_as_string(hide_password=True)}; "
            "Headwater stores in SQLite, PostgreSQL or MySQL/MariaDB."
        )
    return parsed


class Database:
    """An engine plus Headwater's transaction helpers.

    ``sqlite://`` (or ``sqlite:///:memory:``) is a new database in this process's memory, holding the
    current schema; ``connection`` gives it its sqlite3 connection instead (the schema template).
    """

    def __init__(
        self,
        url: str | sa.URL,
        *,
        retry: RetryPolicy | None = None,
        connection: sqlite3.Connection | None = None,
        **engine_kwargs: Any,
    ) -> None:
        self.url = normalize_url(url)
        self.retry_policy = retry or RetryPolicy()
        self.dialect = self.url.get_backend_name()
        if self.dialect == "mariadb":
            self.dialect = "mysql"
        #: The one connection of an in-memory SQLite database (None for every other database).
        self.memory: MemoryConnection | None = None
        self._memory_conn: sa.Connection | None = None
        #: Truncates a SQLite file's write-ahead log when writes pause (None for other databases).
        self.wal: WalCheckpointer | None = None
        if self.dialect == "sqlite":
            database = self.url.database
            if not database or database == MEMORY_LOCATION:
                raw = connection or copy_of_template()
                self.memory = MemoryConnection(raw)
                engine_kwargs.update(poolclass=StaticPool, creator=lambda: raw)
            else:
                os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
                self.wal = WalCheckpointer(os.path.abspath(database))
        else:
            engine_kwargs.setdefault("pool_recycle", 3600)
        self.engine = sa.create_engine(self.url, **engine_kwargs)
        if self.dialect == "sqlite":
            if self.memory is None:
                sa_event.listen(self.engine, "connect", _on_sqlite_connect)
            sa_event.listen(self.engine, "begin", _on_sqlite_begin)
        self._pid = os.getpid()

    def __repr__(self) -> str:
        return f"Database({self.describe()!r})"

    @property
    def in_memory(self) -> bool:
        return self.memory is not None

    def describe(self) -> str:
        if self.memory is not None:
            return "sqlite:// (in memory)"
        return self.url.render_as_string(hide_password=True)

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:
            # A forked child must not share its parent's sockets: drop the pool without closing them.
            self.engine.dispose(close=False)
            self._pid = os.getpid()

    def _memory_connection(self) -> sa.Connection:
        """The one connection of an in-memory database (the caller holds its lock)."""
        conn = self._memory_conn
        if conn is None:
            conn = self._memory_conn = self.engine.connect()
            # Its only connection: every transaction may as well BEGIN IMMEDIATE.
            conn.execution_options(**{_WRITE: True})
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sa.Connection]:
        """A pooled connection; a database that cannot be reached (now or mid-transaction) raises
        ``StorageUnavailableError``. In memory: the one connection, under its lock."""
        memory = self.memory
        if memory is not None:
            with memory.lock:
                memory.check_open()
                conn = self._memory_connection()
                try:
                    yield conn
                finally:
                    if conn.in_transaction():  # left open by a caller of connection()
                        conn.rollback()
            return
        self._check_fork()
        try:
            conn = self.engine.connect()
        except sa.exc.DBAPIError as exc:
            if not isinstance(exc, sa.exc.OperationalError) and not is_unavailable(exc):
                raise
            raise self._unavailable(exc, "Cannot connect to") from exc
        try:
            with conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            if is_unavailable(exc):
                raise self._unavailable(exc, "Lost the connection to") from exc
            raise

    def connection(self) -> AbstractContextManager[sa.Connection]:
        """A pooled connection with no transaction begun (SQLAlchemy begins one on first use)."""
        return self._connect()

    def _unavailable(self, exc: sa.exc.DBAPIError, what: str) -> StorageUnavailableError:
        hint = _HOW_TO_START.get(self.dialect, "check the URL")
        reason = " ".join(str(exc.orig).split()).rstrip(".")
        return StorageUnavailableError(f"{what} {self.describe()}: {reason}. To fix: {hint}.")

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction, committed on success (``BEGIN IMMEDIATE`` on SQLite, on the sqlite3
        connection itself: see ``_DriverTransaction``)."""
        memory = self.memory
        if memory is not None:  # the hot path of ephemeral instances: no pool, one lock
            memory.check_writable()
            with memory.lock:
                conn = self._memory_connection()
                with _DriverTransaction(conn, memory.raw):
                    yield conn
            return
        if self.dialect != "sqlite":
            with self._connect() as conn:
                conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    yield conn
            return
        with self._connect() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            with _DriverTransaction(conn, raw):
                yield conn
        if self.wal is not None:
            self.wal.wrote()

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read-only connection (one consistent snapshot on SQLite and PostgreSQL)."""
        with self._connect() as conn, conn.begin():
            yield conn

    def run_write(self, work: Callable[[sa.Connection], T], retry: RetryPolicy | None = None) -> T:
        """Run ``work`` in a write transaction (it may run more than once, so it must only write
        through ``conn``).

        A transaction the database aborted to break a deadlock is re-run at once (after a few ms). A
        database that cannot be reached is tried again with backoff (``retry``, default the
        database's ``retry_policy``); when it stays away, ``StorageUnavailableError`` says for how
        long it was tried. Other errors pass through.
        """
        started = time.monotonic()
        try:  # the first attempt, as plain as can be: this is every step's batch
            with self.write() as conn:
                return work(conn)
        except (StorageUnavailableError, sa.exc.DBAPIError) as exc:
            error: StorageUnavailableError | sa.exc.DBAPIError = exc
        policy = retry or self.retry_policy
        delays = policy.delays()
        attempt = 1
        while True:
            if isinstance(error, StorageUnavailableError):
                delay = next(delays, None)
                if delay is None:
                    waited = time.monotonic() - started
                    raise StorageUnavailableError(
                        f"{error} Gave up writing after {attempt} attempt(s) over {waited:.1f} s; "
                        "the batch was not stored."
                    ) from error
                log.warning(
                    "Storage %s unavailable (attempt %d of %d), retrying in %.2f s: %s",
                    self.describe(), attempt, policy.attempts, delay, error,
                )  # fmt: skip
                policy.sleep(delay)
            elif attempt >= _DEADLOCK_ATTEMPTS or not is_retryable(error):
                raise error
            else:
                time.sleep(random.uniform(0.005, 0.02) * 2**attempt)
            attempt += 1
            try:
                with self.write() as conn:
                    return work(conn)
            except (StorageUnavailableError, sa.exc.DBAPIError) as exc:
                error = exc

    def dispose(self) -> None:
        """Close the connections (they are re-made on next use); in memory, drop the data too."""
        memory = self.memory
        if memory is None:
            self.engine.dispose()
            if self.wal is not None:
                self.wal.close()
            return
        with memory.lock:
            if self._memory_conn is not None:
                self._memory_conn.close()
                self._memory_conn = None
            self.engine.dispose()
            memory.close()


_PG_UNAVAILABLE_STATES = ("57P01", "57P02", "57P03")  # admin/crash shutdown, cannot connect now
_MYSQL_UNAVAILABLE_CODES = (2002, 2003, 2006, 2013, 2055)  # can't connect, gone away, lost connection
_SQLITE_UNAVAILABLE = ("unable to open database file", "disk i/o error", "readonly database")


def is_unavailable(exc: sa.exc.DBAPIError) -> bool:
    """The database cannot be reached (or written, for a SQLite file): worth trying again later."""
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str) and (state.startswith("08") or state in _PG_UNAVAILABLE_STATES):
        return True
    args = getattr(orig, "args", ())
    if args and args[0] in _MYSQL_UNAVAILABLE_CODES:
        return True
    return isinstance(orig, sqlite3.OperationalError) and any(
        text in str(orig).lower() for text in _SQLITE_UNAVAILABLE
    )


def is_retryable(exc: sa.exc.DBAPIError) -> bool:
    """A deadlock or serialization failure: the transaction was rolled back and may be re-run."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in ("40P01", "40001"):  # PostgreSQL
        return True
    args = getattr(orig, "args", ())
    if args and args[0] in (1213, 1205):  # MySQL: deadlock, lock wait timeout
        return True
    return "database is locked" in str(orig)
