"""The SQL event store's asset side: the asset index, partition status, checks, dynamic partitions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import msgspec
import sqlalchemy as sa

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.codec import paused_gc
from headwater.events.event import EventLogEntry, EventLogRecord
from headwater.events.event_type import EventType
from headwater.storage.records import (
    ASSET_INDEX_EVENT_TYPES,
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
    AssetDetails,
    AssetEntry,
    AssetIndexSummary,
    AssetPartitionRecord,
    AssetRecord,
)
from headwater.storage.serde import entry_or_none
from headwater.storage.sql.asset_versions import SqlAssetVersions
from headwater.storage.sql.database import Database
from headwater.storage.sql.dynamic_partitions import SqlDynamicPartitions
from headwater.storage.sql.entry_cache import ENTRY_COLUMNS, EntryCache
from headwater.storage.sql.partition_status import SqlPartitionStatus
from headwater.storage.sql.schema import (
    asset_check_executions,
    asset_keys,
    asset_partitions,
    dynamic_partitions,
    event_logs,
)
from headwater.storage.sql.statements import select_all, sqlite_rows

if TYPE_CHECKING:
    from headwater.storage.sql.database import AnyRow

_A = asset_keys.c
_PATH_DECODER = msgspec.json.Decoder(list[str])
_P = asset_partitions.c
_PRESENT = sa.or_(
    _A.last_materialization_id.is_not(None),
    _A.last_observation_id.is_not(None),
    _A.last_planned_id.is_not(None),
    _A.last_failed_id.is_not(None),
)
_PARTITION_ID_COLUMN = {
    EventType.ASSET_MATERIALIZATION: _P.last_materialization_id,
    EventType.ASSET_OBSERVATION: _P.last_observation_id,
    EventType.ASSET_FAILED_TO_MATERIALIZE: _P.last_failed_id,
    EventType.ASSET_MATERIALIZATION_PLANNED: _P.last_planned_id,
}
_ASSET_ID_COLUMN = {
    EventType.ASSET_MATERIALIZATION: "last_materialization_id",
    EventType.ASSET_OBSERVATION: "last_observation_id",
    EventType.ASSET_FAILED_TO_MATERIALIZE: "last_failed_id",
    EventType.ASSET_MATERIALIZATION_PLANNED: "last_planned_id",
}
_CLEARED_ON_WIPE = (
    "last_materialization_id",
    "last_run_id",
    "last_observation_id",
    "last_planned_id",
    "last_planned_run_id",
    "last_failed_id",
    "materialized_version",
    "observed_version",
)


_IN_CHUNK = 5000
_SQLITE_MATERIALIZED = (
    'SELECT json_group_array("partition") FROM asset_partitions '
    "WHERE asset_key = ? AND last_materialization_id IS NOT NULL"
)


def _select_in(
    conn: sa.Connection, columns: Sequence[sa.Column[Any]], key: sa.Column[Any], values: list[Any]
) -> list[Any]:
    """``(key, *columns)`` rows whose ``key`` is one of ``values`` (thousands of them): one JSON
    parameter on SQLite, one array parameter on PostgreSQL, chunks of IN lists on MySQL."""
    if conn.dialect.name == "sqlite":
        table, name = key.table.name, key.name  # type: ignore[attr-defined]
        others = "".join(f', "{c.name}"' for c in columns)
        sql = f'SELECT "{name}"{others} FROM "{table}" WHERE "{name}" IN (SELECT value FROM json_each(?))'
        return sqlite_rows(conn, sql, (json.dumps(values),))
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        array = sa.bindparam("values", values, type_=ARRAY(key.type))
        return list(conn.execute(sa.select(key, *columns).where(key == sa.func.any(array))).all())
    rows: list[Any] = []
    for start in range(0, len(values), _IN_CHUNK):
        query = sa.select(key, *columns).where(key.in_(values[start : start + _IN_CHUNK]))
        rows.extend(conn.execute(query).all())
    return rows


def _partition_record(row: AnyRow) -> AssetPartitionRecord:
    return AssetPartitionRecord(
        AssetKey(json.loads(row.asset_key)), row.partition, row.last_materialization_id,
        row.last_materialization_run_id, row.last_observation_id, row.last_failed_id, row.last_failed_run_id,
        row.last_planned_id, row.last_planned_run_id,
    )  # fmt: skip


def _check_record(row: AnyRow) -> AssetCheckExecutionRecord:
    key = AssetCheckKey(AssetKey(json.loads(row.asset_key)), row.check_name)
    event = entry_or_none(row.event, row.evaluation_event_storage_id) if row.event is not None else None
    status = AssetCheckExecutionRecordStatus(row.execution_status)
    return AssetCheckExecutionRecord(
        key,
        row.id,
        row.run_id,
        status,
        event,
        row.create_timestamp,
        row.partition,
        row.evaluation_event_storage_id,
    )


class SqlAssetReads(SqlDynamicPartitions, SqlPartitionStatus, SqlAssetVersions):
    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock
        self._entry_cache = EntryCache()

    def _records_by_id(self, conn: sa.Connection, ids: Iterable[int | None]) -> dict[int, EventLogRecord]:
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return {}
        query = sa.select(*ENTRY_COLUMNS).where(event_logs.c.id.in_(wanted))
        out = {}
        with paused_gc():
            for row in conn.execute(query).all():
                entry = self._entry_cache.decode(row)
                if entry is not None:
                    out[row.id] = EventLogRecord(row.id, entry)
        return out

    # -- the asset index
    def get_latest_materialization_events(
        self, asset_keys_: Iterable[AssetKey]
    ) -> Mapping[AssetKey, EventLogEntry | None]:
        keys = list(asset_keys_)
        out: dict[AssetKey, EventLogEntry | None] = dict.fromkeys(keys)
        if not keys:
            return out
        by_string = {k.to_string(): k for k in keys}
        cache = self._entry_cache
        with self._db.read() as conn:
            latest = _select_in(conn, [_A.last_materialization_id], _A.asset_key, list(by_string))
            found: dict[str, EventLogEntry] = {}
            missing: list[int] = []
            for key_str, storage_id in latest:
                if storage_id is not None:
                    entry = cache.get(storage_id)
                    if entry is not None:
                        found[key_str] = entry
                    else:
                        missing.append(storage_id)
            rows = _select_in(conn, ENTRY_COLUMNS[1:], ENTRY_COLUMNS[0], missing) if missing else []
        with paused_gc():
            decoded = {row[0]: cache.decode(row) for row in rows}
        for key_str, storage_id in latest:
            entry = found.get(key_str) or decoded.get(storage_id)
            if entry is not None:
                out[by_string[key_str]] = entry
        return out

    def get_asset_records(self, asset_keys_: Sequence[AssetKey] | None = None) -> Sequence[AssetRecord]:
        query = sa.select(asset_keys).where(_PRESENT)
        if asset_keys_ is not None:
            query = query.where(_A.asset_key.in_([k.to_string() for k in asset_keys_]))
        with self._db.read() as conn:
            rows = conn.execute(query.order_by(_A.id)).all()
            ids = [
                i for r in rows for i in (r.last_materialization_id, r.last_observation_id, r.last_failed_id)
            ]
            records = self._records_by_id(conn, ids)
        out = []
        for row in rows:
            planned_id = row.last_planned_id
            entry = AssetEntry(
                asset_key=AssetKey(json.loads(row.asset_key)),
                last_materialization_record=records.get(row.last_materialization_id),
                last_run_id=row.last_run_id,
                asset_details=AssetDetails(row.wipe_timestamp) if row.wipe_timestamp is not None else None,
                last_observation_record=records.get(row.last_observation_id),
                last_planned_materialization_storage_id=planned_id,
                last_planned_materialization_run_id=row.last_planned_run_id
                if planned_id is not None
                else None,
                last_failed_to_materialize_record=records.get(row.last_failed_id),
            )
            out.append(AssetRecord(row.id, entry))
        if asset_keys_ is not None:
            order = {k: i for i, k in enumerate(asset_keys_)}
            out.sort(key=lambda r: order[r.asset_entry.asset_key])
        return out

    def get_asset_index_summaries(
        self, asset_keys_: Sequence[AssetKey] | None = None
    ) -> Sequence[AssetIndexSummary]:
        mat, failed, obs = (event_logs.alias(name) for name in ("mat", "failed", "obs"))
        query = (
            sa.select(
                _A.asset_key,
                _A.last_materialization_id,
                mat.c.timestamp,
                _A.last_run_id,
                _A.last_failed_id,
                failed.c.timestamp,
                obs.c.timestamp,
                _A.last_planned_id,
                _A.last_planned_run_id,
            )
            .select_from(
                asset_keys.outerjoin(mat, mat.c.id == _A.last_materialization_id)
                .outerjoin(failed, failed.c.id == _A.last_failed_id)
                .outerjoin(obs, obs.c.id == _A.last_observation_id)
            )
            .where(_PRESENT)
            .order_by(_A.id)
        )
        if asset_keys_ is not None:
            query = query.where(_A.asset_key.in_([k.to_string() for k in asset_keys_]))
        with self._db.read() as conn:
            rows = select_all(conn, query, many=asset_keys_ is None)
        path = _PATH_DECODER.decode
        return [AssetIndexSummary(AssetKey(path(row[0])), *row[1:]) for row in rows]

    def has_asset_key(self, asset_key: AssetKey) -> bool:
        with self._db.read() as conn:
            query = sa.select(_A.id).where(_A.asset_key == asset_key.to_string(), _PRESENT)
            return conn.execute(query).first() is not None

    def get_asset_keys(
        self, prefix: Sequence[str] | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Sequence[AssetKey]:
        column: sa.ColumnElement[str] = _A.asset_key
        if self._db.dialect == "postgresql":
            column = column.collate("C")  # byte order, as on SQLite, MySQL (utf8mb4_bin) and in memory
        query = sa.select(_A.asset_key).where(_PRESENT)
        if prefix:
            exact = json.dumps(list(prefix))
            query = query.where(
                sa.or_(_A.asset_key == exact, _A.asset_key.startswith(exact[:-1] + ", ", autoescape=True))
            )
        if cursor is not None:
            query = query.where(column > cursor)
        query = query.order_by(column)
        if limit is not None:
            query = query.limit(limit)
        with self._db.read() as conn:
            return [AssetKey(json.loads(k)) for k in conn.execute(query).scalars()]

    def wipe_assets(self, asset_keys_: Sequence[AssetKey]) -> None:
        keys = sorted(k.to_string() for k in asset_keys_)
        if not keys:
            return
        cleared = dict.fromkeys(_CLEARED_ON_WIPE)
        with self._db.write() as conn:
            conn.execute(
                sa.update(asset_keys)
                .where(_A.asset_key.in_(keys))
                .values(wipe_timestamp=self._clock(), **cleared)
            )
            conn.execute(sa.update(event_logs).where(event_logs.c.asset_key.in_(keys)).values(asset_key=None))
            conn.execute(sa.delete(asset_partitions).where(_P.asset_key.in_(keys)))
            conn.execute(
                sa.delete(asset_check_executions).where(asset_check_executions.c.asset_key.in_(keys))
            )

    def _rebuild_asset(self, conn: sa.Connection, key_str: str) -> None:
        """Recompute an asset's index and partition rows from the events left in the log."""
        c = event_logs.c
        types = [t.value for t in ASSET_INDEX_EVENT_TYPES]
        latest = conn.execute(
            sa.select(c.dagster_event_type, c.partition, sa.func.max(c.id).label("id"))
            .where(c.asset_key == key_str, c.dagster_event_type.in_(types))
            .group_by(c.dagster_event_type, c.partition)
        ).all()
        id_query = sa.select(c.id, c.run_id).where(c.id.in_([r.id for r in latest]))
        run_ids: dict[int, str] = {row.id: row.run_id for row in conn.execute(id_query)}
        values: dict[str, Any] = dict.fromkeys(_ASSET_ID_COLUMN.values())
        values.update(last_run_id=None, last_planned_run_id=None)
        partitions: dict[str, dict[str, Any]] = {}
        for row in latest:
            et = EventType(row.dagster_event_type)
            column = _ASSET_ID_COLUMN[et]
            if values[column] is None or row.id > values[column]:
                values[column] = row.id
            if row.partition is not None:
                part = partitions.setdefault(row.partition, {})
                part[_PARTITION_ID_COLUMN[et].name] = row.id
                if et is not EventType.ASSET_OBSERVATION:
                    part[_PARTITION_ID_COLUMN[et].name.replace("_id", "_run_id")] = run_ids[row.id]
        # The versions are derived again from the events the row now points at (asset_versions).
        values.update(materialized_version=None, observed_version=None)
        values["last_run_id"] = run_ids.get(values["last_materialization_id"])
        values["last_planned_run_id"] = run_ids.get(values["last_planned_id"])
        conn.execute(sa.update(asset_keys).where(_A.asset_key == key_str).values(**values))
        conn.execute(sa.delete(asset_partitions).where(_P.asset_key == key_str))
        if partitions:
            rows = [{"asset_key": key_str, "partition": p, **v} for p, v in sorted(partitions.items())]
            conn.execute(sa.insert(asset_partitions), rows)

    # -- partition status
    def get_asset_partition_records(
        self, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Sequence[AssetPartitionRecord]:
        query = sa.select(asset_partitions).where(_P.asset_key == asset_key.to_string())
        wanted = list(partitions) if partitions is not None else None
        if wanted is not None:
            query = query.where(_P.partition.in_(wanted))
        with self._db.read() as conn:
            records = [_partition_record(row) for row in conn.execute(query.order_by(_P.id))]
        if wanted is not None:
            order = {p: i for i, p in enumerate(wanted)}
            records.sort(key=lambda r: order[r.partition])
        return records

    def get_materialized_partitions(
        self, asset_key: AssetKey, before_cursor: int | None = None, after_cursor: int | None = None
    ) -> set[str]:
        key_str = asset_key.to_string()
        if before_cursor is None and after_cursor is None:
            # From the partition status index alone (idx_asset_partitions_materialized covers it).
            # The keys come back as one value (a JSON array / a PostgreSQL array), not a row each.
            where = (_P.asset_key == key_str, _P.last_materialization_id.is_not(None))
            with self._db.read() as conn:
                if conn.dialect.name == "sqlite":
                    [(text,)] = sqlite_rows(conn, _SQLITE_MATERIALIZED, (key_str,))
                    return set(json.loads(text))
                if conn.dialect.name == "postgresql":
                    found = conn.execute(sa.select(sa.func.array_agg(_P.partition)).where(*where)).scalar()
                    return set(found or ())
                return set(conn.execute(sa.select(_P.partition).where(*where)).scalars())
        c = event_logs.c
        query = sa.select(c.partition).distinct()
        query = query.where(
            c.asset_key == key_str,
            c.dagster_event_type == EventType.ASSET_MATERIALIZATION.value,
            c.partition.is_not(None),
        )
        if before_cursor is not None:
            query = query.where(c.id < before_cursor)
        if after_cursor is not None:
            query = query.where(c.id > after_cursor)
        with self._db.read() as conn:
            return set(conn.execute(query).scalars())

    def get_latest_storage_id_by_partition(
        self,
        asset_key: AssetKey,
        event_type: EventType,
        partitions: set[str] | None = None,
        after_cursor: int | None = None,
    ) -> Mapping[str, int]:
        column = _PARTITION_ID_COLUMN.get(event_type)
        if column is None:
            raise ValueError(f"The partition status index does not track {event_type.value} events.")
        query = sa.select(_P.partition, column).where(
            _P.asset_key == asset_key.to_string(), column.is_not(None)
        )
        if partitions is not None:
            query = query.where(_P.partition.in_(sorted(partitions)))
        if after_cursor is not None:
            query = query.where(column > after_cursor)
        with self._db.read() as conn:
            return {row[0]: row[1] for row in conn.execute(query)}

    # -- asset checks
    def get_latest_asset_check_execution_by_key(
        self, check_keys: Sequence[AssetCheckKey]
    ) -> Mapping[AssetCheckKey, AssetCheckExecutionRecord]:
        """One query per few thousand assets: the newest execution of each (asset, check) pair of those
        assets (the ``(asset_key, check_name, id)`` index answers the ``max(id)``), kept if asked for."""
        t = asset_check_executions.c
        wanted = set(check_keys)
        assets = sorted({k.asset_key.to_string() for k in wanted})
        out: dict[AssetCheckKey, AssetCheckExecutionRecord] = {}
        with self._db.read() as conn:
            for start in range(0, len(assets), _IN_CHUNK):
                latest = (
                    sa.select(sa.func.max(t.id))
                    .where(t.asset_key.in_(assets[start : start + _IN_CHUNK]))
                    .group_by(t.asset_key, t.check_name)
                )
                for row in conn.execute(sa.select(asset_check_executions).where(t.id.in_(latest))):
                    record = _check_record(row)
                    if record.key in wanted:
                        out[record.key] = record
        return out

    def get_asset_check_execution_history(
        self,
        check_key: AssetCheckKey,
        limit: int,
        cursor: int | None = None,
        status: set[AssetCheckExecutionRecordStatus] | None = None,
    ) -> Sequence[AssetCheckExecutionRecord]:
        t = asset_check_executions.c
        query = sa.select(asset_check_executions).where(
            t.asset_key == check_key.asset_key.to_string(), t.check_name == check_key.name
        )
        if cursor is not None:
            query = query.where(t.id < cursor)
        if status is not None:
            query = query.where(t.execution_status.in_([s.value for s in status]))
        with self._db.read() as conn:
            return [_check_record(row) for row in conn.execute(query.order_by(t.id.desc()).limit(limit))]

    # -- housekeeping
    def wipe(self) -> None:
        self._entry_cache.clear()
        with self._db.write() as conn:
            for table in (
                event_logs,
                asset_keys,
                asset_partitions,
                asset_check_executions,
                dynamic_partitions,
            ):
                conn.execute(sa.delete(table))

    def dispose(self) -> None:
        pass
