"""Retention for the SQL store: delete finished runs older than a cutoff, keeping what the asset
indexes point at (see ``storage.retention``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import sqlalchemy as sa

from headwater.events.run_status import FINISHED_STATUSES
from headwater.storage.records import ASSET_INDEX_EVENT_TYPES
from headwater.storage.retention import PRUNE_CHUNK, PruneResult
from headwater.storage.sql.database import Database
from headwater.storage.sql.run_worker_store import delete_for_runs
from headwater.storage.sql.schema import (
    asset_check_executions,
    asset_keys,
    asset_partitions,
    event_logs,
    run_tags,
    runs,
)

_INDEX_TYPES = [t.value for t in ASSET_INDEX_EVENT_TYPES]
_REFERENCING = (
    (asset_keys, ("last_materialization_id", "last_observation_id", "last_planned_id", "last_failed_id")),
    (
        asset_partitions,
        ("last_materialization_id", "last_observation_id", "last_planned_id", "last_failed_id"),
    ),
)


def prune(db: Database, before: float, *, dry_run: bool = False) -> PruneResult:
    """Delete finished runs that ended before ``before`` with their events (see ``storage.retention``)."""
    result = PruneResult(before, dry_run)
    ended = sa.func.coalesce(runs.c.end_time, runs.c.update_timestamp)
    query = (
        sa.select(runs.c.run_id)
        .where(runs.c.status.in_([s.value for s in FINISHED_STATUSES]), ended < before)
        .order_by(runs.c.id)
    )
    with db.read() as conn:
        run_ids = list(conn.execute(query).scalars())
    for start in range(0, len(run_ids), PRUNE_CHUNK):
        chunk = run_ids[start : start + PRUNE_CHUNK]
        if dry_run:
            with db.read() as conn:
                deleted, kept = _prune_chunk(conn, chunk, delete=False)
        else:
            deleted, kept = db.run_write(partial(_prune_chunk, run_ids=chunk, delete=True))
        result.run_ids.extend(chunk)
        result.events_deleted += deleted
        result.events_kept += kept
    return result


def _prune_chunk(conn: sa.Connection, run_ids: Sequence[str], *, delete: bool) -> tuple[int, int]:
    """(events deleted, events kept) of the runs ``run_ids``; deletes them if ``delete``."""
    c = event_logs.c
    count = conn.execute(sa.select(sa.func.count()).where(c.run_id.in_(run_ids))).scalar_one()
    indexed = set(
        conn.execute(
            sa.select(c.id).where(
                c.run_id.in_(run_ids), c.asset_key.is_not(None), c.dagster_event_type.in_(_INDEX_TYPES)
            )
        ).scalars()
    )
    kept = _referenced(conn, indexed)
    if delete:
        query = sa.delete(event_logs).where(c.run_id.in_(run_ids))
        if kept:
            query = query.where(c.id.not_in(sorted(kept)))
        conn.execute(query)
        checks = asset_check_executions.c
        latest = sa.select(sa.func.max(checks.id)).group_by(checks.asset_key, checks.check_name)
        latest_ids = list(conn.execute(latest).scalars())
        query = sa.delete(asset_check_executions).where(checks.run_id.in_(run_ids))
        if latest_ids:
            query = query.where(checks.id.not_in(latest_ids))
        conn.execute(query)
        conn.execute(sa.delete(run_tags).where(run_tags.c.run_id.in_(run_ids)))
        delete_for_runs(conn, run_ids)  # the run worker's heartbeat, the remote workers' step claims
        conn.execute(sa.delete(runs).where(runs.c.run_id.in_(run_ids)))
    return count - len(kept), len(kept)


def _referenced(conn: sa.Connection, ids: set[int]) -> set[int]:
    """Those of ``ids`` that a row of the asset index or the partition status index points at."""
    if not ids:
        return set()
    wanted = sorted(ids)
    found: set[int] = set()
    for table, columns in _REFERENCING:
        for name in columns:
            column = table.c[name]
            for start in range(0, len(wanted), 5000):
                part = wanted[start : start + 5000]
                found.update(conn.execute(sa.select(column).where(column.in_(part))).scalars())
    return found
