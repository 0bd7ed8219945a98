"""``DefaultRunLauncher``: each run in a detached ``headwater run-worker`` process on this machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from headwater.errors import HeadwaterError
from headwater.events.event_type import EventType
from headwater.runs.code_pointer import CodePointer
from headwater.runs.protocols import RunLauncher
from headwater.runs.run_events import emit_run_event, get_run, report_run_failed
from headwater.runs.tags import WORKER_HOST_TAG, WORKER_PID_TAG
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run

__all__ = ["DefaultRunLauncher", "RunLauncher", "worker_command", "worker_log_path"]

HOME_ENV = "HEADWATER_HOME"


class LaunchError(HeadwaterError):
    """A run cannot be launched (e.g. its storage lives only in this process's memory)."""


def worker_command(run: Run, pointer: CodePointer) -> list[str]:
    """``python -m headwater.cli.main run-worker RUN_ID`` with the location's interpreter (or ours)."""
    return [pointer.executable or sys.executable, "-m", "headwater.cli.main", "run-worker", run.run_id]


def worker_log_path(root_directory: str, run_id: str) -> str:
    """Where a worker's stdout and stderr go: ``<home>/run_logs/<run_id>.log``."""
    return os.path.join(root_directory, "run_logs", f"{run_id}.log")


class DefaultRunLauncher:
    """Starts the run worker as a detached subprocess (its own session: it outlives the launcher, and
    a Ctrl-C in the launcher's terminal does not reach it), with ``HEADWATER_HOME`` set to ``home``, the
    instance home whose ``headwater.yaml`` names the same storage. Records the worker's pid and host in
    the run's tags."""

    def __init__(
        self,
        inst_data: object = None,
        wait_for_processes: bool = False,
        *,
        home: str | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        # inst_data / wait_for_processes: Dagster's arguments, accepted (the worker always runs detached).
        # ``home`` is given by the instance that adopts the launcher (Instance.configure_runs).
        self.home = home
        self.extra_env = dict(extra_env or {})

    def launch_run(self, storage: Storage, run: Run) -> Run:
        if storage.is_in_memory:
            raise LaunchError(
                f"Cannot launch run {run.run_id} in another process: its storage lives in this "
                "process's memory (an ephemeral instance). Use Instance.get() (HEADWATER_HOME) or "
                "Instance.local_temp()."
            )
        home = self.home
        if home is None:
            raise LaunchError(
                f"Cannot launch run {run.run_id}: this launcher has no instance home for the worker "
                "(HEADWATER_HOME); construct it as DefaultRunLauncher(home=...)."
            )
        pointer = CodePointer.from_run_tags(run.run_id, run.tags)
        # STARTING before the process exists: the worker's RUN_START must find the run STARTING.
        emit_run_event(storage, run, EventType.RUN_STARTING, "Launching run worker.")
        env = {**os.environ, HOME_ENV: home, **self.extra_env}
        log_path = worker_log_path(home, run.run_id)
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        try:
            with open(log_path, "ab") as log:
                process = subprocess.Popen(
                    worker_command(run, pointer),
                    cwd=pointer.working_directory or None,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    close_fds=True,
                )
        except OSError as exc:
            command = " ".join(worker_command(run, pointer))
            report_run_failed(storage, run, f"Could not start the run worker ({command}): {exc}")
            raise LaunchError(f"Could not start the run worker for run {run.run_id}: {exc}") from exc
        storage.run_store.add_run_tags(
            run.run_id, {WORKER_PID_TAG: str(process.pid), WORKER_HOST_TAG: socket.gethostname()}
        )
        return get_run(storage, run.run_id) or run
