"""The daemon's stores -- loop heartbeats and leader leases -- on every backend."""

from __future__ import annotations

import threading

from headwater.storage.daemon import DaemonError, DaemonHeartbeat
from headwater.storage.protocols import Storage

T0 = 1_700_000_000.0


def test_heartbeats_are_replaced_per_loop(storage: Storage) -> None:
    store = storage.daemon_heartbeats
    assert store.get_heartbeats() == {}
    store.add_heartbeat(DaemonHeartbeat(loop_name="run_queue", daemon_id="d1", timestamp=T0))
    error = DaemonError(message="boom", traceback="Traceback...\nValueError: boom", timestamp=T0 + 1)
    later = DaemonHeartbeat(
        loop_name="run_queue",
        daemon_id="d2",
        timestamp=T0 + 5,
        interval_seconds=2.0,
        fencing_token=3,
        consecutive_failures=2,
        last_error=error,
        last_success=T0,
    )
    store.add_heartbeat(later)
    store.add_heartbeat(DaemonHeartbeat(loop_name="run_monitoring", daemon_id="d1", timestamp=T0 + 1))
    beats = store.get_heartbeats()
    assert list(beats) == ["run_monitoring", "run_queue"]
    assert beats["run_queue"] == later
    store.wipe_heartbeats()
    assert store.get_heartbeats() == {}


def test_first_holder_gets_token_one_and_others_wait(storage: Storage) -> None:
    leases = storage.leases
    lease = leases.acquire("run_queue", "a", T0, 30)
    assert lease is not None and (lease.holder, lease.token, lease.expires_at) == ("a", 1, T0 + 30)
    assert leases.acquire("run_queue", "b", T0 + 29, 30) is None
    assert leases.holds("run_queue", "a", 1, T0 + 29)
    assert not leases.holds("run_queue", "b", 1, T0 + 29)
    # other names are independent
    other = leases.acquire("run_monitoring", "b", T0, 30)
    assert other is not None and other.token == 1


def test_renewing_keeps_the_token_and_extends(storage: Storage) -> None:
    leases = storage.leases
    assert leases.acquire("q", "a", T0, 30) is not None
    renewed = leases.renew("q", "a", 1, T0 + 20, 30)
    assert renewed is not None and renewed.token == 1 and renewed.expires_at == T0 + 50
    again = leases.acquire("q", "a", T0 + 40, 30)  # acquire by the holder renews too
    assert again is not None and again.token == 1 and again.expires_at == T0 + 70
    assert leases.acquire("q", "b", T0 + 60, 30) is None


def test_an_expired_lease_goes_to_a_new_holder_with_a_higher_token(storage: Storage) -> None:
    leases = storage.leases
    assert leases.acquire("q", "a", T0, 30) is not None
    taken = leases.acquire("q", "b", T0 + 30, 30)  # expired exactly at T0 + 30
    assert taken is not None and (taken.holder, taken.token, taken.acquired_at) == ("b", 2, T0 + 30)
    # the stale holder can neither renew nor pass the fencing check
    assert leases.renew("q", "a", 1, T0 + 31, 30) is None
    assert not leases.holds("q", "a", 1, T0 + 31)
    assert not leases.release("q", "a", 1)
    assert leases.holds("q", "b", 2, T0 + 31)
    # a holder whose own lease lapsed gets a new token when it comes back
    back = leases.acquire("q", "b", T0 + 100, 30)
    assert back is not None and back.token == 3
    assert leases.renew("q", "b", 2, T0 + 101, 30) is None


def test_release_hands_over_at_once(storage: Storage) -> None:
    leases = storage.leases
    assert leases.acquire("q", "a", T0, 30) is not None
    assert leases.release("q", "a", 1)
    assert not leases.holds("q", "a", 1, T0 + 1)
    taken = leases.acquire("q", "b", T0 + 1, 30)
    assert taken is not None and taken.token == 2
    assert [(x.name, x.holder, x.token) for x in leases.get_leases()] == [("q", "b", 2)]


def test_racing_replicas_elect_exactly_one_holder(storage: Storage) -> None:
    replicas = 4 if storage.is_in_memory else 8  # in memory: one connection behind a lock
    barrier = threading.Barrier(replicas)
    results: dict[str, int | None] = {}
    errors: list[BaseException] = []

    def contend(holder: str) -> None:
        try:
            barrier.wait()
            for round_no in range(3):  # the first row, then two expiries
                now = T0 + 100 * round_no
                lease = storage.leases.acquire("q", holder, now, 50)
                results[f"{holder}/{round_no}"] = lease.token if lease is not None else None
                barrier.wait()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=contend, args=(f"r{i}",)) for i in range(replicas)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    for round_no in range(3):
        winners = [k for k, v in results.items() if k.endswith(f"/{round_no}") and v is not None]
        assert len(winners) == 1, (round_no, results)
        assert results[winners[0]] == round_no + 1
