"""The store protocols: what the instance, the run lifecycle (and the daemon and webserver to come)
need from storage, whatever the database. One implementation, in SQL (``storage.sql``), for SQLite
(a file, or in memory for ephemeral instances), PostgreSQL and MySQL/MariaDB.

* ``RunStore`` -- runs, their tags and status (status changes go through the transition table of
  ``events.run_status``), and content-addressed snapshots (job/plan JSON stored with runs).
* ``EventStore`` -- the event log (storage id = cursor), the asset index, the per-(asset, partition)
  status index and the asset check executions, all updated in the batch that stores the events;
  plus dynamic partitions.
* ``ConcurrencyStore`` -- instance-wide pool limits and the slots steps claim in them.
* ``RunWorkerStore`` -- run-worker heartbeats, read by the run monitor.
* ``BackfillStore`` -- backfills (``storage.backfills``) and the status of their runs.
* ``DaemonHeartbeatStore`` -- the daemon loops' heartbeats and last errors (``headwater daemon status``).
* ``LeaseStore`` -- leader leases: one daemon replica leads each loop (``storage.daemon``).
* ``InstigatorStore`` -- schedule and sensor state (running/stopped, cursor) and their ticks.

``Storage`` holds one of each, in one database. Every method is safe to call from several threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.asset_versions import AssetVersions
from headwater.events.event import Event, EventLogEntry, EventLogRecord
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.selection.partition_status import AssetPartitionStatus
from headwater.storage.automation import AutomationStore
from headwater.storage.backfills import BulkActionsFilter, BulkActionStatus, PartitionBackfill
from headwater.storage.concurrency import PoolInfo
from headwater.storage.daemon import DaemonHeartbeat, Lease
from headwater.storage.instigators import (
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickData,
    TickStatus,
)
from headwater.storage.records import (
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
    AssetIndexSummary,
    AssetPartitionRecord,
    AssetRecord,
    EventLogConnection,
    EventRecordsFilter,
)
from headwater.storage.retention import PruneResult, StorageInfo
from headwater.storage.run_workers import WorkerHeartbeat
from headwater.storage.runs import Run, RunRecord, RunsFilter

#: An event type filter: one type, a set of them, or None for all.
OfType = EventType | Iterable[EventType] | None


class RunStore(Protocol):
    def add_run(self, run: Run) -> Run:
        """Store a new run; raise ``DuplicateRunError`` if its id is taken."""
        ...

    def add_runs(self, runs: Sequence[Run]) -> list[Run]:
        """Store many new runs in one transaction; the ones whose id is taken are left out (returned:
        the runs stored)."""
        ...

    def has_run(self, run_id: str) -> bool: ...

    def get_run_record(self, run_id: str) -> RunRecord | None: ...

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
    ) -> Sequence[RunRecord]:
        """Runs matching ``filters``, newest first unless ``ascending``; ``cursor`` is a run id to
        continue after; ``order_by`` one of ``storage.runs.RUN_ORDER_BY``."""
        ...

    def get_runs_count(self, filters: RunsFilter | None = None) -> int: ...

    def handle_run_event(self, run_id: str, event: Event, timestamp: float) -> RunRecord:
        """Apply the status change a run event implies (``RUN_EVENT_TO_STATUS``), checked by
        ``check_transition``; set start/end times. Raise ``RunNotFoundError`` for an unknown run and
        ``InvalidStatusTransitionError`` for an illegal change (nothing written)."""
        ...

    def add_run_tags(self, run_id: str, new_tags: Mapping[str, str]) -> Run:
        """Merge ``new_tags`` into the run's tags; return the updated run."""
        ...

    def get_run_tags(
        self, tag_keys: Sequence[str], value_prefix: str | None = None, limit: int | None = None
    ) -> Sequence[tuple[str, set[str]]]:
        """For each of ``tag_keys``: the distinct values runs have for it."""
        ...

    def delete_run(self, run_id: str) -> None: ...

    def add_snapshot(self, body: str, kind: str) -> str:
        """Store a JSON snapshot (a job or an execution plan); return its id (sha256 of ``body``)."""
        ...

    def get_snapshot(self, snapshot_id: str) -> str | None: ...

    def wipe(self) -> None: ...

    def dispose(self) -> None: ...


class EventStore(Protocol):
    def store_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        """Store ``entries`` as one atomic batch, updating the asset, partition-status and check
        indexes in the same batch; return their storage ids (increasing, in order)."""
        ...

    def get_logs_for_run(
        self, run_id: str, cursor: int = -1, of_type: OfType = None
    ) -> Sequence[EventLogEntry]:
        """A run's entries in order; ``cursor`` is the index of the last entry already seen."""
        ...

    def get_records_for_run(
        self,
        run_id: str,
        cursor: str | None = None,
        of_type: OfType = None,
        limit: int | None = None,
        ascending: bool = True,
    ) -> EventLogConnection: ...

    def get_event_records(
        self, event_records_filter: EventRecordsFilter, limit: int | None = None, ascending: bool = False
    ) -> Sequence[EventLogRecord]: ...

    def get_maximum_record_id(self) -> int | None: ...

    # -- the asset index
    def get_latest_materialization_events(
        self, asset_keys: Iterable[AssetKey]
    ) -> Mapping[AssetKey, EventLogEntry | None]: ...

    def get_asset_records(self, asset_keys: Sequence[AssetKey] | None = None) -> Sequence[AssetRecord]: ...

    def get_asset_index_summaries(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> Sequence[AssetIndexSummary]:
        """The asset index rows of ``asset_keys`` (None: every asset with an event) with their latest
        events' timestamps, without reading the events: one query for the whole catalog."""
        ...

    def get_asset_versions(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> Mapping[AssetKey, AssetVersions]:
        """The versions the asset index keeps of ``asset_keys`` (None: every asset): their latest
        materialization's and versioned observation's data, code and input versions; one query."""
        ...

    def get_asset_versions_stamp(self) -> tuple[int, ...]:
        """Changes whenever ``get_asset_versions()`` may answer differently (for caches)."""
        ...

    def get_asset_partition_versions(
        self, asset_key: AssetKey, partitions: Sequence[str] | None = None
    ) -> Mapping[str, AssetVersions]:
        """The same for each partition of ``asset_key`` (or of ``partitions``) with a materialization
        or an observation."""
        ...

    def has_asset_key(self, asset_key: AssetKey) -> bool: ...

    def get_asset_keys(
        self, prefix: Sequence[str] | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Sequence[AssetKey]:
        """Known asset keys sorted by ``AssetKey.to_string()``; ``cursor`` is such a string."""
        ...

    def wipe_assets(self, asset_keys: Sequence[AssetKey]) -> None:
        """Forget the assets' index rows, partition status and check executions; their events stay
        in the run logs but are no longer found by asset."""
        ...

    # -- the per-(asset, partition) status index
    def get_asset_partition_records(
        self, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Sequence[AssetPartitionRecord]: ...

    def get_materialized_partitions(
        self, asset_key: AssetKey, before_cursor: int | None = None, after_cursor: int | None = None
    ) -> set[str]: ...

    def get_latest_storage_id_by_partition(
        self,
        asset_key: AssetKey,
        event_type: EventType,
        partitions: set[str] | None = None,
        after_cursor: int | None = None,
    ) -> Mapping[str, int]: ...

    def get_status_by_partition(
        self, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Mapping[str, AssetPartitionStatus]:
        """The status of each partition (of ``partitions``, or all) that has one: materialized,
        failed, or in progress (planned by a run that has not finished); missing ones are left out."""
        ...

    # -- asset checks
    def get_latest_asset_check_execution_by_key(
        self, check_keys: Sequence[AssetCheckKey]
    ) -> Mapping[AssetCheckKey, AssetCheckExecutionRecord]: ...

    def get_asset_check_execution_history(
        self,
        check_key: AssetCheckKey,
        limit: int,
        cursor: int | None = None,
        status: set[AssetCheckExecutionRecordStatus] | None = None,
    ) -> Sequence[AssetCheckExecutionRecord]:
        """Executions newest first; ``cursor`` is an execution id to continue before."""
        ...

    # -- dynamic partitions
    def add_dynamic_partitions(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None: ...

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]: ...

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool: ...

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None: ...

    # -- housekeeping
    def delete_events(self, run_id: str) -> None:
        """Delete a run's events and bring the indexes back in line with the remaining log."""
        ...

    def wipe(self) -> None: ...

    def dispose(self) -> None: ...


class ConcurrencyStore(Protocol):
    """Instance-wide pools (see ``storage.concurrency``)."""

    def set_limit(self, pool: str, limit: int) -> None:
        """Set (replace) ``pool``'s limit; claims already held are kept."""
        ...

    def get_limit(self, pool: str) -> int | None: ...

    def delete_limit(self, pool: str) -> bool:
        """Remove ``pool``'s limit (it becomes unlimited; its claims and pending steps are dropped).
        False when it had none."""
        ...

    def get_pools(self) -> Sequence[str]:
        """The pools with a limit, sorted."""
        ...

    def get_pool_info(self, pool: str) -> PoolInfo: ...

    def claim_slot(self, pool: str, run_id: str, step_key: str, priority: int = 0) -> bool:
        """Claim a slot of ``pool`` for the step; False (and the step recorded as pending) when the pool
        is full. Claiming a slot the step already holds succeeds."""
        ...

    def free_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        """Free the step's slot (and its pending entry); False when it held none."""
        ...

    def free_slots_for_run(self, run_id: str) -> int:
        """Free every slot (and pending entry) of ``run_id``; how many slots were freed."""
        ...


class RunWorkerStore(Protocol):
    """Run-worker heartbeats (see ``storage.run_workers``)."""

    def heartbeat(self, beat: WorkerHeartbeat) -> None:
        """Record (replace) the latest heartbeat of ``beat.run_id``'s worker."""
        ...

    def get_heartbeats(self, run_ids: Iterable[str]) -> Mapping[str, WorkerHeartbeat]:
        """The latest heartbeat of each of ``run_ids`` that has one."""
        ...

    def clear(self, run_id: str) -> None:
        """Forget ``run_id``'s heartbeat (its worker has finished)."""
        ...


class BackfillStore(Protocol):
    """Backfills (see ``storage.backfills``); their progress is their runs."""

    def add_backfill(self, backfill: PartitionBackfill) -> None:
        """Store a new backfill; raise ``DuplicateBackfillError`` if its id is taken."""
        ...

    def update_backfill(self, backfill: PartitionBackfill) -> None:
        """Replace a stored backfill; raise ``BackfillNotFoundError`` if there is none."""
        ...

    def get_backfill(self, backfill_id: str) -> PartitionBackfill | None: ...

    def get_backfills(
        self,
        filters: BulkActionsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        status: BulkActionStatus | None = None,
    ) -> Sequence[PartitionBackfill]:
        """Backfills newest first; ``cursor`` is a backfill id to continue after."""
        ...

    def get_backfills_count(self, filters: BulkActionsFilter | None = None) -> int: ...

    def get_backfill_run_statuses(self, backfill_id: str) -> Mapping[str, RunStatus]:
        """The status of each run of the backfill, by run id."""
        ...

    def wipe(self) -> None: ...


class DaemonHeartbeatStore(Protocol):
    """The daemon loops' heartbeats (see ``storage.daemon``), one per loop name."""

    def add_heartbeat(self, beat: DaemonHeartbeat) -> None:
        """Record (replace) the latest heartbeat of ``beat.loop_name``."""
        ...

    def get_heartbeats(self) -> Mapping[str, DaemonHeartbeat]:
        """The latest heartbeat of every loop that has one, by loop name."""
        ...

    def wipe_heartbeats(self) -> None: ...


class LeaseStore(Protocol):
    """Leader leases (see ``storage.daemon``): at most one holder per name at any ``now``, each change
    decided by one atomic statement in the database, so replicas on other machines agree."""

    def acquire(self, name: str, holder: str, now: float, ttl: float) -> Lease | None:
        """Take or renew the lease ``name`` for ``holder`` until ``now + ttl``; None when another holder
        has it at ``now``. Renewing keeps the token; a new holder (or a holder coming back after its
        lease expired) gets a token one higher than any before."""
        ...

    def renew(self, name: str, holder: str, token: int, now: float, ttl: float) -> Lease | None:
        """Extend the lease to ``now + ttl`` if ``holder`` still has it under ``token`` at ``now``;
        None otherwise (it expired, or has a newer holder)."""
        ...

    def holds(self, name: str, holder: str, token: int, now: float) -> bool:
        """Whether ``holder`` still has the lease under ``token`` at ``now`` (the fencing check)."""
        ...

    def release(self, name: str, holder: str, token: int) -> bool:
        """Give the lease up now (if ``holder`` has it under ``token``), so another replica takes over
        without waiting for the expiry; False when it was not held."""
        ...

    def get_leases(self) -> Sequence[Lease]:
        """Every lease ever taken (expired ones too), sorted by name."""
        ...


class InstigatorStore(Protocol):
    """Schedule and sensor state and their ticks (see ``storage.instigators``)."""

    def get_instigator_state(self, selector_id: str) -> InstigatorState | None: ...

    def all_instigator_state(
        self,
        instigator_type: InstigatorType | None = None,
        statuses: Iterable[InstigatorStatus] | None = None,
    ) -> Sequence[InstigatorState]: ...

    def set_instigator_state(self, state: InstigatorState) -> InstigatorState:
        """Store (insert or replace) the state of ``state.selector_id``."""
        ...

    def delete_instigator_state(self, selector_id: str) -> None: ...

    def create_tick(self, tick_data: TickData) -> InstigatorTick:
        """Store a new tick; ``DuplicateTickError`` if the instigator has one at that timestamp."""
        ...

    def create_ticks(self, ticks: Sequence[TickData]) -> list[InstigatorTick | None]:
        """Store many new ticks in one transaction; None in place of each that exists already."""
        ...

    def update_tick(self, tick: InstigatorTick) -> InstigatorTick:
        """Replace a stored tick's data (its status, runs, error...)."""
        ...

    def update_ticks(self, ticks: Sequence[InstigatorTick]) -> None:
        """``update_tick`` for many ticks, in one transaction."""
        ...

    def get_tick(self, selector_id: str, timestamp: float) -> InstigatorTick | None: ...

    def get_ticks(
        self,
        selector_id: str,
        before: float | None = None,
        after: float | None = None,
        limit: int | None = None,
        statuses: Iterable[TickStatus] | None = None,
    ) -> Sequence[InstigatorTick]:
        """Ticks newest first; ``before``/``after`` are exclusive timestamp bounds."""
        ...

    def get_latest_ticks(self, selector_ids: Iterable[str]) -> Mapping[str, InstigatorTick]:
        """The newest tick of each of ``selector_ids`` that has one (one query)."""
        ...

    def purge_ticks(self, selector_id: str, before: float) -> int:
        """Delete the instigator's ticks older than ``before``; how many were deleted."""
        ...


class Storage(Protocol):
    """Every store, in one database; the one object the instance, the run lifecycle, the daemon and
    the webserver are handed. Adding a store: see the ``headwater.storage`` docstring."""

    @property
    def run_store(self) -> RunStore: ...

    @property
    def event_store(self) -> EventStore: ...

    @property
    def concurrency(self) -> ConcurrencyStore: ...

    @property
    def run_workers(self) -> RunWorkerStore: ...

    @property
    def backfills(self) -> BackfillStore: ...

    @property
    def daemon_heartbeats(self) -> DaemonHeartbeatStore: ...

    @property
    def leases(self) -> LeaseStore: ...

    @property
    def instigators(self) -> InstigatorStore: ...

    @property
    def automation(self) -> AutomationStore: ...

    @property
    def clock(self) -> Callable[[], float]:
        """The time (epoch seconds) the stores stamp rows with; a ``FakeClock`` in tests."""
        ...

    @property
    def is_in_memory(self) -> bool:
        """True when the data lives in this process's memory: no other process can reach it."""
        ...

    def handle_new_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        """Store ``entries`` (as ``EventStore.store_events``) and apply the run status changes of
        run events (as ``RunStore.handle_run_event``) atomically, in one transaction. An unknown run or
        an illegal status change raises and nothing is written."""
        ...

    def prune(self, before: float, *, dry_run: bool = False) -> PruneResult:
        """Delete finished runs that ended before ``before`` (epoch seconds) and their events, keeping
        every event an asset or partition index row points at (see ``storage.retention``)."""
        ...

    def info(self) -> StorageInfo: ...

    def dispose(self) -> None:
        """Release the connections (a persistent store reconnects on next use; an in-memory one is
        gone)."""
        ...
