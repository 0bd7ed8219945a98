"""What the run lifecycle needs from an instance, launcher and coordinator (structural types).

``runs`` sits below ``instance`` (DESIGN.md §2): it never imports it. ``headwater.instance.Instance``
satisfies ``RunsInstance``; mypy checks that where the instance hands itself to these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.payloads import EngineEventData, RunFailureData
from headwater.events.run_status import RunStatus
from headwater.storage.protocols import OfType, Storage
from headwater.storage.records import EventLogConnection
from headwater.storage.runs import Run, RunRecord, RunsFilter

if TYPE_CHECKING:
    from headwater.runs.settings import RunsSettings


class RunsInstance(Protocol):
    @property
    def storage(self) -> Storage: ...

    @property
    def root_directory(self) -> str: ...

    @property
    def is_ephemeral(self) -> bool: ...

    @property
    def runs_settings(self) -> RunsSettings: ...

    @property
    def run_launcher(self) -> RunLauncher: ...

    def create_run(
        self,
        *,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        status: RunStatus | None = None,
        asset_selection: Iterable[AssetKey] | None = None,
        step_keys_to_execute: Sequence[str] | None = None,
        run_id: str | None = None,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
        job_snapshot_id: str | None = None,
        execution_plan_snapshot_id: str | None = None,
    ) -> Run: ...

    def get_run_by_id(self, run_id: str) -> Run | None: ...

    def get_run_record_by_id(self, run_id: str) -> RunRecord | None: ...

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
    ) -> Sequence[RunRecord]: ...

    def add_run_tags(self, run_id: str, new_tags: Mapping[str, str]) -> None: ...

    def free_concurrency_slots_for_run(self, run_id: str) -> int: ...

    def submit_run(self, run_id: str) -> Run: ...

    def add_snapshot(self, body: str, kind: str) -> str: ...

    def get_snapshot(self, snapshot_id: str) -> str | None: ...

    def handle_new_events(self, entries: Sequence[EventLogEntry]) -> list[int]: ...

    def report_run_failed(
        self, dagster_run: Run, message: str | None = None, job_failure_data: RunFailureData | None = None
    ) -> Event: ...

    def report_run_canceled(self, dagster_run: Run, message: str | None = None) -> Event: ...

    def report_engine_event(
        self,
        message: str,
        dagster_run: Run,
        engine_event_data: EngineEventData | None = None,
        step_key: str | None = None,
    ) -> Event: ...

    def all_logs(self, run_id: str, of_type: OfType = None) -> Sequence[EventLogEntry]: ...

    def get_records_for_run(
        self,
        run_id: str,
        cursor: str | None = None,
        of_type: OfType = None,
        limit: int | None = None,
        ascending: bool = True,
    ) -> EventLogConnection: ...


class RunLauncher(Protocol):
    """Starts a run's worker somewhere; the run is NOT_STARTED when handed over."""

    def launch_run(self, instance: RunsInstance, run: Run) -> Run: ...


class RunCoordinator(Protocol):
    """Decides when a created run is launched."""

    def submit_run(self, instance: RunsInstance, run: Run) -> Run: ...
