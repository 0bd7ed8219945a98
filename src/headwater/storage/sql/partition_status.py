"""The SQL event store's partition status: one status per (asset, partition) from the status index.

A partition is

* IN_PROGRESS when a materialization is planned later than its latest success and failure, and the
  run that planned it has not finished;
* FAILED when its latest attempt failed: a failure later than its latest success, or a planned
  materialization whose run finished without one (it failed or was canceled);
* MATERIALIZED when it has been materialized and neither of the above holds;
* missing (left out) otherwise.

One scan of the asset's index rows gives two values: the materialized partitions (one JSON array on
SQLite, one array on PostgreSQL) and the few *exceptions* -- rows whose latest event is a failure or
a planned materialization -- with their ids; only the exceptions' runs are looked up. 100,000
partitions so cost about what ``get_materialized_partitions`` costs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from headwater.core.asset_key import AssetKey
from headwater.events.run_status import RunStatus
from headwater.selection.partition_status import AssetPartitionStatus
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import asset_partitions, runs
from headwater.storage.sql.statements import sqlite_rows

_P = asset_partitions.c
_MAT = sa.func.coalesce(_P.last_materialization_id, -1)
_FAILED = sa.func.coalesce(_P.last_failed_id, -1)
_EXCEPTION = sa.or_(
    _P.last_failed_id > _MAT, sa.and_(_P.last_planned_id > _MAT, _P.last_planned_id > _FAILED)
)
_EXCEPTION_COLUMNS = (
    _P.partition,
    _P.last_materialization_id,
    _P.last_failed_id,
    _P.last_planned_id,
    _P.last_planned_run_id,
)
_SQLITE_STATUS = (
    'SELECT json_group_array("partition") FILTER (WHERE last_materialization_id IS NOT NULL), '
    'json_group_array(json_array("partition", last_materialization_id, last_failed_id, last_planned_id, '
    "last_planned_run_id)) FILTER (WHERE last_failed_id > coalesce(last_materialization_id, -1) OR "
    "last_planned_id > max(coalesce(last_materialization_id, -1), coalesce(last_failed_id, -1))) "
    "FROM asset_partitions WHERE asset_key = ?"
)
_IN_PROGRESS_RUN = frozenset(
    s.value
    for s in (
        RunStatus.NOT_STARTED,
        RunStatus.QUEUED,
        RunStatus.STARTING,
        RunStatus.STARTED,
        RunStatus.CANCELING,
    )
)
_FAILED_RUN = frozenset({RunStatus.FAILURE.value, RunStatus.CANCELED.value})
_M, _F, _IP = (
    AssetPartitionStatus.MATERIALIZED,
    AssetPartitionStatus.FAILED,
    AssetPartitionStatus.IN_PROGRESS,
)


def _read(conn: sa.Connection, key_str: str) -> tuple[Sequence[str], Sequence[Sequence[Any]]]:
    """(materialized partitions, exception rows) of one asset, in one scan."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        [(materialized, exceptions)] = sqlite_rows(conn, _SQLITE_STATUS, (key_str,))
        return json.loads(materialized), json.loads(exceptions)
    where = _P.asset_key == key_str
    if dialect == "postgresql":
        found = conn.execute(
            sa.select(sa.func.array_agg(_P.partition).filter(_P.last_materialization_id.is_not(None))).where(
                where
            )
        ).scalar()
        rows = conn.execute(sa.select(*_EXCEPTION_COLUMNS).where(where, _EXCEPTION)).all()
        return list(found or ()), rows
    materialized = conn.execute(
        sa.select(_P.partition).where(where, _P.last_materialization_id.is_not(None))
    ).scalars()
    rows = conn.execute(sa.select(*_EXCEPTION_COLUMNS).where(where, _EXCEPTION)).all()
    return list(materialized), rows


class SqlPartitionStatus:
    """Mixed into the SQL event store."""

    _db: Database

    def get_status_by_partition(
        self, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Mapping[str, AssetPartitionStatus]:
        """The status of each partition of ``asset_key`` that has one (all of them, or those of
        ``partitions``); a missing partition is left out."""
        with self._db.read() as conn:
            materialized, exceptions = _read(conn, asset_key.to_string())
            planned_runs = sorted({row[4] for row in exceptions if row[4] is not None and _is_planned(row)})
            run_status: dict[str, str] = {}
            if planned_runs:
                query = sa.select(runs.c.run_id, runs.c.status).where(runs.c.run_id.in_(planned_runs))
                run_status = {r[0]: r[1] for r in conn.execute(query)}
        out: dict[str, AssetPartitionStatus] = dict.fromkeys(materialized, _M)
        for partition, mat_id, _failed_id, _planned_id, run_id in exceptions:
            if not _is_planned((partition, mat_id, _failed_id, _planned_id)):
                out[partition] = _F
                continue
            status = run_status.get(run_id) if run_id is not None else None
            if status in _IN_PROGRESS_RUN:
                out[partition] = _IP
            elif status in _FAILED_RUN:
                out[partition] = _F
            elif (_failed_id or -1) > (mat_id or -1):  # its run succeeded without it (an optional
                out[partition] = _F  # output skipped) or is gone: the status before it
            elif mat_id is None:
                out.pop(partition, None)
        if partitions is not None:
            return {k: out[k] for k in partitions if k in out}
        return out


def _is_planned(row: Sequence[Any]) -> bool:
    mat, failed, planned = row[1], row[2], row[3]
    return (
        planned is not None
        and planned > (mat if mat is not None else -1)
        and planned > (failed if failed is not None else -1)
    )
