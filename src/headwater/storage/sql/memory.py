"""SQLite in memory: the database of an ephemeral instance (``SqlStorage.in_memory()``, URL ``sqlite://``).

An in-memory SQLite database lives in one connection, so a ``Database`` in memory keeps ONE connection
open for its whole life, behind a lock: the transactions of every thread (an executor's, a heartbeat's)
take the lock and run one at a time, as SQLite's own write lock would make them anyway.

Opening one is cheap. The schema is created once per process in a template database (the same
``create_all`` + stamp a new file store gets: tens of milliseconds, most of it SQLAlchemy compiling
the DDL); each new database is a copy of it (``sqlite3.Connection.backup``, ~0.1 ms;
``serialize``/``deserialize`` measured ~0.13 ms), and the whole ``Instance.ephemeral()`` ~0.25 ms.

Forks (the multiprocess executor's step workers): a forked child gets a copy of the parent's memory,
so it reads the store as it was at the fork; it cannot write to it -- the parent would never see the
rows -- and a write raises ``StorageError`` (step workers send their events to the parent, which
stores them). Around ``os.fork`` every open in-memory database's lock is held, so a child's copy is
never caught in the middle of another thread's transaction.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from typing import TYPE_CHECKING

from headwater.errors import StorageError

if TYPE_CHECKING:
    from headwater.storage.sql.database import Database

#: What an in-memory database is called in messages and ``StorageInfo.location``.
MEMORY_LOCATION = ":memory:"

_template_lock = threading.Lock()
_template: Database | None = None


def new_connection() -> sqlite3.Connection:
    """A connection to a new, empty in-memory database (usable from any thread, no implicit BEGIN)."""
    conn = sqlite3.connect(MEMORY_LOCATION, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def copy_of_template() -> sqlite3.Connection:
    """A new in-memory database holding the current schema, stamped at ``HEAD_REVISION``."""
    template = _template or _make_template()
    assert template.memory is not None
    conn = new_connection()
    with template.memory.lock:
        template.memory.raw.backup(conn)
    return conn


def _make_template() -> Database:
    global _template
    from headwater.storage.sql.database import Database
    from headwater.storage.sql.migrate import ensure_schema

    with _template_lock:
        if _template is None:
            template = Database("sqlite://", connection=new_connection())
            ensure_schema(template)
            _template = template
        return _template


class MemoryConnection:
    """The one connection of an in-memory database, its lock, and the process that owns its data."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self.lock = threading.RLock()
        self.owner_pid = os.getpid()
        self.closed = False
        _open.add(self)

    def check_writable(self) -> None:
        self.check_open()
        if os.getpid() != self.owner_pid:
            raise StorageError(
                f"Cannot write to an in-memory store from process {os.getpid()}: it lives in "
                f"process {self.owner_pid}, and a forked process only has a copy of it. Use a persistent "
                "instance (Instance.get(), Instance.local_temp()) to write from several processes."
            )

    def check_open(self) -> None:
        if self.closed:
            raise StorageError(
                "This in-memory store was disposed (Instance.dispose()), and its data with it; create a "
                "new instance (Instance.ephemeral()), or use a persistent one to keep data after dispose."
            )

    def close(self) -> None:
        self.closed = True
        _open.discard(self)
        self.raw.close()


# Every open in-memory database, so that a fork can hold their locks (see the module docstring).
_open: weakref.WeakSet[MemoryConnection] = weakref.WeakSet()


_held: list[MemoryConnection] = []


def _before_fork() -> None:
    _held[:] = list(_open)
    for memory in _held:
        memory.lock.acquire()


def _after_fork_in_parent() -> None:
    for memory in _held:
        memory.lock.release()
    _held.clear()


def _after_fork_in_child() -> None:
    global _template_lock
    _template_lock = threading.Lock()
    for memory in _held:
        memory.lock = threading.RLock()
    _held.clear()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)
