"""The generic daemon loop runner, driven step by step with a fake clock (nothing sleeps): ticks on
the interval, errors recorded with backoff, heartbeats, leases between replicas, fencing."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.daemon.loop import DaemonRunner, LeaderFence
from headwater.storage.daemon import unhealthy_reason
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

T0 = 1_700_000_000.0


class Counter:
    """A loop that counts its ticks and raises while ``fail`` is set."""

    def __init__(self, name: str = "counter", interval: float = 10.0) -> None:
        self.name = name
        self.interval_seconds = interval
        self.ticks: list[float] = []
        self.fail: Exception | None = None

    def tick(self, now: float) -> None:
        self.ticks.append(now)
        if self.fail is not None:
            raise self.fail


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def storage(tmp_path: Path, clock: FakeClock) -> Iterator[SqlStorage]:
    store = SqlStorage.sqlite(tmp_path / "hw.db", clock=clock)
    yield store
    store.dispose()


def test_ticks_on_the_interval_and_heartbeats(storage: SqlStorage) -> None:
    loop = Counter(interval=10)
    runner = DaemonRunner([loop], storage, daemon_id="d1")
    waits = runner.run_once(T0)
    assert loop.ticks == [T0] and waits == {"counter": 5.0}  # renew every lease/3 (15 s / 3)
    runner.run_once(T0 + 5)
    assert loop.ticks == [T0]  # not due yet; the lease was renewed and the heartbeat written
    runner.run_once(T0 + 10)
    assert loop.ticks == [T0, T0 + 10]
    beat = storage.daemon_heartbeats.get_heartbeats()["counter"]
    assert (beat.daemon_id, beat.timestamp, beat.fencing_token, beat.last_success) == (
        "d1",
        T0 + 10,
        1,
        T0 + 10,
    )
    assert unhealthy_reason(beat, T0 + 11) is None
    assert "stopped" in (unhealthy_reason(beat, T0 + 100) or "")


def test_a_failing_tick_is_recorded_backed_off_and_retried(storage: SqlStorage) -> None:
    loop = Counter(interval=2)
    runner = DaemonRunner([loop], storage, daemon_id="d1", max_backoff_seconds=8)
    loop.fail = ValueError("the database of the sensor is down")
    runner.run_once(T0)
    beat = storage.daemon_heartbeats.get_heartbeats()["counter"]
    assert beat.consecutive_failures == 1 and beat.last_error is not None
    assert beat.last_error.message == "ValueError: the database of the sensor is down"
    assert "Traceback" in beat.last_error.traceback and "in tick" in beat.last_error.traceback
    assert "failed: ValueError" in (unhealthy_reason(beat, T0) or "")
    # backoff: 2, 4, 8, 8 seconds between tries
    times = [T0]
    now = T0
    for _ in range(4):
        state = runner.states["counter"]
        now = state.next_tick_at
        runner.run_once(now - 0.01)  # not yet
        runner.run_once(now)
        times.append(now)
    assert loop.ticks == times
    assert [b - a for a, b in itertools.pairwise(times)] == [2, 4, 8, 8]
    loop.fail = None
    runner.run_once(runner.states["counter"].next_tick_at)
    beat = storage.daemon_heartbeats.get_heartbeats()["counter"]
    assert beat.consecutive_failures == 0 and unhealthy_reason(beat, beat.timestamp) is None
    assert beat.last_error is not None  # the last error stays visible after recovery


def test_one_leader_per_loop_and_failover_after_the_lease(storage: SqlStorage) -> None:
    a_loop, b_loop = Counter(), Counter()
    a = DaemonRunner([a_loop], storage, daemon_id="a", lease_seconds=15)
    b = DaemonRunner([b_loop], storage, daemon_id="b", lease_seconds=15)
    a.run_once(T0)
    assert b.run_once(T0) == {"counter": 3.0}  # standing by: polls lease/5
    assert (len(a_loop.ticks), len(b_loop.ticks)) == (1, 0)
    # a dies (stops stepping); b takes over once a's lease expires
    b.run_once(T0 + 14.9)
    assert b_loop.ticks == []
    b.run_once(T0 + 15)
    assert b_loop.ticks == [T0 + 15] and b.states["counter"].token == 2
    assert storage.daemon_heartbeats.get_heartbeats()["counter"].daemon_id == "b"
    # a comes back (it was paused, not dead): its fence says no, and it does not tick
    assert not a.fence.check("counter")
    a.run_once(T0 + 16)
    assert len(a_loop.ticks) == 1 and a.states["counter"].token == 0


def test_stop_releases_the_lease_for_an_immediate_handover(storage: SqlStorage) -> None:
    a = DaemonRunner([Counter()], storage, daemon_id="a")
    b_loop = Counter()
    b = DaemonRunner([b_loop], storage, daemon_id="b")
    a.run_once(T0)
    a.stop()
    b.run_once(T0 + 1)
    assert b_loop.ticks == [T0 + 1]


def test_fence_is_false_once_the_lease_expired(storage: SqlStorage, clock: FakeClock) -> None:
    runner = DaemonRunner([Counter()], storage, daemon_id="a", lease_seconds=15)
    fence = runner.fence
    assert isinstance(fence, LeaderFence) and not fence.check("counter")
    runner.run_once(clock())
    assert fence.check("counter")
    clock.advance(15)
    assert not fence.check("counter")


def test_loops_need_distinct_names(storage: SqlStorage) -> None:
    with pytest.raises(ValueError, match="Two daemon loops are named counter"):
        DaemonRunner([Counter(), Counter()], storage)


class Signalling(Counter):
    def __init__(self, ticked: threading.Event, die: bool = False) -> None:
        super().__init__(interval=0.01)
        self.ticked = ticked
        self.die = die

    def tick(self, now: float) -> None:
        super().tick(now)
        self.ticked.set()
        if self.die:
            self.die = False
            raise SystemExit("a loop that ends its thread")


def test_threads_run_the_loops_and_a_dead_thread_is_restarted(tmp_path: Path) -> None:
    storage = SqlStorage.sqlite(tmp_path / "hw.db")
    ticked = threading.Event()
    loop = Signalling(ticked, die=True)
    runner = DaemonRunner([loop], storage, daemon_id="t")
    supervisor = threading.Thread(target=runner.supervise, kwargs={"poll": 0.01})
    try:
        runner.start()
        supervisor.start()
        assert ticked.wait(10)
        ticked.clear()
        assert ticked.wait(10)  # ticked again: the supervisor restarted the thread
        assert runner.states["counter"].restarts == 1
    finally:
        runner.stop()
        supervisor.join(10)
        storage.dispose()
    assert not supervisor.is_alive() and runner.states["counter"].token == 0


def test_a_lapsed_lease_of_our_own_keeps_the_pace(storage: SqlStorage) -> None:
    loop = Counter(interval=60)
    runner = DaemonRunner([loop], storage, daemon_id="d1", lease_seconds=15)
    runner.run_once(T0)
    runner.run_once(T0 + 30)  # the lease lapsed at T0 + 15 (no step in between): taken again, token 2
    assert runner.states["counter"].token == 2 and loop.ticks == [T0]
    runner.run_once(T0 + 60)
    assert loop.ticks == [T0, T0 + 60]


class LongTick(Counter):
    """A tick that takes ``steps`` x 10 s of (fake) time, checking its fence between steps."""

    def __init__(self, clock: FakeClock, fence_of: list[LeaderFence], steps: int) -> None:
        super().__init__(name="long", interval=60)
        self.clock = clock
        self.fence_of = fence_of
        self.steps = steps
        self.checks: list[bool] = []

    def tick(self, now: float) -> None:
        super().tick(now)
        for _ in range(self.steps):
            self.clock.advance(10)
            self.checks.append(self.fence_of[0].check(self.name))


def test_a_long_tick_that_checks_its_fence_keeps_the_lease(storage: SqlStorage, clock: FakeClock) -> None:
    fences: list[LeaderFence] = []
    loop = LongTick(clock, fences, steps=6)  # 60 s in a 15 s lease
    runner = DaemonRunner([loop], storage, daemon_id="a", lease_seconds=15)
    fences.append(runner.fence)
    other = DaemonRunner([Counter(name="long")], storage, daemon_id="b", lease_seconds=15)
    runner.run_once(clock())
    assert loop.checks == [True] * 6
    assert other.run_once(clock()) == {"long": 3.0}  # still a's: standing by


def test_a_tick_that_stops_checking_loses_the_lease_to_another(storage: SqlStorage, clock: FakeClock) -> None:
    fences: list[LeaderFence] = []
    loop = LongTick(clock, fences, steps=0)
    runner = DaemonRunner([loop], storage, daemon_id="a", lease_seconds=15)
    fences.append(runner.fence)
    b_loop = Counter(name="long")
    other = DaemonRunner([b_loop], storage, daemon_id="b", lease_seconds=15)
    runner.run_once(clock())
    clock.advance(20)  # a hangs in a tick that checks nothing
    other.run_once(clock())
    assert b_loop.ticks == [clock()]
    assert not runner.fence.check("long")  # a's next action is refused
