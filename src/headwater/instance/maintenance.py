"""The housekeeping half of ``Instance``: retention, storage info, recovery after a storage outage."""

from __future__ import annotations

import logging
from collections.abc import Callable

from headwater.errors import StorageError
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.protocols import Storage
from headwater.storage.retention import PruneResult, StorageInfo

log = logging.getLogger("headwater.instance")


class MaintenanceMethods:
    """Mixed into ``Instance``."""

    _storage: Storage
    _clock: Callable[[], float]
    _interrupted_runs: dict[str, str]

    def prune(self, older_than: float, *, dry_run: bool = False, now: float | None = None) -> PruneResult:
        """Delete finished runs that ended more than ``older_than`` seconds before ``now`` and their
        events, keeping each asset's and each partition's latest events (``storage.retention``)."""
        before = (self._clock() if now is None else now) - older_than
        return self._storage.prune(before, dry_run=dry_run)

    def storage_info(self) -> StorageInfo:
        """Backend, location, schema revision, and how many runs and events are stored."""
        return self._storage.info()

    @property
    def runs_interrupted_by_storage_outage(self) -> list[str]:
        """Runs whose events could not be stored because the database was unreachable."""
        return list(self._interrupted_runs)

    def recover_from_storage_outage(self) -> list[str]:
        """Mark FAILED the runs whose events could not be stored during an outage (those not already
        finished); returns their ids. Raises ``StorageUnavailableError`` if storage is still away."""
        failed: list[str] = []
        for run_id, reason in list(self._interrupted_runs.items()):
            record = self._storage.run_store.get_run_record(run_id)
            if record is not None and not record.dagster_run.is_finished:
                run = record.dagster_run
                message = (
                    f"Run {run_id} marked failed: some of its events could not be stored while the "
                    f"storage was unreachable, so its record is incomplete. The error was: {reason}"
                )
                event = Event(EventType.RUN_FAILURE, run.job_name, message=message)
                entry = EventLogEntry(
                    run_id, self._clock(), event, job_name=run.job_name, level=logging.ERROR,
                    user_message=message,
                )  # fmt: skip
                self._storage.handle_new_events([entry])
                failed.append(run_id)
                log.error(message)
            del self._interrupted_runs[run_id]
        return failed

    def _recover_before_dispose(self) -> None:
        if not self._interrupted_runs:
            return
        try:
            self.recover_from_storage_outage()
        except StorageError as exc:
            log.warning(
                "Could not mark runs %s failed after a storage outage (%s); they stay in progress until "
                "they are marked failed (Instance.report_run_failed) once storage is back.",
                ", ".join(self._interrupted_runs), exc,
            )  # fmt: skip
