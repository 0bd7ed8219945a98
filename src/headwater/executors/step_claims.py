"""Claims on steps by remote workers: a step's message may come twice, its step must run once.

Celery acknowledges a step's message only after the step (acks late), so a message whose worker died
comes again: at once on RabbitMQ (the connection drops), after the visibility timeout on Redis, or
when a worker's pool child dies (``task_reject_on_worker_lost``). The worker that gets it must tell
"the first delivery is still running", "it finished" and "its worker was lost" apart. It does so from
a claim row per step, kept with the run-worker heartbeats (``Storage.run_workers``, key
``step/<run id>/<step key>``):

- while a step runs, its worker rewrites the row every ``interval`` seconds (pid, host and attempt);
  the row is written without waiting for the disk (``synchronous_commit`` off on PostgreSQL): a
  claim lost in a database crash only makes a redelivered step wait for a heartbeat that never comes;
- no row: nobody ran it; the step's success or failure stored: answer from the stored events (the
  step finished; its message came again); a fresh row (or, on this host, a live pid): wait for it; a
  stale row (3 missed beats, or a dead pid on this host): the worker was lost mid-step -- retry the
  step per its RetryPolicy (STEP_UP_FOR_RETRY naming the lost worker) or fail it with that reason.

The claim rows stay after the run (a message may still come again late) and are deleted with the run
by the store's retention (``headwater instance prune``, ``Storage.prune``).

A first delivery (the engine says the message was not delivered before) skips the read: it only
writes the claim before the step starts, so a step costs one small write (not waiting for the disk)
besides its events' transaction.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from headwater.core.error_info import ErrorInfo
from headwater.errors import StepWorkerError
from headwater.events.event_type import EventType
from headwater.events.payloads import StepFailureData, StepRetryData
from headwater.executors.step_task import StepDone, StepTask
from headwater.storage.run_workers import WorkerHeartbeat

_MISSED_BEATS = 3
_HOST = socket.gethostname()


def claim_key(run_id: str, key: str) -> str:
    return f"step/{run_id}/{key}"


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` of this host still runs (a zombie -- killed, not yet reaped -- does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _host_and_attempt(beat: WorkerHeartbeat) -> tuple[str, int]:
    host, _, attempt = beat.hostname.rpartition(" attempt ")
    try:
        return host, int(attempt)
    except ValueError:
        return beat.hostname, 0


@dataclass
class Takeover:
    """A step whose worker was lost mid-step (attempt ``lost_attempt``, on ``host``, pid ``pid``)."""

    task: StepTask
    host: str
    pid: int
    lost_attempt: int
    age: float
    retry_number: int = 0

    def describe(self) -> str:
        return (
            f'the step worker running step "{self.task.key}" (pid {self.pid} on {self.host}) was lost '
            f"before the step finished (no heartbeat for {self.age:.1f}s)"
        )

    def resolve(self, worker: Any) -> StepDone | None:
        """Record what happens to the lost attempt; None: run the step again at ``retry_number``."""
        run = worker.run
        key = self.task.key
        compiled = run.compiled[self.task.step_key]
        policy = compiled.retry_policy or compiled.op_def.retry_policy or run.job.op_retry_policy
        reason = self.describe()
        error = ErrorInfo.from_exception(StepWorkerError(reason[0].upper() + reason[1:] + "."))
        if policy is not None and self.lost_attempt < policy.max_retries:
            delay = policy.calculate_delay(self.lost_attempt + 1)
            run.emit(
                EventType.STEP_UP_FOR_RETRY,
                key,
                f'Execution of step "{key}" failed and has requested a retry: {reason}.',
                StepRetryData(error, delay or None),
            )
            run.flush()
            run.events.clear()
            if delay:
                time.sleep(delay)
            self.retry_number = self.lost_attempt + 1
            return None
        run.emit(EventType.STEP_START, key, f'Started execution of step "{key}".')
        run.emit(
            EventType.STEP_FAILURE,
            key,
            f'Execution of step "{key}" failed: {reason}.',
            StepFailureData(error, None, "FRAMEWORK_ERROR"),
            level=40,
        )
        run.flush()
        run.events.clear()
        return StepDone(key, False, error_text=f"StepWorkerError: {reason}", retry_number=self.lost_attempt)


class StepClaim:
    """One worker's claim on one step task (see the module docstring)."""

    def __init__(self, store: Any, task: StepTask, interval: float, clock: Callable[[], float]) -> None:
        self._store = store
        self._task = task
        self._key = claim_key(task.run_id, task.key)
        self._interval = interval
        self._clock = clock
        self._attempt = task.retry_number

    def _write(self, pid: int) -> None:
        host = f"{_HOST} attempt {self._attempt}"
        self._store.heartbeat(WorkerHeartbeat(self._key, pid, host, self._clock()))

    def acquire(self, recorded: Callable[[], StepDone | None]) -> StepDone | Takeover | None:
        """Claim the step: None (run it), its recorded outcome, or a ``Takeover`` of a lost attempt."""
        while True:
            prior = self._store.get_heartbeats([self._key]).get(self._key)
            if prior is None:
                return None  # ``beating`` writes the claim
            host, attempt = _host_and_attempt(prior)
            done = recorded()
            if done is not None:
                return done
            if self._alive(prior, host):
                time.sleep(max(self._interval / 2, 0.05))
                continue
            age = self._clock() - prior.timestamp
            self._attempt = attempt
            self._write(os.getpid())
            return Takeover(self._task, host, prior.pid, attempt, age)

    def _alive(self, prior: WorkerHeartbeat, host: str) -> bool:
        if host == _HOST and prior.pid != os.getpid():
            return _pid_alive(prior.pid)
        if prior.pid == os.getpid():
            return False  # this process is not running it: it was lost here before
        return self._clock() - prior.timestamp < _MISSED_BEATS * self._interval

    @contextmanager
    def beating(self, attempt: int) -> Iterator[None]:
        """Write the claim (before the step starts: a worker lost at any point of the step leaves
        it), then again every ``interval`` seconds from a thread while attempt ``attempt`` runs."""
        self._attempt = attempt
        self._write(os.getpid())
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(self._interval):
                try:
                    self._write(os.getpid())
                except Exception:  # storage away for a moment: the next beat tries again
                    pass

        thread = threading.Thread(target=loop, name=f"headwater-step-{self._task.key}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
