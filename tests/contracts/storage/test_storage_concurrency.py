"""The pool store (instance-wide concurrency limits) on every backend, and claims racing across
processes on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from headwater.storage.errors import StorageConfigError
from headwater.storage.protocols import Storage

from .databases import database_url


def test_limits_set_get_delete(storage: Storage) -> None:
    store = storage.concurrency
    assert store.get_limit("db") is None and list(store.get_pools()) == []
    store.set_limit("db", 2)
    store.set_limit("api", 1)
    store.set_limit("db", 3)
    assert store.get_limit("db") == 3
    assert list(store.get_pools()) == ["api", "db"]
    assert store.delete_limit("api") is True
    assert store.delete_limit("api") is False
    assert list(store.get_pools()) == ["db"]
    with pytest.raises(StorageConfigError, match="integer >= 0"):
        store.set_limit("db", -1)


def test_claims_stop_at_the_limit_and_free_slots(storage: Storage) -> None:
    store = storage.concurrency
    store.set_limit("db", 2)
    assert store.claim_slot("db", "r1", "a")
    assert store.claim_slot("db", "r1", "a")  # already held: still one slot
    assert store.claim_slot("db", "r2", "b")
    assert not store.claim_slot("db", "r3", "c", priority=5)
    assert not store.claim_slot("db", "r3", "c", priority=5)  # pending once
    info = store.get_pool_info("db")
    assert info.limit == 2 and info.claimed_count == 2 and info.run_ids == {"r1", "r2"}
    assert [(p.run_id, p.step_key, p.priority) for p in info.pending] == [("r3", "c", 5)]
    assert store.free_slot("db", "r1", "a") is True
    assert store.free_slot("db", "r1", "a") is False
    assert store.claim_slot("db", "r3", "c")
    info = store.get_pool_info("db")
    assert info.pending == () and {(s.run_id, s.step_key) for s in info.claimed} == {("r2", "b"), ("r3", "c")}


def test_free_slots_for_run_and_unlimited_pools(storage: Storage) -> None:
    store = storage.concurrency
    store.set_limit("db", 1)
    store.set_limit("api", 5)
    assert store.claim_slot("db", "r1", "a")
    assert store.claim_slot("api", "r1", "b")
    assert store.claim_slot("api", "r1", "c")
    assert not store.claim_slot("db", "r1", "d")
    assert store.free_slots_for_run("r1") == 3
    assert store.get_pool_info("db").claimed == () and store.get_pool_info("db").pending == ()
    assert store.free_slots_for_run("r1") == 0
    # No limit: always granted, nothing recorded.
    assert all(store.claim_slot("free", f"r{i}", "s") for i in range(10))
    assert store.get_pool_info("free").limit is None and store.get_pool_info("free").claimed == ()
    # Limit 0 holds every step back; lowering a limit keeps the claims already held.
    store.set_limit("zero", 0)
    assert not store.claim_slot("zero", "r", "s")
    assert store.claim_slot("api", "r2", "x") and store.claim_slot("api", "r2", "y")
    store.set_limit("api", 1)
    assert store.get_pool_info("api").claimed_count == 2
    assert not store.claim_slot("api", "r3", "z")


_LIMIT = 2
_ROUNDS = 6


def _racer(url: str, index: int, out: str) -> None:
    from headwater.storage.sql import SqlStorage

    storage = SqlStorage(url)
    store = storage.concurrency
    lines = []
    try:
        for n in range(_ROUNDS):
            step = f"s{n}"
            while not store.claim_slot("db", f"run{index}", step):
                time.sleep(0.002)
            lines.append(f"{time.monotonic()} 1\n")
            time.sleep(0.01)
            lines.append(f"{time.monotonic()} -1\n")
            store.free_slot("db", f"run{index}", step)
    finally:
        storage.dispose()
    Path(out).write_text("".join(lines))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_eight_processes_never_exceed_the_limit(backend: str, tmp_path: Path) -> None:
    from headwater.storage.sql import SqlStorage

    with database_url(backend, tmp_path) as url:
        setup = SqlStorage(url)
        setup.concurrency.set_limit("db", _LIMIT)
        ctx = multiprocessing.get_context("fork")
        setup.dispose()
        procs = [ctx.Process(target=_racer, args=(url, i, str(tmp_path / f"racer{i}.txt"))) for i in range(8)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
        changes = sorted(
            (float(t), int(d))
            for i in range(8)
            for t, d in (line.split() for line in (tmp_path / f"racer{i}.txt").read_text().splitlines())
        )
        assert len(changes) == 8 * _ROUNDS * 2
        running = peak = 0
        for _t, delta in changes:
            running += delta
            peak = max(peak, running)
        assert peak <= _LIMIT
        assert peak == _LIMIT  # the race was real: both slots were used at once
        check = SqlStorage(url)
        try:
            assert check.concurrency.get_pool_info("db").claimed == ()
        finally:
            check.dispose()
