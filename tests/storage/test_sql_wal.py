"""A SQLite file's write-ahead log stays small: bounded while writing, truncated once writes pause
and when the store is disposed (``storage.sql.wal``)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.sql import SqlStorage
from headwater.storage.sql import wal as wal_module
from headwater.storage.sql.wal import WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT


def _wal_size(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def _batch(step: int) -> list[EventLogEntry]:
    types = (EventType.STEP_START, EventType.STEP_OUTPUT, EventType.HANDLED_OUTPUT, EventType.STEP_SUCCESS)
    return [EventLogEntry("run", float(step), Event(t, "job", step_key=f"s{step}")) for t in types]


@pytest.fixture
def quick_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wal_module, "WAL_IDLE_SECONDS", 0.05)
    monkeypatch.setattr(wal_module, "CHECKPOINT_BUSY_TIMEOUT", 0.05)


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "headwater.db"


def test_the_log_stays_under_its_limit_through_many_writes(db_path: Path) -> None:
    storage = SqlStorage.sqlite(db_path)
    try:
        sizes = []
        for step in range(600):  # one transaction each, as a run's steps write
            storage.event_store.store_events(_batch(step))
            sizes.append(_wal_size(db_path))
        assert max(sizes) <= WAL_SIZE_LIMIT
        # Unchecked, the log would have grown past the limit: each transaction appends this much.
        per_write = (sizes[30] - sizes[10]) / 20
        assert per_write * len(sizes) > 1.2 * WAL_SIZE_LIMIT
        assert max(sizes) >= WAL_AUTOCHECKPOINT_PAGES * 4096  # and it was checkpointed at the threshold
    finally:
        storage.dispose()


def test_the_log_is_truncated_once_writes_pause(db_path: Path, quick_idle: None) -> None:
    storage = SqlStorage.sqlite(db_path)
    try:
        checkpointer = storage.database.wal
        assert checkpointer is not None
        for step in range(20):
            storage.event_store.store_events(_batch(step))
        assert _wal_size(db_path) > 0
        assert checkpointer.wait_for_checkpoint(1, timeout=10)
        assert _wal_size(db_path) == 0
        assert len(storage.event_store.get_logs_for_run("run")) == 80  # nothing lost
        storage.event_store.store_events(_batch(99))  # the next pause truncates again
        assert checkpointer.wait_for_checkpoint(2, timeout=10)
        assert _wal_size(db_path) == 0
    finally:
        storage.dispose()


def test_a_busy_checkpoint_is_tried_again_after_the_next_pause(db_path: Path, quick_idle: None) -> None:
    storage = SqlStorage.sqlite(db_path)
    reader = sqlite3.connect(db_path, isolation_level=None)
    try:
        checkpointer = storage.database.wal
        assert checkpointer is not None
        storage.event_store.store_events(_batch(0))
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM event_logs").fetchone()  # holds a snapshot of the log
        storage.event_store.store_events(_batch(1))
        assert not checkpointer.wait_for_checkpoint(1, timeout=0.5)  # the reader keeps it busy
        assert _wal_size(db_path) > 0
        reader.execute("COMMIT")
        assert checkpointer.wait_for_checkpoint(1, timeout=10)
        assert _wal_size(db_path) == 0
    finally:
        reader.close()
        storage.dispose()


def test_dispose_truncates_the_log_while_another_store_keeps_the_file_open(db_path: Path) -> None:
    other = SqlStorage.sqlite(db_path)
    other.run_store.has_run("x")  # a pooled connection of another store stays open
    storage = SqlStorage.sqlite(db_path)
    try:
        for step in range(20):
            storage.event_store.store_events(_batch(step))
        assert _wal_size(db_path) > 0
        storage.dispose()
        assert _wal_size(db_path) == 0
        assert os.path.exists(f"{db_path}-wal")  # truncated, not deleted: the other store has it open
        assert len(other.event_store.get_logs_for_run("run")) == 80
    finally:
        other.dispose()


def test_a_fork_waits_for_a_checkpoint_in_progress(
    db_path: Path, quick_idle: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []
    real_checkpoint = wal_module.checkpoint

    def held_checkpoint(path: str) -> bool:
        inside.set()
        release.wait(10)
        return real_checkpoint(path)

    def let_go() -> None:
        order.append("checkpoint released")
        release.set()

    monkeypatch.setattr(wal_module, "checkpoint", held_checkpoint)
    storage = SqlStorage.sqlite(db_path)
    try:
        storage.event_store.store_events(_batch(0))
        assert inside.wait(10)  # the idle thread is in the middle of a checkpoint
        timer = threading.Timer(0.2, let_go)
        timer.start()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child: SQLite is usable, no checkpoint half done
            os._exit(0 if not storage.run_store.has_run("x") else 1)
        order.append("forked")
        _, status = os.waitpid(pid, 0)
        timer.join()
        assert order == ["checkpoint released", "forked"]
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        release.set()
        storage.dispose()
