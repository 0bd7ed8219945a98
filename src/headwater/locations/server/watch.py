"""CodeWatcher: reload a code location when a Python file under its code directories changes
(``headwater code-server start --watch``; ``headwater dev`` watches the same way).

One daemon thread runs ``watchfiles.watch`` over the directories that a reload re-imports
(``code_roots``), keeps only ``.py`` changes outside ``__pycache__``, ``.git``, ``.venv`` and the like,
and groups a burst of changes (an editor's save, a ``git checkout``) into one reload. A reload that
fails leaves the server up, serving the load error, as ``POST /reload`` does; the next change retries.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable

import watchfiles

from headwater.locations.server.code_location import CodeLocation, Snapshot, code_roots

#: Changes closer together than this (ms) make one reload.
DEBOUNCE_MS = 400
#: How long (ms) the tree must be quiet before a burst of changes is reloaded.
STEP_MS = 100
#: How often (ms) the watching thread wakes without changes (to see ``stop``).
WAKE_MS = 200


def watched_directories(roots: Iterable[str]) -> list[str]:
    """The existing directories among ``roots``, without those inside another one."""
    dirs = sorted({os.path.realpath(r) for r in roots if os.path.isdir(r)})
    return [d for d in dirs if not any(d != o and d.startswith(o + os.sep) for o in dirs)]


def _describe(snap: Snapshot) -> str:
    if snap.error is not None:
        return f"failed to reload; serving the error until a change fixes it: {snap.error.message}"
    return f"reloaded (spec {(snap.content_hash or '')[:12]})"


class CodeWatcher:
    """Watches ``location``'s code directories from a daemon thread and reloads it on a change.

    ``start()`` returns once the directories are watched (a change made after it returns is seen);
    setting ``stop`` (or calling ``stop()``) ends the thread within ``WAKE_MS``.
    """

    def __init__(
        self,
        location: CodeLocation,
        *,
        stop: threading.Event | None = None,
        report: Callable[[str], None] | None = None,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        self.location = location
        self.directories = watched_directories(code_roots(location.target))
        self.reloads = 0
        self._stop = stop or threading.Event()
        self._report = report or _print_stderr
        self._debounce_ms = debounce_ms
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="headwater-code-watcher", daemon=True)

    def start(self, timeout: float = 10.0) -> CodeWatcher:
        self._thread.start()
        if not self._ready.wait(timeout) and self._thread.is_alive():
            self._report(f"still setting up the file watcher after {timeout:.0f} s; changes may be missed")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            for changes in watchfiles.watch(
                *self.directories,
                watch_filter=watchfiles.PythonFilter(),
                debounce=self._debounce_ms,
                step=STEP_MS,
                rust_timeout=WAKE_MS,
                yield_on_timeout=True,
                stop_event=self._stop,
                raise_interrupt=False,
            ):
                self._ready.set()  # the first wake-up: the watches are in place
                if changes and not self._stop.is_set():
                    self._reload(sorted(path for _, path in changes))
        except Exception as exc:  # e.g. out of inotify watches: say so; the server goes on unwatched
            self._report(f"file watching stopped: {type(exc).__name__}: {exc}")
        finally:
            self._ready.set()

    def _reload(self, paths: list[str]) -> None:
        root = next((d for d in self.directories if paths[0].startswith(d + os.sep)), None)
        first = os.path.relpath(paths[0], root) if root is not None else paths[0]
        more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
        try:
            snap = self.location.reload()
        except Exception as exc:  # reload holds load errors itself; anything else must not kill the watcher
            self._report(f"{first}{more} changed; reload raised {type(exc).__name__}: {exc}")
            return
        self.reloads += 1
        self._report(f"{first}{more} changed; location {self.location.name!r} {_describe(snap)}")


def _print_stderr(message: str) -> None:
    print(f"headwater code-server: {message}", file=sys.stderr, flush=True)
