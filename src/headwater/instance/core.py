"""``Instance``: the composition root -- storage (and later coordinator, launcher, locations).

Dagster's ``DagsterInstance`` method names where the concept is the same. Importing this module
imports no database driver; the SQL store is imported when an instance is made (an ephemeral one
too: SQLite in memory).
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.ids import make_new_run_id
from headwater.events.event import Event, EventLogEntry, EventLogRecord
from headwater.events.event_type import EventType
from headwater.events.payloads import EngineEventData, RunFailureData
from headwater.events.run_status import RunStatus
from headwater.instance.asset_methods import AssetMethods
from headwater.instance.backfill_methods import BackfillMethods
from headwater.instance.concurrency_methods import ConcurrencyMethods
from headwater.instance.config import CONFIG_FILE, home_directory, read_config_file, retry_policy, storage_url
from headwater.instance.instigator_methods import InstigatorMethods
from headwater.instance.maintenance import MaintenanceMethods
from headwater.instance.run_methods import RunMethods  # runs out of process (runs package)
from headwater.storage.errors import StorageUnavailableError
from headwater.storage.protocols import EventStore, OfType, RunStore, Storage
from headwater.storage.records import (
    EventLogConnection,
    EventRecordsFilter,
)
from headwater.storage.runs import Run, RunRecord, RunsFilter


def _make_temp_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="headwater-")


def _remove_tree(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


class Instance(
    AssetMethods, BackfillMethods, MaintenanceMethods, RunMethods, ConcurrencyMethods, InstigatorMethods
):
    """Where runs and events are stored and how runs are executed (Dagster's ``DagsterInstance``).

    ``clock`` stamps the events the instance reports itself (default: the storage's clock)."""

    def __init__(
        self,
        storage: Storage,
        *,
        root_directory: str | os.PathLike[str] | None = None,
        clock: Callable[[], float] | None = None,
        is_ephemeral: bool = False,
    ) -> None:
        self._storage = storage
        self._runs: RunStore = storage.run_store
        self._events: EventStore = storage.event_store
        self._root = os.fspath(root_directory) if root_directory is not None else None
        self._clock = clock or storage.clock
        self._is_ephemeral = is_ephemeral
        self._cleanup: weakref.finalize[Any, Any] | None = None
        self._disposed = False
        self._interrupted_runs: dict[str, str] = {}

    @property
    def clock(self) -> Callable[[], float]:
        """Where this instance's times come from (epoch seconds): the storage's clock unless given."""
        return self._clock

    # -- construction
    @staticmethod
    def ephemeral(tempdir: str | os.PathLike[str] | None = None) -> Instance:
        """An instance whose storage is SQLite in this process's memory (gone after ``dispose()``; other
        processes cannot reach it); its root directory is ``tempdir`` or a temporary directory made on
        first use and removed by ``dispose()``."""
        from headwater.storage.sql import SqlStorage

        return Instance(SqlStorage.in_memory(), root_directory=tempdir, is_ephemeral=True)

    @staticmethod
    def local_temp(
        tempdir: str | os.PathLike[str] | None = None, overrides: Mapping[str, Any] | None = None
    ) -> Instance:
        """An instance with SQLite storage in ``tempdir`` (a new temporary directory, removed by
        ``dispose()``, when not given); ``overrides`` is ``headwater.yaml`` content."""
        root = os.fspath(tempdir) if tempdir is not None else _make_temp_dir()
        instance = Instance.from_config(overrides or {}, root)
        if tempdir is None:
            instance._cleanup = weakref.finalize(instance, _remove_tree, root)
        return instance

    @staticmethod
    def get(*, upgrade: bool = False) -> Instance:
        """The instance ``$HEADWATER_HOME/headwater.yaml`` describes (``$HEADWATER_HOME`` defaults to
        ``./.headwater``); without that file, SQLite storage at ``$HEADWATER_HOME/headwater.db``.

        A store at an older schema revision raises ``SchemaMismatchError`` unless ``upgrade``
        (``headwater instance migrate``)."""
        home = home_directory()
        path = home / CONFIG_FILE
        config = read_config_file(path) if path.is_file() else {}
        return Instance.from_config(config, home, config_path=path, upgrade=upgrade)

    @staticmethod
    def from_config(
        config: Mapping[str, Any],
        home: str | os.PathLike[str],
        *,
        config_path: Path | None = None,
        upgrade: bool = False,
    ) -> Instance:
        """An instance rooted at ``home`` from ``headwater.yaml`` content (see ``instance.config``)."""
        url = storage_url(config, Path(home).resolve(), config_path)
        retry = retry_policy(config)
        from headwater.storage.sql import SqlStorage

        instance = Instance(SqlStorage(url, upgrade=upgrade, retry=retry), root_directory=home)
        instance.configure_runs(config)  # run_coordinator / run_launcher / run_monitoring (runs package)
        return instance

    def __repr__(self) -> str:
        return f"Instance(storage={self._storage!r}, root_directory={self._root!r})"

    # -- directories and stores
    @property
    def root_directory(self) -> str:
        if self._root is None:
            self._root = _make_temp_dir()
            self._cleanup = weakref.finalize(self, _remove_tree, self._root)
        return self._root

    def storage_directory(self) -> str:
        """Where the default ``FilesystemIOManager`` keeps values: ``<root>/storage``, which is
        ``$HEADWATER_HOME/storage`` for ``Instance.get()``."""
        return os.path.join(self.root_directory, "storage")

    @property
    def is_ephemeral(self) -> bool:
        return self._is_ephemeral

    @property
    def storage(self) -> Storage:
        return self._storage

    @property
    def run_storage(self) -> RunStore:
        return self._runs

    @property
    def event_log_storage(self) -> EventStore:
        return self._events

    def dispose(self) -> None:
        if self._disposed:
            return
        self._disposed = True
        self._recover_before_dispose()
        self._storage.dispose()
        if self._cleanup is not None:
            self._cleanup()

    def __enter__(self) -> Instance:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.dispose()

    # -- runs
    def create_run(
        self,
        *,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        status: RunStatus | None = None,
        asset_selection: Iterable[AssetKey] | None = None,
        asset_check_selection: Iterable[AssetCheckKey] | None = None,
        step_keys_to_execute: Sequence[str] | None = None,
        run_id: str | None = None,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
        op_selection: Sequence[str] | None = None,
        resolved_op_selection: Iterable[str] | None = None,
        job_snapshot_id: str | None = None,
        execution_plan_snapshot_id: str | None = None,
    ) -> Run:
        """Store a new run (status ``NOT_STARTED`` unless given) and return it."""
        run = Run(
            job_name=job_name,
            run_id=run_id or make_new_run_id(),
            run_config=run_config or {},
            asset_selection=frozenset(asset_selection) if asset_selection is not None else None,
            asset_check_selection=frozenset(asset_check_selection)
            if asset_check_selection is not None
            else None,
            op_selection=tuple(op_selection) if op_selection is not None else None,
            resolved_op_selection=frozenset(resolved_op_selection)
            if resolved_op_selection is not None
            else None,
            step_keys_to_execute=tuple(step_keys_to_execute) if step_keys_to_execute is not None else None,
            status=status or RunStatus.NOT_STARTED,
            tags=tags or {},
            root_run_id=root_run_id,
            parent_run_id=parent_run_id,
            job_snapshot_id=job_snapshot_id,
            execution_plan_snapshot_id=execution_plan_snapshot_id,
        )
        return self._runs.add_run(run)

    def add_run(self, dagster_run: Run) -> Run:
        return self._runs.add_run(dagster_run)

    def has_run(self, run_id: str) -> bool:
        return self._runs.has_run(run_id)

    def get_run_by_id(self, run_id: str) -> Run | None:
        record = self._runs.get_run_record(run_id)
        return record.dagster_run if record is not None else None

    def get_run_record_by_id(self, run_id: str) -> RunRecord | None:
        return self._runs.get_run_record(run_id)

    def get_runs(
        self,
        filters: RunsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        ascending: bool = False,
    ) -> Sequence[Run]:
        records = self._runs.get_run_records(filters, limit=limit, ascending=ascending, cursor=cursor)
        return [r.dagster_run for r in records]

    def get_run_ids(
        self, filters: RunsFilter | None = None, cursor: str | None = None, limit: int | None = None
    ) -> Sequence[str]:
        return [r.run_id for r in self.get_runs(filters, cursor=cursor, limit=limit)]

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
    ) -> Sequence[RunRecord]:
        return self._runs.get_run_records(
            filters, limit=limit, order_by=order_by, ascending=ascending, cursor=cursor
        )

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        return self._runs.get_runs_count(filters)

    def add_run_tags(self, run_id: str, new_tags: Mapping[str, str]) -> None:
        self._runs.add_run_tags(run_id, new_tags)

    def get_run_tags(
        self, tag_keys: Sequence[str], value_prefix: str | None = None, limit: int | None = None
    ) -> Sequence[tuple[str, set[str]]]:
        return self._runs.get_run_tags(tag_keys, value_prefix, limit)

    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events."""
        self._events.delete_events(run_id)
        self._runs.delete_run(run_id)

    def add_snapshot(self, body: str, kind: str) -> str:
        """Store a JSON snapshot (job or execution plan); return its content id."""
        return self._runs.add_snapshot(body, kind)

    def get_snapshot(self, snapshot_id: str) -> str | None:
        return self._runs.get_snapshot(snapshot_id)

    # -- writing events
    def handle_new_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        """Store ``entries`` and apply the run status changes of run events, atomically (one
        transaction on SQL stores); returns the entries' storage ids.

        An unknown run or an illegal status change raises before anything is written. When the
        database stays unreachable through the retries, ``StorageUnavailableError`` is raised and the
        batch's runs are remembered: once storage answers again (the next write, or ``dispose()``),
        those still in progress are marked FAILED (see ``recover_from_storage_outage``).
        """
        entries = list(entries)
        if self._interrupted_runs:
            self.recover_from_storage_outage()
        try:
            return self._storage.handle_new_events(entries)
        except StorageUnavailableError as exc:
            for entry in entries:
                self._interrupted_runs.setdefault(entry.run_id, str(exc))
            raise

    def handle_new_event(self, event: EventLogEntry) -> int:
        return self.handle_new_events([event])[0]

    def handle_events(self, entries: Sequence[EventLogEntry]) -> None:
        """``EventSink`` protocol: same as ``handle_new_events``."""
        self.handle_new_events(entries)

    def store_event(self, event: EventLogEntry) -> None:
        """Store one entry without applying run status changes (Dagster's ``store_event``)."""
        self._events.store_events([event])

    def report_dagster_event(
        self, dagster_event: Event, run_id: str, log_level: int = logging.INFO, timestamp: float | None = None
    ) -> None:
        entry = EventLogEntry(
            run_id,
            self._clock() if timestamp is None else timestamp,
            dagster_event,
            job_name=dagster_event.job_name,
            step_key=dagster_event.step_key,
            level=log_level,
            user_message=dagster_event.message or "",
        )
        self.handle_new_events([entry])

    def report_run_failed(
        self, dagster_run: Run, message: str | None = None, job_failure_data: RunFailureData | None = None
    ) -> Event:
        """Mark ``dagster_run`` failed from outside its execution: store a RUN_FAILURE event."""
        event = Event(
            EventType.RUN_FAILURE,
            dagster_run.job_name,
            message=message or "This run has been marked as failed from outside the execution context.",
            event_specific_data=job_failure_data,
        )
        self.report_dagster_event(event, dagster_run.run_id, logging.ERROR)
        return event

    def report_run_canceled(self, dagster_run: Run, message: str | None = None) -> Event:
        event = Event(
            EventType.RUN_CANCELED,
            dagster_run.job_name,
            message=message or "This run has been marked as canceled from outside the execution context.",
        )
        self.report_dagster_event(event, dagster_run.run_id, logging.ERROR)
        return event

    def report_engine_event(
        self,
        message: str,
        dagster_run: Run,
        engine_event_data: EngineEventData | None = None,
        step_key: str | None = None,
    ) -> Event:
        event = Event(
            EventType.ENGINE_EVENT,
            dagster_run.job_name,
            step_key=step_key,
            message=message,
            event_specific_data=engine_event_data or EngineEventData(),
        )
        self.report_dagster_event(event, dagster_run.run_id)
        return event

    # -- reading events
    def all_logs(self, run_id: str, of_type: OfType = None) -> Sequence[EventLogEntry]:
        return self._events.get_logs_for_run(run_id, of_type=of_type)

    def get_records_for_run(
        self,
        run_id: str,
        cursor: str | None = None,
        of_type: OfType = None,
        limit: int | None = None,
        ascending: bool = True,
    ) -> EventLogConnection:
        return self._events.get_records_for_run(run_id, cursor, of_type, limit, ascending)

    def get_event_records(
        self, event_records_filter: EventRecordsFilter, limit: int | None = None, ascending: bool = False
    ) -> Sequence[EventLogRecord]:
        return self._events.get_event_records(event_records_filter, limit, ascending)

    # -- maintenance
    def wipe(self) -> None:
        """Delete every run, event, index row and backfill (tests and ``headwater wipe``)."""
        self._runs.wipe()
        self._events.wipe()
        self._storage.backfills.wipe()
