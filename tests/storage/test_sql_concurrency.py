"""Concurrent writers on SQLite: 8 processes and 8 threads, none sees "database is locked"."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from contracts.storage.databases import database_url
from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.sql import SqlStorage

WRITERS = 8
BATCHES = 25


def _step_batch(run_id: str, step: int) -> list[EventLogEntry]:
    key = AssetKey(f"asset_{step % 5}")
    types = [EventType.STEP_START, EventType.STEP_OUTPUT, EventType.HANDLED_OUTPUT, EventType.STEP_SUCCESS]
    entries = [EventLogEntry(run_id, 1.0, Event(t, "job", step_key=f"s{step}")) for t in types]
    mat = Event(EventType.ASSET_MATERIALIZATION, "job", step_key=f"s{step}",
                event_specific_data=AssetMaterialization(key, partition=f"p{step}"))  # fmt: skip
    entries.insert(3, EventLogEntry(run_id, 1.0, mat))
    return entries


def _write(path: str, writer: int) -> int:
    storage = SqlStorage.sqlite(path)
    try:
        for step in range(BATCHES):
            storage.event_store.store_events(_step_batch(f"run{writer}", step))
        return writer
    finally:
        storage.dispose()


def _check(path: Path) -> None:
    storage = SqlStorage.sqlite(path)
    store = storage.event_store
    for writer in range(WRITERS):
        assert len(store.get_logs_for_run(f"run{writer}")) == BATCHES * 5
    assert len(store.get_asset_keys()) == 5
    assert store.get_materialized_partitions(AssetKey("asset_0")) == {f"p{s}" for s in range(0, BATCHES, 5)}
    storage.dispose()


def test_eight_processes_write_one_fresh_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "headwater.db"  # does not exist yet: the writers also race to create the schema
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS) as pool:
        results = pool.starmap(_write, [(str(path), w) for w in range(WRITERS)])
    assert sorted(results) == list(range(WRITERS))
    _check(path)


def test_eight_threads_share_one_storage(tmp_path: Path) -> None:
    path = tmp_path / "headwater.db"
    storage = SqlStorage.sqlite(path)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for step in range(BATCHES):
                storage.event_store.store_events(_step_batch(f"run{writer}", step))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    storage.dispose()
    assert errors == []
    _check(path)


def _write_url(url: str, writer: int) -> int:
    storage = SqlStorage(url)
    try:
        for step in range(BATCHES):
            storage.event_store.store_events(_step_batch(f"run{writer}", step))
        return writer
    finally:
        storage.dispose()


@pytest.mark.parametrize("backend", ["postgres", "mysql"])
def test_eight_processes_on_a_server(backend: str, tmp_path: Path) -> None:
    with database_url(backend, tmp_path) as url:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(WRITERS) as pool:
            results = pool.starmap(_write_url, [(url, w) for w in range(WRITERS)])
        assert sorted(results) == list(range(WRITERS))
        storage = SqlStorage(url)
        try:
            store = storage.event_store
            assert (
                sum(len(store.get_logs_for_run(f"run{w}")) for w in range(WRITERS)) == WRITERS * BATCHES * 5
            )
            assert store.get_materialized_partitions(AssetKey("asset_0")) == {
                f"p{s}" for s in range(0, BATCHES, 5)
            }
        finally:
            storage.dispose()


def test_storage_made_before_a_fork_works_in_the_child(tmp_path: Path) -> None:
    storage = SqlStorage.sqlite(tmp_path / "headwater.db")
    storage.event_store.store_events(_step_batch("parent", 0))
    ctx = multiprocessing.get_context("fork")
    process = ctx.Process(target=_child_write, args=(storage,))
    process.start()
    process.join(30)
    assert process.exitcode == 0
    assert len(storage.event_store.get_logs_for_run("child")) == 5
    storage.dispose()


def _child_write(storage: SqlStorage) -> None:
    storage.event_store.store_events(_step_batch("child", 1))
