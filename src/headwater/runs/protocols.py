"""The two roles of the run lifecycle: a launcher (where a run's worker starts) and a coordinator
(when). Everything else the lifecycle needs is a store.

``runs`` sits below ``instance`` (DESIGN.md §2) and never sees an ``Instance``: its functions take the
``Storage`` (every store, and the clock rows are stamped with), and where they start runs a
``RunLauncher`` and ``RunCoordinator``; the settings they need are arguments. The instance, the daemon
and the webserver call them with what they hold.
"""

from __future__ import annotations

from typing import Protocol

from headwater.storage.protocols import Storage
from headwater.storage.runs import Run


class RunLauncher(Protocol):
    """Starts a run's worker somewhere; the run is NOT_STARTED when handed over."""

    def launch_run(self, storage: Storage, run: Run) -> Run: ...


class RunCoordinator(Protocol):
    """Decides when a created run is launched (by ``launcher``)."""

    def submit_run(self, storage: Storage, launcher: RunLauncher, run: Run) -> Run: ...
