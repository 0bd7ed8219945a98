"""Opening a DuckDB database when other processes may hold it.

DuckDB lets one process at a time open a database file for writing; a second process gets an
``IOException`` ("Could not set lock on file ... Conflicting lock is held"). Under the multiprocess
executor two steps writing the same file hit this whenever their connections overlap, so
``connect_duckdb`` retries on that error with a growing, jittered delay until ``lock_timeout_seconds``
have passed, then raises ``DuckDBLockError`` naming the file and what to do. A file another process is
creating at that moment reads as "not a valid DuckDB database file" until its header is written: that is
retried too, for ``CREATION_GRACE_SECONDS`` at most (a file still invalid then is corrupt, and its error
is raised). Any other error is raised at once. The clock and sleep are parameters, so tests drive the
timeout without waiting.
"""

from __future__ import annotations

import random
import time
import typing as t
from collections.abc import Callable, Mapping

import duckdb

from headwater.errors import HeadwaterError

DEFAULT_LOCK_TIMEOUT_SECONDS = 60.0
_FIRST_DELAY = 0.01
_MAX_DELAY = 0.5
CREATION_GRACE_SECONDS = 2.0


class DuckDBLockError(HeadwaterError):
    """Another process kept a DuckDB database file locked for longer than the lock timeout."""


def is_lock_error(exc: BaseException) -> bool:
    """Whether ``exc`` is DuckDB refusing a file another process holds."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _is_file_being_created(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and "not a valid duckdb database file" in str(exc).lower()


def connect_duckdb(
    database: str,
    config: Mapping[str, t.Any] | None = None,
    *,
    read_only: bool = False,
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> duckdb.DuckDBPyConnection:
    """A connection to ``database`` (a file path or ``:memory:``), waiting up to ``lock_timeout_seconds``
    while another process holds the file's lock."""
    options = {"custom_user_agent": "headwater", **(config or {})}
    deadline = clock() + lock_timeout_seconds
    delay = _FIRST_DELAY
    attempts = 0
    invalid_since: float | None = None
    while True:
        attempts += 1
        try:
            return duckdb.connect(database, read_only=read_only, config=options)
        except duckdb.IOException as exc:
            now = clock()
            if _is_file_being_created(exc):
                invalid_since = now if invalid_since is None else invalid_since
                if now - invalid_since > CREATION_GRACE_SECONDS:
                    raise
                sleep(_FIRST_DELAY)
                continue
            if not is_lock_error(exc):
                raise
            if now >= deadline:
                raise DuckDBLockError(
                    f"Could not open the DuckDB database {database!r}: another process holds its lock "
                    f"(DuckDB allows one process at a time to open a file for writing) and did not release "
                    f"it within {lock_timeout_seconds:g} s ({attempts} attempts). Keep connections short "
                    "(`with duckdb.get_connection() as conn:` around the statements only), close the "
                    "DuckDB CLI or notebook that has the file open, raise lock_timeout_seconds in the "
                    "resource's or IO manager's config, or run the steps writing this file one at a time "
                    f"(in-process executor, or the multiprocess executor's max_concurrent: 1). DuckDB said: "
                    f"{exc}"
                ) from exc
            sleep(min(delay * (0.5 + random.random()), deadline - now))
            delay = min(delay * 2, _MAX_DELAY)
