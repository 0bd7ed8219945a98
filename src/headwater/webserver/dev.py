"""``headwater dev`` and ``headwater webserver``: the processes of one machine, started and stopped
together.

``run_webserver`` starts a code server per location (``Workspace``; with ``watch``, each reloads its
code when a ``.py`` file changes, and a load error is served, with file and line, until a fix),
builds the app while they load, serves it with uvicorn on ``host:port``, and -- with ``daemon`` -- runs
``headwater daemon run`` beside them once that command exists. Storage is the instance's
(``HEADWATER_HOME``, default ``./.headwater``), so run history survives reloads and restarts.

On Ctrl-C or SIGTERM, uvicorn stops serving, and then every child is stopped: runs this process
launched that are still going are canceled (their workers would otherwise outlive it), the daemon and
the code servers get SIGTERM, then SIGKILL after a grace period. Code servers also exit by themselves
when this process dies (``--parent-pid``), so even a SIGKILL leaves no orphan server behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from headwater.instance.core import Instance
from headwater.locations.client.workspace import STOP_GRACE_SECONDS, Workspace
from headwater.locations.client.workspace_file import LocationEntry
from headwater.webserver.context import WebserverContext
from headwater.webserver.server import bind_socket, serve


class DaemonProcess:
    """The daemon (``headwater daemon run``) as a child process, in its own session, output to a log."""

    def __init__(self, command: list[str], home: str, log_path: Path) -> None:
        self.log_path = log_path
        self._log: IO[bytes] = log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HEADWATER_HOME": home},
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_GRACE_SECONDS)
        self._log.close()


def _say(message: str) -> None:
    print(f"headwater: {message}", file=sys.stderr, flush=True)


def cancel_launched_runs(context: WebserverContext, grace: float = 5.0) -> list[str]:
    """Cancel the runs this process launched that have not finished; their ids."""
    from headwater.runs.cancel import cancel_run

    canceled = []
    store = context.storage.run_store
    for run_id in sorted(context.launched_run_ids):
        record = store.get_run_record(run_id)
        if record is None or record.dagster_run.is_finished:
            continue
        try:
            cancel_run(context.storage, run_id, grace_period=grace)
            canceled.append(run_id)
        except Exception as exc:  # keep stopping the rest
            _say(f"could not cancel run {run_id}: {exc}")
    return canceled


def run_webserver(
    entries: list[LocationEntry],
    *,
    host: str,
    port: int,
    watch: bool = False,
    daemon_command: list[str] | None = None,
    read_only: bool = False,
    allowed_hosts: list[str] | None = None,
    on_started: Callable[[str], None] | None = None,
) -> int:
    """Start everything, serve until SIGINT/SIGTERM, stop everything. Returns the exit status.

    ``daemon_command``: the daemon to run beside the webserver (``headwater dev`` passes ``headwater
    daemon run`` when this installation has that command)."""
    started = time.monotonic()
    sock = bind_socket(host, port)  # a taken port fails before anything starts
    bound_port = sock.getsockname()[1]
    instance = Instance.get()
    home = instance.root_directory
    run_dir = Path(home) / "dev"
    run_dir.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(entries, log_dir=run_dir, watch=watch)
    daemon_process: DaemonProcess | None = None
    context = WebserverContext(instance, workspace, read_only=read_only)
    try:
        workspace.launch()
        if daemon_command is not None:
            daemon_process = DaemonProcess(daemon_command, home, run_dir / "daemon.log")
        from headwater.webserver.app import create_app

        netloc = f"[{host}]" if ":" in host else host
        app = create_app(context, allowed_hosts=[host, *(allowed_hosts or [])])
        workspace.wait_until_ready()
        for name, error in workspace.errors().items():
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            _say(f"location {name!r} did not load: {first} (the UI and the API show the traceback)")
        url = f"http://{netloc}:{bound_port}"

        def announce() -> None:
            _say(
                f"serving {url} (GraphQL at {url}/graphql) in {time.monotonic() - started:.2f} s; "
                f"locations: {', '.join(workspace.location_names)}; storage: {home}"
                + ("; reloading code on change" if watch else "")
            )
            if on_started is not None:
                on_started(url)

        serve(app, sock, on_started=announce)
    finally:
        sock.close()
        canceled = cancel_launched_runs(context)
        if canceled:
            _say(f"canceled {len(canceled)} run(s) still in progress")
        if daemon_process is not None:
            daemon_process.stop()
        workspace.close()
        instance.dispose()
        _say("stopped")
    return 0
