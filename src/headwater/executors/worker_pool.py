"""The warm pool of step worker processes the multiprocess executor runs a run's steps in.

Start method: ``fork`` where the OS has it (Linux, macOS). A forked worker inherits everything the
run's process has already imported and built — user code, the job, the plan — so starting one costs
a few milliseconds and no step re-imports anything. Workers are forked on demand, up to the pool size,
and live until the run ends. Where fork is unavailable (Windows) the pool falls back to
``forkserver`` or ``spawn``: the worker setup (job, plan, config) is pickled, so the job must be
importable by reference (defined at module top level), and the instance stays in the parent.

Every wait is bounded: ``wait`` returns when a worker sends a message or exits, or after ``timeout``;
a worker that exits while it holds a task is reported as dead (with its exit code or signal).
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from headwater.errors import ConfigErrorEntry, InvalidConfigError
from headwater.executors.step_task import StepTask
from headwater.executors.step_worker import WorkerSetup, worker_main

START_METHODS = ("fork", "forkserver", "spawn")


def default_start_method() -> str:
    available = multiprocessing.get_all_start_methods()
    for method in START_METHODS:
        if method in available:
            return method
    return "spawn"  # pragma: no cover - every platform has spawn


@dataclass(slots=True)
class Worker:
    index: int
    process: BaseProcess
    conn: Connection
    task: StepTask | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid


@dataclass(frozen=True, slots=True)
class Died:
    """A worker exited. ``task`` is the step it was running, if any."""

    task: StepTask | None
    exitcode: int | None
    pid: int | None

    def describe(self) -> str:
        code = self.exitcode
        if code is None:
            return "exited"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"was killed by {name} (signal {-code})"
        return f"exited with code {code}"


class WorkerPool:
    """Up to ``size`` worker processes; ``submit`` hands a task to an idle (or new) one."""

    def __init__(self, setup: WorkerSetup, size: int, start_method: str | None = None) -> None:
        method = start_method or default_start_method()
        if method not in multiprocessing.get_all_start_methods():
            raise InvalidConfigError(
                "Error in multiprocess executor config",
                [
                    ConfigErrorEntry(
                        f"start_method {method!r} is not available on this platform; use one of "
                        f"{multiprocessing.get_all_start_methods()}.",
                        ("execution", "config", "start_method"),
                    )
                ],
            )
        self.start_method = method
        self._ctx: BaseContext = multiprocessing.get_context(method)
        self._setup = setup
        self.size = max(1, size)
        self.workers: list[Worker] = []
        self._started = 0
        self.started_pids: list[int] = []

    # --- capacity -------------------------------------------------------------------------
    @property
    def busy(self) -> int:
        return sum(1 for w in self.workers if w.task is not None)

    @property
    def has_capacity(self) -> bool:
        return self.busy < self.size

    def _start(self) -> Worker:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        self._started += 1
        # Not a daemon: steps may start processes of their own. Shutdown is explicit (see shutdown()).
        process = self._ctx.Process(  # type: ignore[attr-defined]
            target=worker_main,
            args=(child_conn, self._setup),
            name=f"headwater-step-worker-{self._started}",
            daemon=False,
        )
        process.start()
        child_conn.close()
        worker = Worker(self._started, process, parent_conn)
        self.workers.append(worker)
        if process.pid is not None:
            self.started_pids.append(process.pid)
        return worker

    def submit(self, task: StepTask) -> Worker:
        worker = next((w for w in self.workers if w.task is None and w.process.is_alive()), None)
        if worker is None:
            worker = self._start()
        worker.task = task
        try:
            worker.conn.send(task)
        except (BrokenPipeError, OSError):
            pass  # the worker is dead; wait() reports it with this task
        return worker

    # --- messages -------------------------------------------------------------------------
    def wait(self, timeout: float) -> list[tuple[Worker, Any]]:
        """Messages (``("events", ...)``, ``("done", StepDone)``) and deaths (``Died``), in arrival order."""
        if not self.workers:
            return []
        by_conn = {id(w.conn): w for w in self.workers}
        by_sentinel = {w.process.sentinel: w for w in self.workers}
        handles: list[Any] = [w.conn for w in self.workers] + list(by_sentinel)
        out: list[tuple[Worker, Any]] = []
        dead: list[Worker] = []
        for ready in wait(handles, timeout):
            if isinstance(ready, int):
                worker = by_sentinel[ready]
                if worker not in dead:
                    dead.append(worker)
                continue
            worker = by_conn[id(ready)]
            if worker in dead:
                continue
            if not self._drain(worker, out):
                dead.append(worker)
        for worker in dead:
            self._drain(worker, out)
            worker.process.join(timeout=5)
            out.append((worker, Died(worker.task, worker.process.exitcode, worker.pid)))
            worker.task = None
            worker.conn.close()
            self.workers.remove(worker)
        return out

    def _drain(self, worker: Worker, out: list[tuple[Worker, Any]]) -> bool:
        """Read every message waiting on ``worker``'s pipe; False when the pipe is closed."""
        conn = worker.conn
        try:
            while not conn.closed and conn.poll(0):
                message = conn.recv()
                if message[0] == "done":
                    worker.task = None
                out.append((worker, message))
        except (EOFError, OSError):
            return False
        return True

    # --- shutdown -------------------------------------------------------------------------
    def shutdown(self, *, graceful: bool, timeout: float) -> None:
        """Stop every worker: ask them to exit (they tear down their resources) and wait up to
        ``timeout`` seconds; terminate, then kill, the ones still running. Not graceful (an
        interrupt, an error in the executor): terminate at once."""
        workers, self.workers = self.workers, []
        if graceful:
            for w in workers:
                try:
                    w.conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            deadline = time.monotonic() + timeout
            for w in workers:
                w.process.join(max(0.0, deadline - time.monotonic()))
        for w in workers:
            if w.process.is_alive():
                w.process.terminate()
        for w in workers:
            w.process.join(2.0)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(2.0)
            w.conn.close()
            if not w.process.is_alive():
                w.process.close()
