"""SQLite in memory (ephemeral instances): private databases copied from a schema template, one
connection shared by threads under a lock, forks that read a copy and cannot write, dispose."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.errors import StorageError
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.instance import Instance
from headwater.storage.runs import Run
from headwater.storage.sql import HEAD_REVISION, SqlStorage
from headwater.storage.sql import schema as sql_schema
from headwater.testing import FakeClock


@pytest.fixture
def storage() -> Iterator[SqlStorage]:
    store = SqlStorage.in_memory()
    yield store
    store.dispose()


def _batch(run_id: str, step: int) -> list[EventLogEntry]:
    mat = AssetMaterialization(AssetKey(f"a{step % 3}"), partition=f"p{step}")
    return [
        EventLogEntry(run_id, float(step), Event(EventType.STEP_START, "job", step_key=f"s{step}")),
        EventLogEntry(
            run_id,
            float(step),
            Event(EventType.ASSET_MATERIALIZATION, "job", f"s{step}", event_specific_data=mat),
        ),
    ]


def test_each_store_is_its_own_database_at_the_current_revision() -> None:
    first, second = SqlStorage.in_memory(), SqlStorage.in_memory()
    try:
        first.run_store.add_run(Run("job", run_id="only-in-first"))
        assert second.run_store.get_run_record("only-in-first") is None
        assert first.schema_revision() == second.schema_revision() == HEAD_REVISION
        info = first.info()
        assert (info.backend, info.location, info.in_memory, info.runs) == ("sqlite", ":memory:", True, 1)
        assert first.is_in_memory and "in memory" in repr(first)
    finally:
        first.dispose()
        second.dispose()


def test_opening_copies_the_schema_instead_of_creating_it(monkeypatch: pytest.MonkeyPatch) -> None:
    SqlStorage.in_memory().dispose()  # the template exists from here on

    def no_ddl(*args: object, **kwargs: object) -> None:
        raise AssertionError("an in-memory store created its schema instead of copying the template")

    monkeypatch.setattr(sql_schema.metadata, "create_all", no_ddl)
    store = SqlStorage.in_memory()
    try:
        store.run_store.add_run(Run("job", run_id="r"))
        assert store.run_store.has_run("r")
    finally:
        store.dispose()


def test_the_stores_clock_stamps_rows() -> None:
    clock = FakeClock(1000.0)
    store = SqlStorage.in_memory(clock=clock)
    try:
        store.run_store.add_run(Run("job", run_id="r"))
        clock.advance(5)
        store.concurrency.set_limit("db", 1)
        assert store.concurrency.claim_slot("db", "r", "s")
        record = store.run_store.get_run_record("r")
        assert record is not None and record.create_timestamp.timestamp() == 1000.0
        assert [s.timestamp for s in store.concurrency.get_pool_info("db").claimed] == [1005.0]
        assert store.clock is clock
    finally:
        store.dispose()


def test_dispose_drops_the_data_and_says_so(storage: SqlStorage) -> None:
    storage.run_store.add_run(Run("job", run_id="r"))
    storage.dispose()
    with pytest.raises(StorageError, match="in-memory store was disposed"):
        storage.run_store.get_run_record("r")
    with pytest.raises(StorageError, match="in-memory store was disposed"):
        storage.run_store.add_run(Run("job", run_id="s"))
    storage.dispose()  # twice is fine


def test_threads_share_one_database(storage: SqlStorage) -> None:
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for step in range(40):
                storage.handle_new_events(_batch(f"run{writer}", step))
                storage.event_store.get_logs_for_run(f"run{writer}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    for writer in range(8):
        assert len(storage.event_store.get_logs_for_run(f"run{writer}")) == 80
    every_third = {f"p{s}" for s in range(0, 40, 3)}
    assert storage.event_store.get_materialized_partitions(AssetKey("a0")) == every_third
    assert storage.info().events == 8 * 80


def _in_child(check: Callable[[], None], timeout: float = 30.0) -> int:
    """Run ``check`` in a forked child; its exit status (0: passed; -9: hung, killed)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            check()
            code = 0
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -9
        time.sleep(0.005)


def test_a_forked_child_reads_a_copy_and_cannot_write(storage: SqlStorage) -> None:
    storage.run_store.add_run(Run("job", run_id="before-fork"))

    def child() -> None:
        assert storage.run_store.has_run("before-fork")
        with pytest.raises(StorageError, match=f"in-memory store from process {os.getpid()}"):
            storage.run_store.add_run(Run("job", run_id="from-child"))
        with pytest.raises(StorageError, match="persistent instance"):
            storage.handle_new_events(_batch("before-fork", 0))

    assert _in_child(child) == 0
    storage.run_store.add_run(Run("job", run_id="after-fork"))
    assert not storage.run_store.has_run("from-child") and storage.run_store.has_run("after-fork")


def test_a_fork_never_copies_a_transaction_in_progress(storage: SqlStorage) -> None:
    stop = threading.Event()

    def write() -> None:
        step = 0
        while not stop.is_set():
            storage.handle_new_events(_batch("busy", step))
            step += 1

    def child() -> None:  # the copy holds whole batches (two events each), and no lock is left held
        assert storage.info().events % 2 == 0

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for _ in range(20):
            assert _in_child(child, timeout=10) == 0
    finally:
        stop.set()
        writer.join(30)


def test_ephemeral_instance_is_in_memory_sql() -> None:
    with Instance.ephemeral() as instance:
        assert instance.storage.is_in_memory and instance.storage_info().in_memory
        run = instance.create_run(job_name="job")
        instance.report_run_failed(run)
        assert instance.get_run_by_id(run.run_id).status.value == "FAILURE"  # type: ignore[union-attr]


def test_multiprocess_workers_read_the_ephemeral_store_and_send_their_events_home() -> None:
    import headwater as hw
    from headwater.execution.api import execute_job
    from headwater.executors.multiprocess import multiprocess_executor

    @hw.op
    def reader(context: Any) -> str:
        return str(context.instance.get_run_by_id(context.run_id).job_name)

    @hw.op
    def writer(context: Any, name: str) -> None:
        context.instance.add_dynamic_partitions("d", [name])

    @hw.job(executor_def=multiprocess_executor)
    def forked() -> None:
        writer(reader())

    with Instance.ephemeral() as instance:
        result = execute_job(forked, instance=instance, raise_on_error=False)
        assert result.output_for_node("reader") == "forked"  # read in the worker, from its copy
        [failure] = result.filter_events(EventType.STEP_FAILURE)
        assert "Cannot write to an in-memory store from process" in str(failure.event_specific_data)
        assert instance.get_dynamic_partitions("d") == []
        stored = [e.dagster_event_type for e in instance.all_logs(result.run_id)]
        assert stored.count(EventType.STEP_SUCCESS) == 1 and stored.count(EventType.STEP_FAILURE) == 1
        assert stored[-1] is EventType.RUN_FAILURE
