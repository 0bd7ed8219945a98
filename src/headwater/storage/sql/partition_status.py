"""The SQL event store's partition status: one status per (asset, partition) from the status index.

A partition is

* IN_PROGRESS when a materialization is planned later than its latest success and failure, and the
  run that planned it has not finished;
* FAILED when its latest attempt failed: a failure later than its latest success, or a planned
  materialization whose run finished without one (it failed or was canceled);
* MATERIALIZED when it has been materialized and neither of the above holds;
* missing (left out) otherwise.

The index rows are grouped by status in the database, so 100,000 partitions come back as a few rows
(one JSON array per status on SQLite, one array on PostgreSQL); only planned partitions are read one
by one, with their run's status.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
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
_IS_PLANNED = sa.and_(
    _P.last_planned_id.is_not(None), _P.last_planned_id > _MAT, _P.last_planned_id > _FAILED
)
#: One letter per status: P(lanned), F(ailed), M(aterialized), X (none: observed only).
_CODE = sa.case(
    (_IS_PLANNED, "P"),
    (_FAILED > _MAT, "F"),
    (_P.last_materialization_id.is_not(None), "M"),
    else_="X",
).label("code")
_SQLITE_GROUPED = (
    'SELECT code, json_group_array("partition") FROM (SELECT "partition", CASE '
    "WHEN last_planned_id IS NOT NULL AND last_planned_id > coalesce(last_materialization_id, -1) "
    "AND last_planned_id > coalesce(last_failed_id, -1) THEN 'P' "
    "WHEN coalesce(last_failed_id, -1) > coalesce(last_materialization_id, -1) THEN 'F' "
    "WHEN last_materialization_id IS NOT NULL THEN 'M' ELSE 'X' END AS code "
    "FROM asset_partitions WHERE asset_key = ?) GROUP BY code"
)
_FINISHED_BAD = {RunStatus.FAILURE.value, RunStatus.CANCELED.value}
_IN_PROGRESS_RUN = {
    s.value
    for s in (
        RunStatus.NOT_STARTED,
        RunStatus.QUEUED,
        RunStatus.STARTING,
        RunStatus.STARTED,
        RunStatus.CANCELING,
    )
}


class SqlPartitionStatus:
    """Mixed into the SQL event store."""

    _db: Database

    def get_status_by_partition(
        self, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Mapping[str, AssetPartitionStatus]:
        """The status of each partition of ``asset_key`` that has one (all of them, or those of
        ``partitions``); a missing partition is left out."""
        key_str = asset_key.to_string()
        wanted = set(partitions) if partitions is not None else None
        grouped: dict[str, list[str]] = {}
        with self._db.read() as conn:
            dialect = conn.dialect.name
            if dialect == "sqlite":
                for code, text in sqlite_rows(conn, _SQLITE_GROUPED, (key_str,)):
                    grouped[code] = json.loads(text)
            elif dialect == "postgresql":
                query: Any = (
                    sa.select(sa.literal_column("code"), sa.func.array_agg(sa.literal_column('"partition"')))
                    .select_from(sa.select(_P.partition, _CODE).where(_P.asset_key == key_str).subquery())
                    .group_by(sa.literal_column("code"))
                )
                for code, keys in conn.execute(query):
                    grouped[code] = list(keys)
            else:
                for partition, code in conn.execute(
                    sa.select(_P.partition, _CODE).where(_P.asset_key == key_str)
                ):
                    grouped.setdefault(code, []).append(partition)
            planned: dict[str, str | None] = {}
            if grouped.get("P"):
                query = sa.select(_P.partition, _P.last_planned_run_id, _P.last_materialization_id).where(
                    _P.asset_key == key_str, _IS_PLANNED
                )
                rows = conn.execute(query).all()
                run_ids = sorted({r[1] for r in rows if r[1] is not None})
                status_of: dict[str, str] = {}
                if run_ids:
                    query = sa.select(runs.c.run_id, runs.c.status).where(runs.c.run_id.in_(run_ids))
                    status_of = {r[0]: r[1] for r in conn.execute(query)}
                for row in rows:
                    partition, run_id, mat_id = row[0], row[1], row[2]
                    run_status = status_of.get(run_id) if run_id is not None else None
                    if run_status in _IN_PROGRESS_RUN:
                        planned[partition] = "P"
                    elif run_status in _FINISHED_BAD:
                        planned[partition] = "F"
                    else:  # succeeded without materializing it (an optional output skipped), or gone
                        planned[partition] = "M" if mat_id is not None else None
        out: dict[str, AssetPartitionStatus] = {}
        for code, status in (
            ("M", AssetPartitionStatus.MATERIALIZED),
            ("F", AssetPartitionStatus.FAILED),
        ):
            keys = grouped.get(code)
            if keys:
                out.update(dict.fromkeys(keys, status))
        by_code = {"P": AssetPartitionStatus.IN_PROGRESS, "F": AssetPartitionStatus.FAILED}
        for partition, code_ in planned.items():
            if code_ == "M":
                out[partition] = AssetPartitionStatus.MATERIALIZED
            elif code_ is not None:
                out[partition] = by_code[code_]
        if wanted is not None:
            return {k: v for k, v in out.items() if k in wanted}
        return out
