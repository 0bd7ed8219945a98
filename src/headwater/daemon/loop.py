"""The daemon's one generic loop runner: every loop (scheduler, sensors, run queue, run monitoring,
backfills, automation) is a ``DaemonLoop`` -- a name, an interval and a ``tick(now)`` -- and
``DaemonRunner`` runs them all.

For each loop, one *step* (``DaemonRunner.step``) is:

1. **lease** -- take or renew the loop's leader lease (``Storage.leases``) for ``lease_seconds``. A
   replica that cannot get it stands by and tries again a few times per lease period; so of several
   ``headwater daemon run`` processes against one database, exactly one runs each loop, and when it
   dies another takes the loop over once the lease expires. The lease's fencing token grows with
   every new holder; ``LeaderFence.check`` (given to loops that act on shared state) renews the
   lease only if this daemon still holds it under its token, so a leader that stalled past its
   expiry stops instead of acting beside the new one, and a long tick that checks keeps its lease.
2. **tick** -- when the loop is due: ``loop.tick(now)``. An exception is recorded (message and
   traceback) and the next tick waits ``interval * 2**(failures-1)``, at most
   ``max_backoff_seconds``: a failing loop keeps being retried, never dropped.
3. **heartbeat** -- the loop's ``DaemonHeartbeat`` (daemon id, time, token, last error, failures in a
   row) goes to ``Storage.daemon_heartbeats`` for ``headwater daemon status`` and the UI.

``run_once(now)`` runs one step of every loop in the calling thread -- what tests do, with a fake
clock, never sleeping. ``run()`` gives each loop a thread that steps it and waits (on an event, so
``stop()`` wakes it at once); a supervisor restarts a thread that died, and SIGTERM/SIGINT stop all
threads and release the leases so a standby replica takes over without waiting.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Protocol

from headwater.storage.daemon import DaemonError, DaemonHeartbeat
from headwater.storage.protocols import Storage

__all__ = ["DaemonLoop", "DaemonRunner", "LeaderFence", "LoopState", "new_daemon_id"]

log = logging.getLogger("headwater.daemon")

#: How long a leader's lease lasts without renewal: the longest a loop goes unrun after its
#: daemon dies (plus one standby poll).
DEFAULT_LEASE_SECONDS = 15.0
DEFAULT_MAX_BACKOFF_SECONDS = 60.0
_MIN_WAIT = 0.05


class DaemonLoop(Protocol):
    """One loop of the daemon: ``tick(now)`` every ``interval_seconds``."""

    name: str
    interval_seconds: float

    def tick(self, now: float) -> None:
        """One tick at epoch-seconds ``now``; raises on failure (the runner records it, backs off
        and goes on)."""
        ...


def new_daemon_id() -> str:
    """``host:pid:random`` -- unique per daemon process, readable in ``headwater daemon status``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class LeaderFence:
    """What a loop asks before acting on shared state: does this daemon still lead loop ``name``?

    The runner records the token of each lease it holds; ``check`` renews that lease in the database
    (one conditional UPDATE: still this daemon's, unexpired, under that token) and says whether it
    could. So a long tick that keeps checking keeps its lease, and one that stalls (or hangs) loses
    it to another replica."""

    def __init__(
        self,
        storage: Storage,
        daemon_id: str,
        clock: Callable[[], float],
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
    ) -> None:
        self._storage = storage
        self.daemon_id = daemon_id
        self._clock = clock
        self.lease_seconds = lease_seconds
        self._tokens: dict[str, int] = {}

    def set_token(self, name: str, token: int) -> None:
        self._tokens[name] = token

    def token(self, name: str) -> int:
        """The token this daemon holds loop ``name`` under (0: it does not lead it)."""
        return self._tokens.get(name, 0)

    def check(self, name: str) -> bool:
        token = self._tokens.get(name, 0)
        if not token:
            return False
        lease = self._storage.leases.renew(name, self.daemon_id, token, self._clock(), self.lease_seconds)
        return lease is not None


@dataclass
class LoopState:
    """What the runner knows about one loop (its last step)."""

    loop: DaemonLoop
    token: int = 0
    lease_expires_at: float = 0.0
    next_tick_at: float = 0.0
    failures: int = 0
    ticks: int = 0
    last_error: DaemonError | None = None
    last_success: float | None = None
    restarts: int = 0
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def leading(self) -> bool:
        return self.token > 0


class DaemonRunner:
    """Runs ``loops`` against ``storage`` as daemon ``daemon_id`` (see the module doc)."""

    def __init__(
        self,
        loops: Sequence[DaemonLoop],
        storage: Storage,
        *,
        fence: LeaderFence | None = None,
        daemon_id: str | None = None,
        clock: Callable[[], float] | None = None,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        max_backoff_seconds: float = DEFAULT_MAX_BACKOFF_SECONDS,
    ) -> None:
        names = [loop.name for loop in loops]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(
                f"Two daemon loops are named {', '.join(duplicates)}: give each loop its own name."
            )
        if lease_seconds <= 0:
            raise ValueError(f"lease_seconds must be positive, got {lease_seconds}.")
        self.storage = storage
        self.clock = clock or storage.clock
        if fence is None:
            fence = LeaderFence(storage, daemon_id or new_daemon_id(), self.clock)
        elif daemon_id is not None and daemon_id != fence.daemon_id:
            raise ValueError("daemon_id and fence.daemon_id differ: pass one of them.")
        fence.lease_seconds = lease_seconds
        self.fence = fence
        self.daemon_id = fence.daemon_id
        self.lease_seconds = lease_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.states = {loop.name: LoopState(loop) for loop in loops}
        self._stop = threading.Event()

    # -- one step (the fake-clock API) ------------------------------------------------------------
    @property
    def renew_every(self) -> float:
        return self.lease_seconds / 3

    @property
    def standby_poll(self) -> float:
        return self.lease_seconds / 5

    def step(self, name: str, now: float) -> float:
        """One step of loop ``name`` at ``now`` (lease, tick if due, heartbeat); returns how many
        seconds to wait before the next step."""
        state = self.states[name]
        loop = state.loop
        if not self._lease(state, now):
            return self.standby_poll
        if now >= state.next_tick_at:
            self._tick(state, now)
        self._heartbeat(state, now)
        return max(_MIN_WAIT, min(state.next_tick_at - now, self.renew_every, loop.interval_seconds))

    def run_once(self, now: float) -> dict[str, float]:
        """One step of every loop at ``now``, in this thread; each loop's wait before its next step."""
        return {name: self.step(name, now) for name in self.states}

    def _lease(self, state: LoopState, now: float) -> bool:
        leases = self.storage.leases
        name = state.loop.name
        lease = None
        if state.token:
            lease = leases.renew(name, self.daemon_id, state.token, now, self.lease_seconds)
        if lease is None:
            lease = leases.acquire(name, self.daemon_id, now, self.lease_seconds)
        if lease is None:
            if state.token:
                log.warning("Daemon %s lost the lease of loop %r; standing by.", self.daemon_id, name)
            self._set_token(state, 0)
            return False
        if lease.token != state.token:
            log.info("Daemon %s leads loop %r (fencing token %d).", self.daemon_id, name, lease.token)
            if not state.token:
                state.next_tick_at = 0.0  # taking over: tick at once (a lapsed lease of ours keeps its pace)
            self._set_token(state, lease.token)
        state.lease_expires_at = lease.expires_at
        return True

    def _set_token(self, state: LoopState, token: int) -> None:
        state.token = token
        self.fence.set_token(state.loop.name, token)

    def _tick(self, state: LoopState, now: float) -> None:
        loop = state.loop
        try:
            loop.tick(now)
        except Exception as exc:
            state.failures += 1
            message = f"{type(exc).__name__}: {exc}"
            state.last_error = DaemonError(message=message, traceback=traceback.format_exc(), timestamp=now)
            delay = min(loop.interval_seconds * 2 ** (state.failures - 1), self.max_backoff_seconds)
            state.next_tick_at = now + max(delay, loop.interval_seconds)
            log.error(
                "Daemon loop %r failed (%d in a row; next try in %.0f s): %s",
                loop.name,
                state.failures,
                state.next_tick_at - now,
                message,
                exc_info=True,
            )
        else:
            state.failures = 0
            state.last_success = now
            state.next_tick_at = now + loop.interval_seconds
        state.ticks += 1

    def _heartbeat(self, state: LoopState, now: float) -> None:
        self.storage.daemon_heartbeats.add_heartbeat(
            DaemonHeartbeat(
                loop_name=state.loop.name,
                daemon_id=self.daemon_id,
                timestamp=now,
                interval_seconds=state.loop.interval_seconds,
                fencing_token=state.token,
                consecutive_failures=state.failures,
                last_error=state.last_error,
                last_success=state.last_success,
            )
        )

    # -- threads (production) ---------------------------------------------------------------------
    def _thread_body(self, state: LoopState) -> None:
        try:
            self._steps(state)
        except BaseException as exc:  # the thread ends; the supervisor restarts it
            state.last_error = DaemonError(
                message=f"{type(exc).__name__}: {exc}",
                traceback=traceback.format_exc(),
                timestamp=self.clock(),
            )
            state.failures += 1
            log.exception("Daemon loop %r stopped by %s", state.loop.name, type(exc).__name__)

    def _steps(self, state: LoopState) -> None:
        name = state.loop.name
        failures = 0
        while not self._stop.is_set():
            try:
                wait = self.step(name, self.clock())
                failures = 0
            except Exception as exc:  # the lease or heartbeat store failed: the database is away
                failures += 1
                wait = min(self.standby_poll * 2 ** (failures - 1), self.max_backoff_seconds)
                log.error("Daemon loop %r could not reach storage (retry in %.1f s): %s", name, wait, exc)
                if state.token and self.clock() >= state.lease_expires_at:
                    self._set_token(state, 0)  # our lease has expired: do not act on it
            self._stop.wait(wait)

    def _start_thread(self, state: LoopState) -> None:
        state.thread = threading.Thread(
            target=self._thread_body, args=(state,), name=f"headwater-daemon-{state.loop.name}", daemon=True
        )
        state.thread.start()

    def start(self) -> None:
        """Start one thread per loop (returns at once; ``stop()`` ends them)."""
        self._stop.clear()
        for state in self.states.values():
            self._start_thread(state)

    def supervise(self, poll: float = 1.0) -> None:
        """Until ``stop()``: restart any loop thread that died (it should not: ``step`` errors are
        caught, but a loop could raise a ``BaseException``)."""
        while not self._stop.wait(poll):
            for state in self.states.values():
                if state.thread is not None and not state.thread.is_alive():
                    state.restarts += 1
                    log.error("Daemon loop %r stopped unexpectedly; restarting it.", state.loop.name)
                    self._start_thread(state)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the threads (each finishes the tick it is in) and release the leases held."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for state in self.states.values():
            if state.thread is not None and state.thread is not threading.current_thread():
                state.thread.join(max(0.0, deadline - time.monotonic()))
        self.release_leases()

    def release_leases(self) -> None:
        for state in self.states.values():
            if state.token:
                try:
                    self.storage.leases.release(state.loop.name, self.daemon_id, state.token)
                except Exception as exc:  # it expires by itself
                    log.warning("Could not release the lease of loop %r: %s", state.loop.name, exc)
                self._set_token(state, 0)

    def request_stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Run every loop until SIGTERM or SIGINT (or ``request_stop()``), then stop cleanly."""

        def on_signal(signum: int, frame: FrameType | None) -> None:
            log.info("Daemon %s: %s received, stopping.", self.daemon_id, signal.Signals(signum).name)
            self._stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            self.supervise()
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
