"""The run queue loop: every ``dequeue_interval_seconds``, launch the queued runs that the queued run
coordinator's limits and priorities allow (``runs.queue.dequeue_tick``).

A run leaves the queue only while this daemon still leads the loop (``LeaderFence``); and the
QUEUED -> DEQUEUED change is checked by the run status transition table under a row lock, so even a
stale leader that slipped past its check cannot dequeue a run a second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from headwater.runs.protocols import RunLauncher
from headwater.runs.queue import dequeue_tick
from headwater.runs.settings import RunsSettings
from headwater.storage.protocols import Storage

log = logging.getLogger("headwater.daemon")


class RunQueueLoop:
    name = "run_queue"

    def __init__(
        self,
        storage: Storage,
        settings: RunsSettings,
        launcher: RunLauncher,
        *,
        still_leader: Callable[[], bool] | None = None,
    ) -> None:
        self._storage = storage
        self._settings = settings
        self._launcher = launcher
        self._still_leader = still_leader
        self.interval_seconds = settings.dequeue_interval_seconds

    def tick(self, now: float) -> None:
        result = dequeue_tick(
            self._storage,
            now,
            settings=self._settings,
            launcher=self._launcher,
            still_leader=self._still_leader,
        )
        if result.launched or result.failed:
            log.info(
                "Run queue: launched %d run(s), %d failed to launch, %d still queued",
                len(result.launched),
                len(result.failed),
                result.queued_left,
            )
