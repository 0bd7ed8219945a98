"""The in-memory event store: the log plus per-run, per-type and per-asset indexes.

Storing an event is O(1): it is appended to the lists it belongs to and the asset, partition-status
and check indexes are updated in place. Reads never scan the whole log.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.events.event import EventLogEntry, EventLogRecord
from headwater.events.event_type import EventType
from headwater.storage.batch import CHECK_EVENT_TYPES, validate_entries
from headwater.storage.memory.assets import AssetIndex, iter_range, slice_by_id
from headwater.storage.protocols import OfType
from headwater.storage.records import (
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
    AssetPartitionRecord,
    AssetRecord,
    EventLogConnection,
    EventRecordsFilter,
    decode_cursor,
    encode_cursor,
    event_type_set,
)


class MemoryEventStore:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        self._next_id = 1
        self._records: dict[int, EventLogRecord] = {}
        self._by_run: defaultdict[str, list[EventLogRecord]] = defaultdict(list)
        self._by_type: defaultdict[EventType, list[EventLogRecord]] = defaultdict(list)
        self._assets = AssetIndex()
        self._dynamic: dict[str, dict[str, None]] = {}

    # -- writes
    def store_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        validate_entries(entries)
        ids: list[int] = []
        with self._lock:
            storage_id = self._next_id
            for entry in entries:
                record = EventLogRecord(storage_id, entry)
                self._records[storage_id] = record
                self._by_run[entry.run_id].append(record)
                event = entry.dagster_event
                if event is not None:
                    self._by_type[event.event_type].append(record)
                    key = event.asset_key
                    if key is not None:
                        self._assets.add(record, event, key)
                    if event.event_type in CHECK_EVENT_TYPES:
                        check_key = event.asset_check_key
                        assert check_key is not None
                        self._assets.add_check(record, event, check_key)
                ids.append(storage_id)
                storage_id += 1
            self._next_id = storage_id
        return ids

    def delete_events(self, run_id: str) -> None:
        with self._lock:
            records = self._by_run.pop(run_id, [])
            if not records:
                return
            deleted = {r.storage_id for r in records}
            types = set()
            for r in records:
                del self._records[r.storage_id]
                if r.event_log_entry.dagster_event is not None:
                    types.add(r.event_log_entry.dagster_event.event_type)
            for et in types:
                self._by_type[et] = [r for r in self._by_type[et] if r.storage_id not in deleted]
            self._assets.remove_run(run_id, deleted)

    def remove_run_events(self, run_id: str, keep: set[int]) -> None:
        """Retention: drop a run's events except ``keep`` and its check executions except each
        check's latest, leaving the asset and partition indexes as they are."""
        with self._lock:
            records = self._by_run.pop(run_id, [])
            kept = [r for r in records if r.storage_id in keep]
            if kept:
                self._by_run[run_id] = kept
            deleted = {r.storage_id for r in records} - keep
            types = set()
            for storage_id in deleted:
                record = self._records.pop(storage_id)
                if record.event_log_entry.dagster_event is not None:
                    types.add(record.event_log_entry.dagster_event.event_type)
            for et in types:
                self._by_type[et] = [r for r in self._by_type[et] if r.storage_id not in deleted]
            self._assets.remove_records(run_id, deleted)

    def wipe_assets(self, asset_keys: Sequence[AssetKey]) -> None:
        now = self._clock()
        with self._lock:
            for key in asset_keys:
                self._assets.wipe(key, now)

    def wipe(self) -> None:
        with self._lock:
            self._records.clear()
            self._by_run.clear()
            self._by_type.clear()
            self._assets = AssetIndex()
            self._dynamic.clear()

    def dispose(self) -> None:
        pass

    # -- the log
    def get_logs_for_run(
        self, run_id: str, cursor: int = -1, of_type: OfType = None
    ) -> Sequence[EventLogEntry]:
        types = event_type_set(of_type)
        with self._lock:
            records = list(self._by_run.get(run_id, ()))
        if types is None:
            entries = [r.event_log_entry for r in records]
        else:
            entries = [r.event_log_entry for r in records if r.event_log_entry.dagster_event_type in types]
        return entries[cursor + 1 :] if cursor >= 0 else entries

    def get_records_for_run(
        self,
        run_id: str,
        cursor: str | None = None,
        of_type: OfType = None,
        limit: int | None = None,
        ascending: bool = True,
    ) -> EventLogConnection:
        types = event_type_set(of_type)
        position = decode_cursor(cursor)
        with self._lock:
            records = self._by_run.get(run_id, [])
            records = (
                slice_by_id(records, position, None) if ascending else slice_by_id(records, None, position)
            )
        out: list[EventLogRecord] = []
        for record in iter_range(records, ascending):
            if types is None or record.event_log_entry.dagster_event_type in types:
                out.append(record)
                if limit is not None and len(out) >= limit:
                    break
        new_cursor = encode_cursor(out[-1].storage_id) if out else (cursor or encode_cursor(-1))
        return EventLogConnection(out, new_cursor, limit is not None and len(out) == limit)

    def get_event_records(
        self, event_records_filter: EventRecordsFilter, limit: int | None = None, ascending: bool = False
    ) -> Sequence[EventLogRecord]:
        f = event_records_filter
        with self._lock:
            if f.storage_ids is not None:
                base = sorted(
                    (r for i in set(f.storage_ids) if (r := self._records.get(i)) is not None),
                    key=lambda r: r.storage_id,
                )
                base = [
                    r
                    for r in base
                    if r.event_log_entry.dagster_event_type is f.event_type
                    and (f.asset_key is None or r.asset_key == f.asset_key)
                ]
            elif f.asset_key is not None:
                base = self._assets.records_of(f.asset_key, f.event_type)
            else:
                base = self._by_type.get(f.event_type, [])
            candidates = slice_by_id(base, f.after_cursor, f.before_cursor)
        partitions = set(f.asset_partitions) if f.asset_partitions is not None else None
        after_ts, before_ts = f.after_timestamp, f.before_timestamp
        out: list[EventLogRecord] = []
        for record in iter_range(candidates, ascending):
            if partitions is not None and record.partition_key not in partitions:
                continue
            ts = record.event_log_entry.timestamp
            if (after_ts is not None and ts <= after_ts) or (before_ts is not None and ts >= before_ts):
                continue
            out.append(record)
            if limit is not None and len(out) >= limit:
                break
        return out

    def get_maximum_record_id(self) -> int | None:
        with self._lock:
            return next(reversed(self._records), None)

    # -- assets
    def get_latest_materialization_events(
        self, asset_keys: Iterable[AssetKey]
    ) -> Mapping[AssetKey, EventLogEntry | None]:
        out: dict[AssetKey, EventLogEntry | None] = {}
        with self._lock:
            for key in asset_keys:
                row = self._assets.rows.get(key)
                out[key] = row.mat.event_log_entry if row is not None and row.mat is not None else None
        return out

    def get_asset_records(self, asset_keys: Sequence[AssetKey] | None = None) -> Sequence[AssetRecord]:
        with self._lock:
            keys = list(self._assets.rows) if asset_keys is None else asset_keys
            return [r for key in keys if (r := self._assets.entry(key)) is not None]

    def has_asset_key(self, asset_key: AssetKey) -> bool:
        return asset_key in self._assets.rows

    def get_asset_keys(
        self, prefix: Sequence[str] | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Sequence[AssetKey]:
        with self._lock:
            keys = list(self._assets.rows)
        if prefix:
            keys = [k for k in keys if k.has_prefix(prefix)]
        pairs = sorted((k.to_string(), k) for k in keys)
        if cursor is not None:
            pairs = [p for p in pairs if p[0] > cursor]
        out = [k for _, k in pairs]
        return out if limit is None else out[:limit]

    def get_asset_partition_records(
        self, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Sequence[AssetPartitionRecord]:
        with self._lock:
            return self._assets.partition_records(asset_key, partitions)

    def get_materialized_partitions(
        self, asset_key: AssetKey, before_cursor: int | None = None, after_cursor: int | None = None
    ) -> set[str]:
        with self._lock:
            if before_cursor is None and after_cursor is None:
                rows = self._assets.partitions.get(asset_key, {})
                return {p for p, row in rows.items() if row.mat is not None}
            return self._assets.materialized_between(asset_key, after_cursor, before_cursor)

    def get_latest_storage_id_by_partition(
        self,
        asset_key: AssetKey,
        event_type: EventType,
        partitions: set[str] | None = None,
        after_cursor: int | None = None,
    ) -> Mapping[str, int]:
        out: dict[str, int] = {}
        for record in self.get_asset_partition_records(asset_key, partitions):
            storage_id = record.latest_storage_id(event_type)
            if storage_id is not None and (after_cursor is None or storage_id > after_cursor):
                out[record.partition] = storage_id
        return out

    # -- asset checks
    def get_latest_asset_check_execution_by_key(
        self, check_keys: Sequence[AssetCheckKey]
    ) -> Mapping[AssetCheckKey, AssetCheckExecutionRecord]:
        out: dict[AssetCheckKey, AssetCheckExecutionRecord] = {}
        with self._lock:
            for key in check_keys:
                executions = self._assets.checks.get(key)
                if executions:
                    out[key] = next(reversed(executions.values()))
        return out

    def get_asset_check_execution_history(
        self,
        check_key: AssetCheckKey,
        limit: int,
        cursor: int | None = None,
        status: set[AssetCheckExecutionRecordStatus] | None = None,
    ) -> Sequence[AssetCheckExecutionRecord]:
        with self._lock:
            executions = list(self._assets.checks.get(check_key, {}).values())
        out: list[AssetCheckExecutionRecord] = []
        for record in reversed(executions):
            if (cursor is not None and record.id >= cursor) or (
                status is not None and record.status not in status
            ):
                continue
            out.append(record)
            if len(out) >= limit:
                break
        return out

    # -- dynamic partitions
    def add_dynamic_partitions(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None:
        if isinstance(partition_keys, str):
            raise TypeError(f"partition_keys must be a list of keys, not the string {partition_keys!r}.")
        with self._lock:
            keys = self._dynamic.setdefault(partitions_def_name, {})
            for key in partition_keys:
                keys.setdefault(key, None)

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        with self._lock:
            return list(self._dynamic.get(partitions_def_name, ()))

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        return partition_key in self._dynamic.get(partitions_def_name, {})

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        with self._lock:
            self._dynamic.get(partitions_def_name, {}).pop(partition_key, None)
