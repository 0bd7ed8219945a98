"""The SQL backfill store: ``backfills`` rows (status and end time as columns, the rest as a JSON
body), and the status of each backfill's runs read from the runs table (``runs.backfill_id``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import sqlalchemy as sa

from headwater.errors import StorageError
from headwater.events.run_status import RunStatus
from headwater.storage.backfills import (
    BackfillNotFoundError,
    BulkActionsFilter,
    BulkActionStatus,
    PartitionBackfill,
    backfill_from_json,
    backfill_to_json,
)
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import backfills, runs

_B = backfills.c


class DuplicateBackfillError(StorageError):
    """A backfill with this id is already stored."""


def _matches_tags(backfill: PartitionBackfill, tags: Mapping[str, str | Sequence[str]]) -> bool:
    for key, value in tags.items():
        have = backfill.tags.get(key)
        accepted = [value] if isinstance(value, str) else list(value)
        if have is None or have not in accepted:
            return False
    return True


class SqlBackfillStore:
    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock

    def add_backfill(self, backfill: PartitionBackfill) -> None:
        now = self._clock()
        row = {
            "backfill_id": backfill.backfill_id,
            "status": backfill.status.value,
            "job_name": backfill.job_name,
            "body": backfill_to_json(backfill),
            "create_timestamp": backfill.backfill_timestamp,
            "update_timestamp": now,
            "end_timestamp": backfill.backfill_end_timestamp,
        }
        try:
            self._db.run_write(lambda conn: conn.execute(sa.insert(backfills).values(**row)))
        except sa.exc.IntegrityError as exc:
            raise DuplicateBackfillError(
                f"A backfill with id {backfill.backfill_id} is already stored; update_backfill changes it."
            ) from exc

    def update_backfill(self, backfill: PartitionBackfill) -> None:
        values = {
            "status": backfill.status.value,
            "body": backfill_to_json(backfill),
            "update_timestamp": self._clock(),
            "end_timestamp": backfill.backfill_end_timestamp,
        }

        def write(conn: sa.Connection) -> int:
            query = sa.update(backfills).where(_B.backfill_id == backfill.backfill_id).values(**values)
            return conn.execute(query).rowcount

        if not self._db.run_write(write):
            raise BackfillNotFoundError(
                f"No backfill {backfill.backfill_id} in storage: add it with add_backfill first."
            )

    def get_backfill(self, backfill_id: str) -> PartitionBackfill | None:
        with self._db.read() as conn:
            body = conn.execute(sa.select(_B.body).where(_B.backfill_id == backfill_id)).scalar()
        return backfill_from_json(body) if body is not None else None

    def get_backfills(
        self,
        filters: BulkActionsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        status: BulkActionStatus | None = None,
    ) -> Sequence[PartitionBackfill]:
        """Backfills newest first; ``cursor`` is a backfill id to continue after."""
        query = sa.select(_B.body).where(*self._clauses(filters, status))
        if cursor is not None:
            after = sa.select(_B.id).where(_B.backfill_id == cursor).scalar_subquery()
            query = query.where(_B.id < after)
        tags = filters.tags if filters is not None else {}
        if limit is not None and not tags:
            query = query.limit(limit)
        with self._db.read() as conn:
            bodies = list(conn.execute(query.order_by(_B.id.desc())).scalars())
        out = [backfill_from_json(b) for b in bodies]
        if tags:
            out = [b for b in out if _matches_tags(b, tags)]
            if limit is not None:
                out = out[:limit]
        return out

    def get_backfills_count(self, filters: BulkActionsFilter | None = None) -> int:
        if filters is not None and filters.tags:
            return len(self.get_backfills(filters))
        query = sa.select(sa.func.count()).select_from(backfills).where(*self._clauses(filters, None))
        with self._db.read() as conn:
            return int(conn.execute(query).scalar_one())

    @staticmethod
    def _clauses(
        filters: BulkActionsFilter | None, status: BulkActionStatus | None
    ) -> list[sa.ColumnElement[bool]]:
        clauses: list[sa.ColumnElement[bool]] = []
        statuses = list(filters.statuses or ()) if filters is not None else []
        if status is not None:
            statuses.append(status)
        if statuses:
            clauses.append(_B.status.in_([s.value for s in statuses]))
        if filters is not None:
            if filters.created_before is not None:
                clauses.append(_B.create_timestamp < filters.created_before.timestamp())
            if filters.created_after is not None:
                clauses.append(_B.create_timestamp > filters.created_after.timestamp())
            if filters.backfill_ids is not None:
                clauses.append(_B.backfill_id.in_(list(filters.backfill_ids)))
        return clauses

    def get_backfill_run_statuses(self, backfill_id: str) -> Mapping[str, RunStatus]:
        """The status of every run of the backfill (runs tagged ``dagster/backfill``), by run id."""
        query = sa.select(runs.c.run_id, runs.c.status).where(runs.c.backfill_id == backfill_id)
        with self._db.read() as conn:
            return {run_id: RunStatus(status) for run_id, status in conn.execute(query)}

    def wipe(self) -> None:
        with self._db.write() as conn:
            conn.execute(sa.delete(backfills))
