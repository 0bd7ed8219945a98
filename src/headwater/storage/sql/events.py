"""The SQL event store: writes (one transaction per batch) and reads of the log.

A batch is one multi-row INSERT into ``event_logs`` (ids = cursors, in order) followed, in the same
transaction, by upserts of the asset index (``asset_keys``), the partition status index
(``asset_partitions``) and the check executions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from headwater.core.asset_versions import VersionRecord, encode_version_record
from headwater.core.data_version import DATA_VERSION_TAG
from headwater.errors import StorageError
from headwater.events.event import Event, EventLogEntry, EventLogRecord
from headwater.events.event_type import EventType
from headwater.storage.batch import CHECK_EVENT_TYPES, validate_entries
from headwater.storage.protocols import OfType
from headwater.storage.records import (
    ASSET_INDEX_EVENT_TYPES,
    AssetCheckExecutionRecordStatus,
    EventLogConnection,
    EventRecordsFilter,
    decode_cursor,
    encode_cursor,
    event_type_set,
)
from headwater.storage.serde import entry_to_json
from headwater.storage.sql.assets import SqlAssetReads
from headwater.storage.sql.entry_cache import ENTRY_COLUMNS, decode_row
from headwater.storage.sql.schema import (
    MAX_ASSET_KEY_LENGTH,
    MAX_NAME_LENGTH,
    asset_check_executions,
    asset_keys,
    asset_partitions,
    event_logs,
)
from headwater.storage.sql.statements import insert_event_rows, upsert_many

if TYPE_CHECKING:
    from headwater.storage.sql.database import AnyRow, AnySelect

_E = EventType
_ASSET_COLUMNS: dict[EventType, tuple[str, str | None]] = {
    _E.ASSET_MATERIALIZATION: ("last_materialization_id", "last_run_id"),
    _E.ASSET_OBSERVATION: ("last_observation_id", None),
    _E.ASSET_MATERIALIZATION_PLANNED: ("last_planned_id", "last_planned_run_id"),
    _E.ASSET_FAILED_TO_MATERIALIZE: ("last_failed_id", None),
}
_PARTITION_COLUMNS: dict[EventType, tuple[str, str | None]] = {
    _E.ASSET_MATERIALIZATION: ("last_materialization_id", "last_materialization_run_id"),
    _E.ASSET_OBSERVATION: ("last_observation_id", None),
    _E.ASSET_MATERIALIZATION_PLANNED: ("last_planned_id", "last_planned_run_id"),
    _E.ASSET_FAILED_TO_MATERIALIZE: ("last_failed_id", "last_failed_run_id"),
}


def to_records(rows: Iterable[AnyRow]) -> list[EventLogRecord]:
    """Rows of :data:`ENTRY_COLUMNS` as records; a corrupt row is skipped with a warning naming its id."""
    out = []
    for row in rows:
        entry = decode_row(row)
        if entry is not None:
            out.append(EventLogRecord(row[0], entry))
    return out


def _too_long(value: str, limit: int, what: str, entry: EventLogEntry) -> StorageError:
    return StorageError(
        f"Cannot store an event of run {entry.run_id}: its {what} is {len(value)} characters long, "
        f"over the limit of {limit}: {value[:60]!r}... Use a shorter {what}."
    )


def _event_row(entry: EventLogEntry) -> dict[str, Any]:
    event = entry.dagster_event
    key_str = partition = event_type = None
    if event is not None:
        event_type = event.event_type.value
        key = event.asset_key
        if key is not None:
            key_str = key.to_string()
            if len(key_str) > MAX_ASSET_KEY_LENGTH:
                raise _too_long(key_str, MAX_ASSET_KEY_LENGTH, "asset key", entry)
        partition = event.partition
        if partition is not None and len(partition) > MAX_NAME_LENGTH:
            raise _too_long(partition, MAX_NAME_LENGTH, "partition key", entry)
    return {
        "run_id": entry.run_id,
        "event": entry_to_json(entry, in_row=True),
        "dagster_event_type": event_type,
        "timestamp": entry.timestamp,
        "step_key": entry.step_key,
        "asset_key": key_str,
        "partition": partition,
    }


def event_rows(entries: Sequence[EventLogEntry]) -> list[dict[str, Any]]:
    """The ``event_logs`` rows of ``entries`` (validated and encoded outside the transaction)."""
    validate_entries(entries)
    return [_event_row(entry) for entry in entries]


def write_events(
    conn: sa.Connection, entries: Sequence[EventLogEntry], rows: list[dict[str, Any]]
) -> list[int]:
    """In the transaction of ``conn``: insert the event rows, then update the asset index, the
    partition status index and the check executions; return the storage ids."""
    ids = insert_event_rows(conn, event_logs, rows)
    assets: dict[str, dict[str, Any]] = {}
    partitions: dict[tuple[str, str], dict[str, Any]] = {}
    for entry, row, storage_id in zip(entries, rows, ids, strict=True):
        event = entry.dagster_event
        if event is None:
            continue
        et = event.event_type
        if et in ASSET_INDEX_EVENT_TYPES:
            key_str = row["asset_key"]  # the event's asset key and partition, as stored in its row
            if key_str is None:
                continue
            id_col, run_col = _ASSET_COLUMNS[et]
            versions = _versions(et, event, entry, storage_id)
            values = assets.setdefault(key_str, {})
            values[id_col] = storage_id
            if run_col is not None:
                values[run_col] = entry.run_id
            if versions is not None:
                values[versions[0]] = versions[1]
            partition = row["partition"]
            if partition is not None:
                id_col, run_col = _PARTITION_COLUMNS[et]
                values = partitions.setdefault((key_str, partition), {})
                values[id_col] = storage_id
                if run_col is not None:
                    values[run_col] = entry.run_id
                if versions is not None:
                    values[versions[0]] = versions[1]
        elif et in CHECK_EVENT_TYPES:
            _store_check(conn, entry, event, storage_id)
    # Sorted, so that concurrent writers take row locks in one order (no deadlocks).
    if assets:
        upsert_many(conn, asset_keys, ("asset_key",), [{"asset_key": k, **assets[k]} for k in sorted(assets)])
    if partitions:
        keys = ("asset_key", "partition")
        rows_ = [{"asset_key": k, "partition": p, **partitions[(k, p)]} for k, p in sorted(partitions)]
        upsert_many(conn, asset_partitions, keys, rows_)
    return ids


def _versions(et: EventType, event: Event, entry: EventLogEntry, storage_id: int) -> tuple[str, str] | None:
    """The asset index column and value recording the versions of a materialization, or of an
    observation that carries a data version (None for other events)."""
    tags = getattr(event.event_specific_data, "tags", None)
    if et is _E.ASSET_MATERIALIZATION:
        column = "materialized_version"
    elif et is _E.ASSET_OBSERVATION and tags and DATA_VERSION_TAG in tags:
        column = "observed_version"
    else:
        return None
    return column, encode_version_record(VersionRecord.of_event(storage_id, entry.timestamp, tags))


def _store_check(conn: sa.Connection, entry: EventLogEntry, event: Event, storage_id: int) -> None:
    check_key = event.asset_check_key
    assert check_key is not None
    t = asset_check_executions
    partition = getattr(event.event_specific_data, "partition", None)
    key_str = check_key.asset_key.to_string()
    body = entry_to_json(entry)
    if event.event_type is EventType.ASSET_CHECK_EVALUATION:
        passed = getattr(event.event_specific_data, "passed", False)
        status = (
            AssetCheckExecutionRecordStatus.SUCCEEDED if passed else AssetCheckExecutionRecordStatus.FAILED
        )
        open_id = conn.execute(
            sa.select(sa.func.max(t.c.id)).where(
                t.c.asset_key == key_str,
                t.c.check_name == check_key.name,
                t.c.run_id == entry.run_id,
                t.c.partition.is_(None) if partition is None else t.c.partition == partition,
                t.c.execution_status == AssetCheckExecutionRecordStatus.PLANNED.value,
            )
        ).scalar()
        values = {
            "execution_status": status.value,
            "event": body,
            "evaluation_event_storage_id": storage_id,
        }
        if open_id is not None:
            conn.execute(sa.update(t).where(t.c.id == open_id).values(**values))
            return
    else:
        values = {"execution_status": AssetCheckExecutionRecordStatus.PLANNED.value, "event": body}
    conn.execute(
        sa.insert(t).values(
            asset_key=key_str,
            check_name=check_key.name,
            partition=partition,
            run_id=entry.run_id,
            create_timestamp=entry.timestamp,
            **values,
        )
    )


class SqlEventStore(SqlAssetReads):
    # -- writes
    def store_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        rows = event_rows(entries)
        if not rows:
            return []
        return self._db.run_write(lambda conn: write_events(conn, entries, rows))

    def delete_events(self, run_id: str) -> None:
        with self._db.write() as conn:
            affected = conn.execute(
                sa.select(event_logs.c.asset_key)
                .distinct()
                .where(
                    event_logs.c.run_id == run_id,
                    event_logs.c.asset_key.is_not(None),
                    event_logs.c.dagster_event_type.in_([t.value for t in ASSET_INDEX_EVENT_TYPES]),
                )
            ).scalars()
            keys = sorted(affected)
            conn.execute(sa.delete(event_logs).where(event_logs.c.run_id == run_id))
            conn.execute(sa.delete(asset_check_executions).where(asset_check_executions.c.run_id == run_id))
            for key_str in keys:
                self._rebuild_asset(conn, key_str)

    # -- reads of the log
    def get_logs_for_run(
        self, run_id: str, cursor: int = -1, of_type: OfType = None
    ) -> Sequence[EventLogEntry]:
        query = sa.select(*ENTRY_COLUMNS).where(event_logs.c.run_id == run_id)
        query = self._of_type(query, of_type).order_by(event_logs.c.id)
        if cursor >= 0:
            query = query.offset(cursor + 1)
        with self._db.read() as conn:
            rows = conn.execute(query).all()
        return [r.event_log_entry for r in to_records(rows)]

    @staticmethod
    def _of_type(query: AnySelect, of_type: OfType) -> AnySelect:
        types = event_type_set(of_type)
        if types is None:
            return query
        return query.where(event_logs.c.dagster_event_type.in_([t.value for t in types]))

    def get_records_for_run(
        self,
        run_id: str,
        cursor: str | None = None,
        of_type: OfType = None,
        limit: int | None = None,
        ascending: bool = True,
    ) -> EventLogConnection:
        c = event_logs.c
        query = self._of_type(sa.select(*ENTRY_COLUMNS).where(c.run_id == run_id), of_type)
        position = decode_cursor(cursor)
        if position is not None:
            query = query.where(c.id > position if ascending else c.id < position)
        query = query.order_by(c.id.asc() if ascending else c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._db.read() as conn:
            rows = conn.execute(query).all()
        new_cursor = encode_cursor(rows[-1].id) if rows else (cursor or encode_cursor(-1))
        return EventLogConnection(to_records(rows), new_cursor, limit is not None and len(rows) == limit)

    def get_event_records(
        self, event_records_filter: EventRecordsFilter, limit: int | None = None, ascending: bool = False
    ) -> Sequence[EventLogRecord]:
        f = event_records_filter
        c = event_logs.c
        query = sa.select(*ENTRY_COLUMNS).where(c.dagster_event_type == f.event_type.value)
        if f.asset_key is not None:
            query = query.where(c.asset_key == f.asset_key.to_string())
        if f.asset_partitions is not None:
            query = query.where(c.partition.in_(list(f.asset_partitions)))
        if f.after_cursor is not None:
            query = query.where(c.id > f.after_cursor)
        if f.before_cursor is not None:
            query = query.where(c.id < f.before_cursor)
        if f.after_timestamp is not None:
            query = query.where(c.timestamp > f.after_timestamp)
        if f.before_timestamp is not None:
            query = query.where(c.timestamp < f.before_timestamp)
        if f.storage_ids is not None:
            query = query.where(c.id.in_(list(f.storage_ids)))
        query = query.order_by(c.id.asc() if ascending else c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._db.read() as conn:
            return to_records(conn.execute(query))

    def get_maximum_record_id(self) -> int | None:
        with self._db.read() as conn:
            return conn.execute(sa.select(sa.func.max(event_logs.c.id))).scalar()
