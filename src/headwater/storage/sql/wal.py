"""Keeping a SQLite file's write-ahead log small.

SQLite appends every committed transaction to ``<db>-wal`` and copies it back into the database at a
checkpoint; the file itself is reused, never shrunk, unless told. Three things bound it:

* ``PRAGMA wal_autocheckpoint`` (``WAL_AUTOCHECKPOINT_PAGES``, 4 MiB of 4 KiB pages): during a burst
  of writes, the commit that takes the log past it checkpoints (a passive checkpoint: it never waits).
* ``PRAGMA journal_size_limit`` (``WAL_SIZE_LIMIT``, 8 MiB): when a checkpointed log is restarted, a
  longer file is cut back to this size. So under steady writing the file stays near 4 MiB and never
  above the limit, unless one transaction alone is bigger or readers keep the checkpoint from
  finishing.
* ``WalCheckpointer``: once writes pause for ``WAL_IDLE_SECONDS`` (and when the store is disposed), a
  ``wal_checkpoint(TRUNCATE)`` copies the log back and cuts the file to zero bytes. It runs in a
  thread started by the write that follows a pause, which ends once the log is truncated; it waits
  at most ``CHECKPOINT_BUSY_TIMEOUT`` for other connections and, if they are still busy, tries again
  after the next pause. A fork waits for a checkpoint in progress (a child must not inherit SQLite
  in the middle of one, its mutexes held by a thread that does not exist there).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import weakref

#: A checkpoint is due when the log reaches this many pages (SQLite's default: 1000).
WAL_AUTOCHECKPOINT_PAGES = 1000
#: A restarted log longer than this is cut back to it (bytes).
WAL_SIZE_LIMIT = 8 * 1024 * 1024
#: Seconds without a write after which the log is checkpointed and truncated.
WAL_IDLE_SECONDS = 0.5
#: How long a truncating checkpoint waits for other connections (seconds) before trying later.
CHECKPOINT_BUSY_TIMEOUT = 0.2

log = logging.getLogger("headwater.storage")


def checkpoint(path: str) -> bool:
    """``wal_checkpoint(TRUNCATE)`` on the database file ``path``, on a connection of its own; True
    when the whole log was copied back and the file truncated, False when other connections kept it
    busy past ``CHECKPOINT_BUSY_TIMEOUT`` (or the database could not be opened)."""
    try:
        conn = sqlite3.connect(path, timeout=CHECKPOINT_BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as exc:
        log.debug("Cannot open %s to checkpoint its WAL: %s", path, exc)
        return False
    try:
        busy, _frames, _copied = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy
    except sqlite3.Error as exc:  # e.g. "database is locked" past the timeout
        log.debug("WAL checkpoint of %s did not complete: %s", path, exc)
        return False
    finally:
        conn.close()


class WalCheckpointer:
    """Truncates the WAL of the SQLite file ``path`` once its writes pause (see the module docstring).
    ``wrote()`` is called after each committed write; ``close()`` when the store is disposed."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._cond = threading.Condition()
        self._last_write: float | None = None  # monotonic time of a write not yet checkpointed
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._stop = False
        self._checkpointing = threading.Lock()  # held while a checkpoint runs; a fork waits for it
        #: Truncating checkpoints completed by the idle thread (tests wait on it).
        self.checkpoints = 0
        _live.add(self)

    def wrote(self) -> None:
        with self._cond:
            self._last_write = time.monotonic()
            if self._pid != os.getpid():  # a forked child: the parent's thread is not here
                self._pid, self._thread = os.getpid(), None
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="headwater-wal-checkpoint", daemon=True
                )
                self._thread.start()
            # else: no notify. The thread is in a timed wait and reads _last_write when it wakes;
            # waking it on every write would cost a thread switch per step.

    def _run(self) -> None:
        with self._cond:
            while not self._stop and self._last_write is not None:
                delay = self._last_write + WAL_IDLE_SECONDS - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                seen = self._last_write
                self._cond.release()
                try:
                    with self._checkpointing:
                        done = checkpoint(self._path)
                finally:
                    self._cond.acquire()
                if done:
                    self.checkpoints += 1
                    self._cond.notify_all()
                if self._last_write == seen:  # no write since: done, or busy and to be tried again
                    self._last_write = None if done else time.monotonic()
            self._thread = None

    def wait_for_checkpoint(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` idle checkpoints have completed; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self.checkpoints >= count, timeout)

    def close(self) -> None:
        """Stop the idle thread and truncate the log now (best effort). A later write starts over."""
        with self._cond:
            self._stop = True
            thread = self._thread if self._pid == os.getpid() else None
            self._cond.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        with self._cond:
            self._stop = False
            self._last_write = None
        if os.path.exists(self._path + "-wal"):
            with self._checkpointing:
                checkpoint(self._path)

    def _after_fork_in_child(self) -> None:
        # Only the forking thread exists now: locks another thread held stay held unless replaced.
        self._cond = threading.Condition()
        self._checkpointing = threading.Lock()
        self._thread = None
        self._pid = os.getpid()


# Every checkpointer of this process, so that a fork can wait for their checkpoints to end.
_live: weakref.WeakSet[WalCheckpointer] = weakref.WeakSet()
_held: list[WalCheckpointer] = []


def _before_fork() -> None:
    _held[:] = list(_live)
    for checkpointer in _held:
        checkpointer._checkpointing.acquire()


def _after_fork_in_parent() -> None:
    for checkpointer in _held:
        checkpointer._checkpointing.release()
    _held.clear()


def _after_fork_in_child() -> None:
    for checkpointer in _held:
        checkpointer._after_fork_in_child()
    _held.clear()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)
