"""run_code_server: load the code, bind, announce the address, serve until stopped.

The code is loaded before the server answers, and a load error does not stop it: the server starts
anyway and serves the error (with the user's traceback) until a reload succeeds. When ``ready_file``
is given, the bound address is written there (atomically) once the server answers requests; when
``parent_pid`` is given, the server exits when that process does (servers started by a Workspace).
With ``watch``, a change to a ``.py`` file under the code's directories reloads the location
(``watch.CodeWatcher``); the watcher is in place before the ready file is written.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from headwater.locations.client.address import LocationAddress
from headwater.locations.server.code_location import CodeLocation, CodeTarget
from headwater.locations.server.http_server import CodeServer


def run_code_server(
    target: CodeTarget,
    address: LocationAddress,
    *,
    name: str | None = None,
    ready_file: str | None = None,
    parent_pid: int | None = None,
    watch: bool = False,
) -> int:
    # Reload must see edited sources even when an edit keeps the size and mtime second of the file.
    sys.dont_write_bytecode = True
    server = CodeServer(None, address)  # bind first: a taken port fails before the (slow) load
    location = server.location = CodeLocation(target, name)
    stop = threading.Event()

    def request_stop(signum: int = 0, frame: FrameType | None = None) -> None:
        if not stop.is_set():
            stop.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    if parent_pid is not None:
        threading.Thread(target=_watch_parent, args=(parent_pid, stop, request_stop), daemon=True).start()
    snap = location.snapshot
    state = "loaded" if snap.error is None else f"failed to load ({snap.error.message})"
    print(
        f"headwater code-server: location {location.name!r} {state}; serving on {server.bound_address}",
        file=sys.stderr,
        flush=True,
    )
    watcher = None
    if watch:
        from headwater.locations.server.watch import CodeWatcher

        watcher = CodeWatcher(location, stop=stop).start()
        print(
            f"headwater code-server: watching {', '.join(watcher.directories)} for changes to .py files",
            file=sys.stderr,
            flush=True,
        )
    if ready_file is not None:
        _write_ready(ready_file, server.bound_address)
    try:
        server.serve_forever()
    finally:
        if watcher is not None:
            watcher.stop()
    return 0


def _watch_parent(parent_pid: int, stop: threading.Event, request_stop: object) -> None:
    while not stop.wait(0.5):
        if os.getppid() != parent_pid:
            request_stop()  # type: ignore[operator]
            return


def _write_ready(path: str, address: LocationAddress) -> None:
    data = {"address": str(address), "pid": os.getpid()}
    tmp = Path(f"{path}.tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)
