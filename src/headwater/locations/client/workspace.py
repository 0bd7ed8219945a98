"""Workspace: the code locations of a workspace.yaml, each behind a LocationClient.

For a ``python_module``/``python_file`` entry the workspace starts a code server as a subprocess
(``<python> -m headwater.cli.main code-server start ...`` with the entry's ``executable_path`` or this
Python) on a free loopback port, and stops it on ``close()``; a ``server`` entry is attached to as is.
This process never imports user code.

A location that fails — its code does not import, its server does not start — is recorded with its
error (the user's traceback for a load error) while the other locations keep working::

    with Workspace.from_file("workspace.yaml") as ws:
        for name, error in ws.errors().items():
            print(name, error)
        spec = ws.spec("etl")
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from headwater.locations.client.client import LocationClient
from headwater.locations.client.errors import (
    LocationError,
    LocationLoadError,
    LocationRequestError,
    LocationUnavailableError,
)
from headwater.locations.client.workspace_file import LocationEntry, read_workspace_file
from headwater.specs.location import LocationSpec

STOP_GRACE_SECONDS = 5.0


class LocationHandle:
    """One location of a workspace: its entry, client, server process (when managed) and last spec."""

    def __init__(self, entry: LocationEntry) -> None:
        self.entry = entry
        self.name = entry.name
        self.client: LocationClient | None = (
            LocationClient(entry.address, name=entry.name) if entry.address is not None else None
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self.startup_error: LocationError | None = None
        self._spec: LocationSpec | None = None
        self._log: IO[bytes] | None = None
        self._ready_file: Path | None = None

    def __repr__(self) -> str:
        return f"<LocationHandle {self.name!r} {self.client.address if self.client else 'not started'}>"

    def require_client(self) -> LocationClient:
        if self.startup_error is not None:
            raise self.startup_error
        assert self.client is not None
        return self.client

    def error(self) -> LocationError | None:
        """Why this location cannot serve now (it did not start, or its code failed to load), or None."""
        if self.startup_error is not None:
            return self.startup_error
        assert self.client is not None
        try:
            health = self.client.health()
        except LocationError as exc:
            return exc
        info = health.get("error")
        if health.get("status") != "ok" and isinstance(info, dict):
            return LocationLoadError(
                f"Code location {self.name!r} failed to load: {info.get('message')}",
                info.get("traceback"),
                location=self.name,
            )
        return None

    def spec(self) -> LocationSpec:
        """The current spec, fetched again only when the server's content hash changed."""
        client = self.require_client()
        cached = self._spec
        fresh = client.spec(cached.content_hash if cached is not None else None)
        if fresh is not None:
            self._spec = fresh
            return fresh
        assert cached is not None
        return cached

    # -- managed server ---------------------------------------------------------------------------------
    def _launch(self, run_dir: Path, watch: bool = False) -> None:
        entry = self.entry
        self.client = None
        self.startup_error = None
        self._spec = None
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in entry.name)
        self._ready_file = run_dir / f"{safe}.ready.json"
        self._ready_file.unlink(missing_ok=True)  # left by an earlier server in a kept directory
        self.log_path = run_dir / f"{safe}.log"
        args = [entry.executable_path or sys.executable, "-m", "headwater.cli.main", "code-server", "start"]
        args += ["-m", entry.module_name] if entry.module_name else ["-f", str(entry.python_file)]
        if entry.attribute:
            args += ["-a", entry.attribute]
        if entry.working_directory:
            args += ["-d", entry.working_directory]
        args += [
            "--port",
            "0",
            "--location-name",
            entry.name,
            "--ready-file",
            str(self._ready_file),
            "--parent-pid",
            str(os.getpid()),
        ]
        if watch:
            args.append("--watch")
        self._log = self.log_path.open("wb")
        try:
            self.process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                cwd=entry.working_directory or None,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        except OSError as exc:
            self.startup_error = LocationUnavailableError(
                f"Cannot start the code server of location {self.name!r} with {args[0]!r}: {exc}. "
                "Check executable_path in the workspace file.",
                location=self.name,
            )

    def _poll_ready(self) -> bool:
        """True once the server has announced its address (or failed to start)."""
        if self.startup_error is not None or self.client is not None:
            return True
        assert self.process is not None and self._ready_file is not None
        if self._ready_file.exists():
            data = json.loads(self._ready_file.read_text())
            self.client = LocationClient(data["address"], name=self.name)
            return True
        code = self.process.poll()
        if code is not None:
            self.startup_error = LocationUnavailableError(
                f"The code server of location {self.name!r} exited with status {code} before serving. "
                f"Its output:\n{self._log_tail()}",
                location=self.name,
            )
            return True
        return False

    def _timed_out(self, timeout: float) -> None:
        self._stop()
        self.startup_error = LocationUnavailableError(
            f"The code server of location {self.name!r} did not start within {timeout:g} s. "
            f"Its output so far:\n{self._log_tail()}",
            location=self.name,
        )

    def _log_tail(self, limit: int = 4000) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no output)"
        text = self.log_path.read_bytes()[-limit:].decode(errors="replace").strip()
        return text or "(no output)"

    def _stop(self) -> None:
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_GRACE_SECONDS)
        if self._log is not None:
            self._log.close()
            self._log = None


class Workspace:
    """The locations of a workspace: started (or attached to) by :meth:`start`, stopped by :meth:`close`."""

    def __init__(
        self,
        entries: list[LocationEntry],
        *,
        startup_timeout: float = 60.0,
        log_dir: str | Path | None = None,
        watch: bool = False,
    ) -> None:
        """``watch``: the managed servers reload their code when a ``.py`` file under it changes
        (``code-server start --watch``; what ``headwater dev`` asks for)."""
        self.locations: dict[str, LocationHandle] = {e.name: LocationHandle(e) for e in entries}
        self.watch = watch
        self.startup_timeout = startup_timeout
        self._own_dir = log_dir is None
        self._run_dir = Path(log_dir) if log_dir is not None else None
        self._started = False

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> Workspace:
        return cls(read_workspace_file(path), **kwargs)

    def __enter__(self) -> Workspace:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> Workspace:
        """Start every managed server at once and wait (up to ``startup_timeout``) until each serves."""
        self.launch()
        try:
            self.wait_until_ready()
        except BaseException:
            self.close()
            raise
        return self

    def launch(self) -> Workspace:
        """Start every managed server, without waiting for them (``wait_until_ready`` does): the caller
        can do its own start-up meanwhile."""
        if self._started:
            return self
        self._started = True
        if self._run_dir is None:
            self._run_dir = Path(tempfile.mkdtemp(prefix="headwater-workspace-"))
        self._run_dir.mkdir(parents=True, exist_ok=True)
        managed = [h for h in self.locations.values() if h.entry.is_managed]
        try:
            for handle in managed:
                handle._launch(self._run_dir, self.watch)
        except BaseException:
            self.close()
            raise
        return self

    def wait_until_ready(self) -> None:
        """Wait (up to ``startup_timeout``) until every managed server serves or has failed to start."""
        self._wait_ready([h for h in self.locations.values() if h.entry.is_managed])

    def _wait_ready(self, handles: list[LocationHandle]) -> None:
        deadline = time.monotonic() + self.startup_timeout
        pending = list(handles)
        while pending:
            pending = [h for h in pending if not h._poll_ready()]
            if pending and time.monotonic() >= deadline:
                for handle in pending:
                    handle._timed_out(self.startup_timeout)
                break
            if pending:
                time.sleep(0.02)

    def restart(self, name: str) -> LocationHandle:
        """Stop the server of managed location ``name`` and start it again (a fresh process: what
        Dagster's "shut down the location" leads to where something restarts it). A location this
        workspace does not manage cannot be restarted here: LocationRequestError."""
        handle = self.location(name)
        if not handle.entry.is_managed:
            raise LocationRequestError(
                f"Code location {name!r} is a server this workspace attached to ({handle.entry.address}); "
                "restart it where it runs.",
                status=400,
                kind="not_managed",
                location=name,
            )
        assert self._run_dir is not None, "start() the workspace first"
        handle._stop()
        handle._launch(self._run_dir, self.watch)
        self._wait_ready([handle])
        return handle

    def close(self) -> None:
        """Stop the servers this workspace started (SIGTERM, then SIGKILL after a grace period)."""
        for handle in self.locations.values():
            handle._stop()
        if self._own_dir and self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
            self._run_dir = None
        self._started = False

    # -- access -----------------------------------------------------------------------------------------
    @property
    def location_names(self) -> list[str]:
        return list(self.locations)

    def location(self, name: str) -> LocationHandle:
        try:
            return self.locations[name]
        except KeyError:
            raise LocationRequestError(
                f"No code location {name!r} in this workspace. Locations: {', '.join(self.locations)}.",
                status=404,
                kind="not_found",
            ) from None

    def client(self, name: str) -> LocationClient:
        """The client of ``name``; raises the location's startup error if its server did not start."""
        return self.location(name).require_client()

    def spec(self, name: str) -> LocationSpec:
        """The spec of ``name``; LocationLoadError (with the user's traceback) if its code failed to load."""
        return self.location(name).spec()

    def reload(self, name: str) -> dict[str, Any]:
        return self.client(name).reload()

    def errors(self) -> dict[str, LocationError]:
        """The locations that cannot serve now, with why."""
        found = {name: handle.error() for name, handle in self.locations.items()}
        return {name: error for name, error in found.items() if error is not None}
