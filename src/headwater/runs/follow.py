"""Following a run from another process: its new events as they are stored, until it finishes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from headwater.errors import RunNotFoundError
from headwater.events.event import EventLogEntry
from headwater.runs.run_events import get_run
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run


class RunFollower:
    """Reads a run's events after a cursor; ``poll()`` returns the new ones (oldest first)."""

    def __init__(self, storage: Storage, run_id: str, cursor: str | None = None) -> None:
        self.storage = storage
        self.run_id = run_id
        self.cursor = cursor

    def poll(self) -> list[EventLogEntry]:
        out: list[EventLogEntry] = []
        while True:
            page = self.storage.event_store.get_records_for_run(self.run_id, cursor=self.cursor, limit=1000)
            out.extend(r.event_log_entry for r in page.records)
            if page.records:
                self.cursor = page.cursor
            if not page.has_more:
                return out


def follow_run(
    storage: Storage,
    run_id: str,
    on_events: Callable[[Sequence[EventLogEntry]], None],
    *,
    poll_interval: float = 0.1,
    timeout: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Run:
    """Call ``on_events`` with each batch of new events of ``run_id`` until the run has finished (and
    its last events are read) or ``timeout`` seconds pass; return the run as it is then."""
    follower = RunFollower(storage, run_id)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        run = get_run(storage, run_id)
        if run is None:
            raise RunNotFoundError(f"No run {run_id} in this instance.")
        entries = follower.poll()
        if entries:
            on_events(entries)
        if run.is_finished:
            return run
        if deadline is not None and time.monotonic() > deadline:
            return run
        sleep(poll_interval)
