"""What a run worker needs besides user code: its heartbeat thread and the SIGTERM -> interrupt
handler. (The worker itself, which loads user code, is ``headwater.cli.run_worker``.)"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

from headwater.storage.protocols import RunWorkerStore
from headwater.storage.run_workers import WorkerHeartbeat

log = logging.getLogger("headwater.runs")


class RunInterrupted(BaseException):
    """Raised in the run worker's main thread on SIGTERM: user code and executors unwind (an
    ``except Exception`` in user code does not swallow it); the worker then records RUN_CANCELED."""


class Heartbeat:
    """A daemon thread writing ``WorkerHeartbeat`` for ``run_id`` every ``interval`` seconds, stamped by
    ``clock`` (the storage's), from start until ``stop()`` (which forgets the heartbeat)."""

    def __init__(
        self, store: RunWorkerStore, run_id: str, interval: float, clock: Callable[[], float]
    ) -> None:
        self._store = store
        self._run_id = run_id
        self._interval = interval
        self._clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"headwater-heartbeat-{run_id}", daemon=True)
        self._pid = os.getpid()
        self._host = socket.gethostname()

    def beat(self) -> None:
        self._store.heartbeat(WorkerHeartbeat(self._run_id, self._pid, self._host, self._clock()))

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.beat()
            except Exception:  # storage away for a moment: the next beat tries again
                log.warning("Could not store the heartbeat of run %s", self._run_id, exc_info=True)

    def __enter__(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        try:
            self._store.clear(self._run_id)
        except Exception:
            log.warning("Could not clear the heartbeat of run %s", self._run_id, exc_info=True)


class InterruptOnSigterm:
    """While active, SIGTERM raises ``RunInterrupted`` in this process's main thread (once). Processes
    forked from it (step workers) get the default SIGTERM behaviour back: they just exit."""

    def __init__(self) -> None:
        self._pid = os.getpid()
        self._previous: Any = None
        self.interrupted = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self._pid:  # a forked child that inherited the handler
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        if self.interrupted:
            return
        self.interrupted = True
        raise RunInterrupted("The run worker received SIGTERM (the run is being canceled).")

    def __enter__(self) -> InterruptOnSigterm:
        self._previous = signal.signal(signal.SIGTERM, self._handle)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        signal.signal(signal.SIGTERM, self._previous if self._previous is not None else signal.SIG_DFL)
