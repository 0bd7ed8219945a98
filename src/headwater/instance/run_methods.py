"""The run half of ``Instance`` (out-of-process runs): its run coordinator and run launcher, from the
``run_coordinator``/``run_launcher``/``run_monitoring`` sections of ``headwater.yaml`` (``runs.settings``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.errors import RunNotFoundError
from headwater.runs.coordinator import RunCoordinator, coordinator_for
from headwater.runs.launcher import DefaultRunLauncher
from headwater.runs.protocols import RunLauncher
from headwater.runs.run_events import get_run
from headwater.runs.settings import RunsSettings
from headwater.storage.daemon import DaemonHeartbeat
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run


class RunMethods:
    """Mixed into ``Instance``: Dagster's ``run_coordinator``, ``run_launcher``, ``submit_run``,
    ``launch_run`` -- the ``runs`` package called with the instance's storage."""

    _storage: Storage
    _root: str | None
    _runs_settings: RunsSettings | None = None
    _run_coordinator: RunCoordinator | None = None
    _run_launcher: RunLauncher | None = None

    def configure_runs(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        coordinator: RunCoordinator | None = None,
        launcher: RunLauncher | None = None,
    ) -> None:
        """Set the run settings from ``headwater.yaml`` content (validated), or the parts directly."""
        if config is not None:
            self._runs_settings = RunsSettings.from_config(config)
            self._run_coordinator = None
        if coordinator is not None:
            self._run_coordinator = coordinator
            queued = getattr(coordinator, "settings", None)
            if isinstance(queued, RunsSettings):  # a QueuedRunCoordinator(...) built in Python
                self._runs_settings = queued
        if launcher is not None:
            if isinstance(launcher, DefaultRunLauncher) and launcher.home is None:
                # The worker opens this instance's storage at its home.
                launcher.home = None if self._storage.is_in_memory else self._root
            self._run_launcher = launcher

    @property
    def runs_settings(self) -> RunsSettings:
        if self._runs_settings is None:
            self._runs_settings = RunsSettings()
        return self._runs_settings

    @property
    def run_coordinator(self) -> RunCoordinator:
        if self._run_coordinator is None:
            self._run_coordinator = coordinator_for(self.runs_settings)
        return self._run_coordinator

    @property
    def run_launcher(self) -> RunLauncher:
        if self._run_launcher is None:
            # A worker opens the instance at its home (HEADWATER_HOME): none for an in-memory store, or
            # for an instance built without a root directory.
            home = None if self._storage.is_in_memory else self._root
            self._run_launcher = DefaultRunLauncher(home=home)
        return self._run_launcher

    def get_required_daemon_types(self) -> list[str]:
        """The daemon loops this instance needs, by Headwater's loop names (Dagster's method; its
        names are ``QUEUED_RUN_COORDINATOR``, ``MONITORING``...): the run queue with a queued run
        coordinator, run monitoring unless ``run_monitoring.enabled`` is false, the scheduler, sensors,
        backfills, automation and auto-observation always. ``headwater daemon run`` runs these
        (``daemon.loops``), status and the UI report on them."""
        settings = self.runs_settings
        names = []
        if settings.coordinator == "queued":
            names.append("run_queue")
        if settings.monitoring_enabled:
            names.append("run_monitoring")
        names += ["scheduler", "sensors", "backfills", "automation", "auto_observe"]
        return names

    def get_daemon_heartbeats(self) -> Mapping[str, DaemonHeartbeat]:
        """The latest heartbeat of each daemon loop, by loop name."""
        return self._storage.daemon_heartbeats.get_heartbeats()

    def wipe_daemon_heartbeats(self) -> None:
        self._storage.daemon_heartbeats.wipe_heartbeats()

    def _run(self, run_id: str) -> Run:
        run = get_run(self._storage, run_id)
        if run is None:
            raise RunNotFoundError(f"No run {run_id} in this instance; `headwater run list` shows the runs.")
        return run

    def submit_run(self, run_id: str) -> Run:
        """Hand a created run to the run coordinator (launch now, or queue)."""
        return self.run_coordinator.submit_run(self._storage, self.run_launcher, self._run(run_id))

    def launch_run(self, run_id: str) -> Run:
        """Start a created run's worker through the run launcher, bypassing the coordinator."""
        return self.run_launcher.launch_run(self._storage, self._run(run_id))
