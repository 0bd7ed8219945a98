"""The run monitoring loop: every ``poll_interval_seconds`` (default 30), end the runs whose worker
stopped heartbeating or exited (``runs.monitor.monitor_tick``: FAILURE or CANCELED, pool slots
freed), then retry the failed runs tagged ``dagster/max_retries`` (``runs.retry.retry_tick``)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from headwater.runs.monitor import monitor_tick
from headwater.runs.protocols import RunCoordinator, RunLauncher
from headwater.runs.retry import retry_tick
from headwater.runs.settings import RunsSettings
from headwater.storage.protocols import Storage

log = logging.getLogger("headwater.daemon")


class RunMonitoringLoop:
    name = "run_monitoring"

    def __init__(
        self,
        storage: Storage,
        settings: RunsSettings,
        coordinator: RunCoordinator,
        launcher: RunLauncher,
        *,
        still_leader: Callable[[], bool] | None = None,
    ) -> None:
        self._storage = storage
        self._settings = settings
        self._coordinator = coordinator
        self._launcher = launcher
        self._still_leader = still_leader
        self.interval_seconds = settings.monitoring_poll_interval_seconds

    def tick(self, now: float) -> None:
        result = monitor_tick(self._storage, now, self._settings.heartbeat_timeout_seconds)
        for run_id, reason in result.failed:
            log.warning("Run monitoring: run %s ended: %s", run_id, reason)
        if self._still_leader is not None and not self._still_leader():
            log.warning("No longer the run monitoring leader: leaving retries to the new one")
            return
        retries = retry_tick(self._storage, now, coordinator=self._coordinator, launcher=self._launcher)
        for failed, child in retries.retried:
            log.info("Run monitoring: retrying run %s as %s", failed, child)
