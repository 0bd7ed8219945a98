"""The in-memory asset index, partition status index and asset check executions.

Not locked itself: ``MemoryEventStore`` calls it under its lock. Every update is O(1) per event.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogRecord
from headwater.events.event_type import EventType
from headwater.storage.records import (
    ASSET_INDEX_EVENT_TYPES,
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
    AssetDetails,
    AssetEntry,
    AssetPartitionRecord,
    AssetRecord,
)

_MAT = EventType.ASSET_MATERIALIZATION
_OBS = EventType.ASSET_OBSERVATION
_PLANNED = EventType.ASSET_MATERIALIZATION_PLANNED
_FAILED = EventType.ASSET_FAILED_TO_MATERIALIZE


class _AssetRow:
    __slots__ = ("failed", "id", "last_run_id", "mat", "obs", "planned")

    def __init__(self, row_id: int) -> None:
        self.id = row_id
        self.mat: EventLogRecord | None = None
        self.obs: EventLogRecord | None = None
        self.failed: EventLogRecord | None = None
        self.planned: EventLogRecord | None = None
        self.last_run_id: str | None = None


class _PartitionRow:
    __slots__ = ("failed", "failed_run", "mat", "mat_run", "obs", "planned", "planned_run")

    def __init__(self) -> None:
        self.mat: int | None = None
        self.mat_run: str | None = None
        self.obs: int | None = None
        self.failed: int | None = None
        self.failed_run: str | None = None
        self.planned: int | None = None
        self.planned_run: str | None = None

    def update(self, event_type: EventType, storage_id: int, run_id: str) -> None:
        if event_type is _MAT:
            self.mat, self.mat_run = storage_id, run_id
        elif event_type is _OBS:
            self.obs = storage_id
        elif event_type is _FAILED:
            self.failed, self.failed_run = storage_id, run_id
        elif event_type is _PLANNED:
            self.planned, self.planned_run = storage_id, run_id

    def record(self, key: AssetKey, partition: str) -> AssetPartitionRecord:
        return AssetPartitionRecord(
            key, partition, self.mat, self.mat_run, self.obs, self.failed, self.failed_run, self.planned,
            self.planned_run,
        )  # fmt: skip


def _check_status(event: Event) -> AssetCheckExecutionRecordStatus:
    passed = getattr(event.event_specific_data, "passed", None)
    return AssetCheckExecutionRecordStatus.SUCCEEDED if passed else AssetCheckExecutionRecordStatus.FAILED


class AssetIndex:
    def __init__(self) -> None:
        self.rows: dict[AssetKey, _AssetRow] = {}
        self.events: dict[AssetKey, defaultdict[EventType, list[EventLogRecord]]] = {}
        self.partitions: dict[AssetKey, dict[str, _PartitionRow]] = {}
        self.wipe_timestamps: dict[AssetKey, float] = {}
        self.checks: dict[AssetCheckKey, dict[int, AssetCheckExecutionRecord]] = {}
        self._open_checks: dict[tuple[AssetCheckKey, str, str | None], int] = {}
        self._next_row_id = 1
        self._next_check_id = 1

    # -- writes
    def add(self, record: EventLogRecord, event: Event, key: AssetKey) -> None:
        """Index an event that has an asset key (asset events and check events)."""
        et = event.event_type
        per_type = self.events.get(key)
        if per_type is None:
            per_type = self.events[key] = defaultdict(list)
        per_type[et].append(record)
        if et in ASSET_INDEX_EVENT_TYPES:
            self.add_indexed_only(record, event, key)

    def _update_row(self, key: AssetKey, et: EventType, record: EventLogRecord) -> None:
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = _AssetRow(self._next_row_id)
            self._next_row_id += 1
        if et is _MAT:
            row.mat = record
            row.last_run_id = record.event_log_entry.run_id
        elif et is _OBS:
            row.obs = record
        elif et is _FAILED:
            row.failed = record
        else:
            row.planned = record

    def add_check(self, record: EventLogRecord, event: Event, check_key: AssetCheckKey) -> None:
        entry = record.event_log_entry
        partition = getattr(event.event_specific_data, "partition", None)
        open_key = (check_key, entry.run_id, partition)
        executions = self.checks.get(check_key)
        if executions is None:
            executions = self.checks[check_key] = {}
        if event.event_type is EventType.ASSET_CHECK_EVALUATION_PLANNED:
            check_id = self._next_check_id
            self._next_check_id += 1
            executions[check_id] = AssetCheckExecutionRecord(
                check_key, check_id, entry.run_id, AssetCheckExecutionRecordStatus.PLANNED, entry,
                entry.timestamp, partition,
            )  # fmt: skip
            self._open_checks[open_key] = check_id
            return
        status = _check_status(event)
        check_id_or_none = self._open_checks.pop(open_key, None)
        if check_id_or_none is not None and check_id_or_none in executions:
            old = executions[check_id_or_none]
            executions[old.id] = AssetCheckExecutionRecord(
                check_key,
                old.id,
                old.run_id,
                status,
                entry,
                old.create_timestamp,
                partition,
                record.storage_id,
            )
            return
        check_id = self._next_check_id
        self._next_check_id += 1
        executions[check_id] = AssetCheckExecutionRecord(
            check_key, check_id, entry.run_id, status, entry, entry.timestamp, partition, record.storage_id
        )

    def wipe(self, key: AssetKey, timestamp: float) -> None:
        self.rows.pop(key, None)
        self.events.pop(key, None)
        self.partitions.pop(key, None)
        self.wipe_timestamps[key] = timestamp
        for check_key in [k for k in self.checks if k.asset_key == key]:
            del self.checks[check_key]
        for open_key in [k for k in self._open_checks if k[0].asset_key == key]:
            del self._open_checks[open_key]

    def remove_run(self, run_id: str, deleted_ids: set[int]) -> None:
        """Drop a deleted run's events and rebuild the rows they touched from what remains."""
        for key in list(self.events):
            per_type = self.events[key]
            touched = False
            for et, records in per_type.items():
                kept = [r for r in records if r.storage_id not in deleted_ids]
                if len(kept) != len(records):
                    per_type[et] = kept
                    touched = True
            if touched:
                self._rebuild(key)
        for check_key, executions in list(self.checks.items()):
            for check_id in [i for i, r in executions.items() if r.run_id == run_id]:
                del executions[check_id]
            if not executions:
                del self.checks[check_key]
        for open_key in [k for k in self._open_checks if k[1] == run_id]:
            del self._open_checks[open_key]

    def remove_records(self, run_id: str, deleted_ids: set[int]) -> None:
        """Retention: forget deleted events by asset, and the run's check executions except each
        check's latest; the asset rows and partition status stay as they are."""
        if deleted_ids:
            for per_type in self.events.values():
                for et, records in per_type.items():
                    if any(r.storage_id in deleted_ids for r in records):
                        per_type[et] = [r for r in records if r.storage_id not in deleted_ids]
        for executions in self.checks.values():
            latest = next(reversed(executions), None)
            for check_id in [i for i, r in executions.items() if r.run_id == run_id and i != latest]:
                del executions[check_id]
        for open_key in [k for k in self._open_checks if k[1] == run_id]:
            del self._open_checks[open_key]

    def _rebuild(self, key: AssetKey) -> None:
        per_type = self.events[key]
        indexed = sorted(
            (r for et in ASSET_INDEX_EVENT_TYPES for r in per_type.get(et, ())), key=lambda r: r.storage_id
        )
        old = self.rows.pop(key, None)
        self.partitions.pop(key, None)
        if not any(per_type.values()):
            del self.events[key]
        for record in indexed:
            event = record.event_log_entry.dagster_event
            assert event is not None
            self.add_indexed_only(record, event, key)
        if old is not None and key in self.rows:
            self.rows[key].id = old.id

    def add_indexed_only(self, record: EventLogRecord, event: Event, key: AssetKey) -> None:
        et = event.event_type
        self._update_row(key, et, record)
        partition = event.partition
        if partition is not None:
            row = self.partitions.setdefault(key, {}).setdefault(partition, _PartitionRow())
            row.update(et, record.storage_id, record.event_log_entry.run_id)

    # -- reads
    def entry(self, key: AssetKey) -> AssetRecord | None:
        row = self.rows.get(key)
        if row is None:
            return None
        wiped = self.wipe_timestamps.get(key)
        entry = AssetEntry(
            asset_key=key,
            last_materialization_record=row.mat,
            last_run_id=row.last_run_id,
            asset_details=AssetDetails(wiped) if wiped is not None else None,
            last_observation_record=row.obs,
            last_planned_materialization_storage_id=row.planned.storage_id if row.planned else None,
            last_planned_materialization_run_id=row.planned.event_log_entry.run_id if row.planned else None,
            last_failed_to_materialize_record=row.failed,
        )
        return AssetRecord(row.id, entry)

    def records_of(self, key: AssetKey, event_type: EventType) -> list[EventLogRecord]:
        per_type = self.events.get(key)
        if per_type is None:
            return []
        return per_type.get(event_type, [])

    def partition_records(
        self, key: AssetKey, partitions: Iterable[str] | None
    ) -> list[AssetPartitionRecord]:
        rows = self.partitions.get(key, {})
        if partitions is None:
            return [row.record(key, p) for p, row in rows.items()]
        return [row.record(key, p) for p in partitions if (row := rows.get(p)) is not None]

    def materialized_between(self, key: AssetKey, after: int | None, before: int | None) -> set[str]:
        records = self.records_of(key, _MAT)
        return {p for r in slice_by_id(records, after, before) if (p := _partition_of(r)) is not None}


def _partition_of(record: EventLogRecord) -> str | None:
    event = record.event_log_entry.dagster_event
    return event.partition if event is not None else None


def _storage_id(record: EventLogRecord) -> int:
    return record.storage_id


def slice_by_id(records: list[EventLogRecord], after: int | None, before: int | None) -> list[EventLogRecord]:
    """The records with ``after < storage_id < before`` (``records`` sorted by storage id)."""
    lo = 0 if after is None else bisect.bisect_right(records, after, key=_storage_id)
    hi = len(records) if before is None else bisect.bisect_left(records, before, key=_storage_id)
    return records[lo:hi]


def iter_range(records: list[EventLogRecord], ascending: bool) -> Iterator[EventLogRecord]:
    return iter(records) if ascending else reversed(records)
