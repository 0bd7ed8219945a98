"""The SQL run store: ``runs`` (body JSON + indexed columns), ``run_tags``, ``snapshots``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from headwater.errors import RunNotFoundError
from headwater.events.event import Event
from headwater.storage.errors import DuplicateRunError
from headwater.storage.runs import (
    BACKFILL_ID_TAG,
    PARTITION_NAME_TAG,
    RUN_ORDER_BY,
    Run,
    RunRecord,
    RunsFilter,
    make_snapshot_id,
    status_after_event,
    times_after_status,
    to_datetime,
    validate_tags,
)
from headwater.storage.serde import run_from_json, run_to_json
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import run_tags, runs, snapshots
from headwater.storage.sql.statements import insert_ignore

if TYPE_CHECKING:
    from headwater.storage.sql.database import AnyRow

_ORDER_COLUMNS = {
    "storage_id": runs.c.id,
    "id": runs.c.id,
    "create_timestamp": runs.c.create_timestamp,
    "update_timestamp": runs.c.update_timestamp,
    "start_time": runs.c.start_time,
    "end_time": runs.c.end_time,
}


def _row_to_record(row: AnyRow) -> RunRecord:
    return RunRecord(
        storage_id=row.id,
        dagster_run=run_from_json(row.run_body),
        create_timestamp=to_datetime(row.create_timestamp),
        update_timestamp=to_datetime(row.update_timestamp),
        start_time=row.start_time,
        end_time=row.end_time,
    )


def _run_columns(run: Run) -> dict[str, Any]:
    return {
        "job_name": run.job_name,
        "status": run.status.value,
        "run_body": run_to_json(run),
        "snapshot_id": run.job_snapshot_id,
        "partition": run.tags.get(PARTITION_NAME_TAG),
        "backfill_id": run.tags.get(BACKFILL_ID_TAG),
        "parent_run_id": run.parent_run_id,
        "root_run_id": run.root_run_id,
    }


def _filter_clauses(filters: RunsFilter) -> list[sa.ColumnElement[bool]]:
    c = runs.c
    clauses: list[sa.ColumnElement[bool]] = []
    if filters.run_ids is not None:
        clauses.append(c.run_id.in_(filters.run_ids))
    if filters.job_name is not None:
        clauses.append(c.job_name == filters.job_name)
    if filters.statuses:
        clauses.append(c.status.in_([s.value for s in filters.statuses]))
    for key, value in filters.tags.items():
        values = [value] if isinstance(value, str) else list(value)
        tagged = sa.select(run_tags.c.run_id).where(run_tags.c.key == key, run_tags.c.value.in_(values))
        clauses.append(c.run_id.in_(tagged))
    if filters.snapshot_id is not None:
        clauses.append(c.snapshot_id == filters.snapshot_id)
    if filters.exclude_subruns:
        clauses.append(c.backfill_id.is_(None))
    for column, after, before in (
        (c.update_timestamp, filters.updated_after, filters.updated_before),
        (c.create_timestamp, filters.created_after, filters.created_before),
    ):
        if after is not None:
            clauses.append(column > after.timestamp())
        if before is not None:
            clauses.append(column < before.timestamp())
    return clauses


def locked_run_row(conn: sa.Connection, run_id: str) -> AnyRow:
    row = conn.execute(sa.select(runs).where(runs.c.run_id == run_id).with_for_update()).first()
    if row is None:
        raise RunNotFoundError(
            f"Run {run_id} is not in storage; create it with instance.create_run(...) first."
        )
    return row


def apply_run_event(conn: sa.Connection, run_id: str, event: Event, timestamp: float) -> RunRecord:
    """In the transaction of ``conn``: the status change of a run event, checked by the transition
    table (an illegal change raises and so rolls the whole transaction back)."""
    row = locked_run_row(conn, run_id)
    run = run_from_json(row.run_body)
    status = status_after_event(run, event.event_type)
    start, end = times_after_status(status, timestamp, row.start_time, row.end_time)
    new_run = run.with_status(status)
    values = {"status": status.value, "run_body": run_to_json(new_run), "update_timestamp": timestamp}
    conn.execute(sa.update(runs).where(runs.c.id == row.id).values(start_time=start, end_time=end, **values))
    return RunRecord(row.id, new_run, to_datetime(row.create_timestamp), to_datetime(timestamp), start, end)


class SqlRunStore:
    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock

    def add_run(self, run: Run) -> Run:
        now = self._clock()

        def write(conn: sa.Connection) -> None:
            conn.execute(
                sa.insert(runs).values(
                    run_id=run.run_id, create_timestamp=now, update_timestamp=now, **_run_columns(run)
                )
            )
            self._insert_tags(conn, run.run_id, run.tags)

        try:
            self._db.run_write(write)
        except sa.exc.IntegrityError as exc:
            if self.has_run(run.run_id):
                raise DuplicateRunError(
                    f"A run with id {run.run_id} is already stored; pick a new run id "
                    "(or leave it out to get a fresh one)."
                ) from exc
            raise
        return run

    def add_runs(self, new_runs: Sequence[Run]) -> list[Run]:
        if not new_runs:
            return []
        now = self._clock()

        def write(conn: sa.Connection) -> list[Run]:
            ids = [r.run_id for r in new_runs]
            taken: set[str] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                taken.update(conn.execute(sa.select(runs.c.run_id).where(runs.c.run_id.in_(chunk))).scalars())
            fresh = list({r.run_id: r for r in new_runs if r.run_id not in taken}.values())
            if fresh:
                conn.execute(
                    sa.insert(runs),
                    [
                        {
                            "run_id": r.run_id,
                            "create_timestamp": now,
                            "update_timestamp": now,
                            **_run_columns(r),
                        }
                        for r in fresh
                    ],
                )
                tags = [{"run_id": r.run_id, "key": k, "value": v} for r in fresh for k, v in r.tags.items()]
                if tags:
                    conn.execute(sa.insert(run_tags), tags)
            return fresh

        try:
            return self._db.run_write(write)
        except sa.exc.IntegrityError:  # another writer stored one of them meanwhile: one by one
            stored: list[Run] = []
            for run in new_runs:
                try:
                    stored.append(self.add_run(run))
                except DuplicateRunError:
                    continue
            return stored

    @staticmethod
    def _insert_tags(conn: sa.Connection, run_id: str, tags: Mapping[str, str]) -> None:
        if tags:
            conn.execute(
                sa.insert(run_tags), [{"run_id": run_id, "key": k, "value": v} for k, v in tags.items()]
            )

    def has_run(self, run_id: str) -> bool:
        with self._db.read() as conn:
            return conn.execute(sa.select(runs.c.id).where(runs.c.run_id == run_id)).first() is not None

    def get_run_record(self, run_id: str) -> RunRecord | None:
        with self._db.read() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.run_id == run_id)).first()
        return _row_to_record(row) if row is not None else None

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
    ) -> Sequence[RunRecord]:
        if order_by is not None and order_by not in _ORDER_COLUMNS:
            raise ValueError(f"Cannot order runs by {order_by!r}; use one of {', '.join(RUN_ORDER_BY)}.")
        column = sa.func.coalesce(_ORDER_COLUMNS[order_by or "id"], -1.0)
        query = sa.select(runs).where(*_filter_clauses(filters or RunsFilter()))
        with self._db.read() as conn:
            if cursor is not None:
                at = conn.execute(
                    sa.select(column.label("v"), runs.c.id).where(runs.c.run_id == cursor)
                ).first()
                if at is None:
                    return []
                if ascending:
                    query = query.where(sa.or_(column > at.v, sa.and_(column == at.v, runs.c.id > at.id)))
                else:
                    query = query.where(sa.or_(column < at.v, sa.and_(column == at.v, runs.c.id < at.id)))
            order = (column.asc(), runs.c.id.asc()) if ascending else (column.desc(), runs.c.id.desc())
            query = query.order_by(*order)
            if limit is not None:
                query = query.limit(limit)
            rows = conn.execute(query).all()
        return [_row_to_record(row) for row in rows]

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(runs).where(*_filter_clauses(filters or RunsFilter()))
        with self._db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def handle_run_event(self, run_id: str, event: Event, timestamp: float) -> RunRecord:
        return self._db.run_write(lambda conn: apply_run_event(conn, run_id, event, timestamp))

    def add_run_tags(self, run_id: str, new_tags: Mapping[str, str]) -> Run:
        tags = validate_tags(new_tags)
        with self._db.write() as conn:
            row = locked_run_row(conn, run_id)
            run = run_from_json(row.run_body)
            new_run = run.with_tags({**run.tags, **tags})
            values = _run_columns(new_run)
            conn.execute(
                sa.update(runs).where(runs.c.id == row.id).values(update_timestamp=self._clock(), **values)
            )
            conn.execute(
                sa.delete(run_tags).where(run_tags.c.run_id == run_id, run_tags.c.key.in_(list(tags)))
            )
            self._insert_tags(conn, run_id, tags)
        return new_run

    def get_run_tags(
        self, tag_keys: Sequence[str], value_prefix: str | None = None, limit: int | None = None
    ) -> Sequence[tuple[str, set[str]]]:
        query = (
            sa.select(run_tags.c.key, run_tags.c.value).distinct().where(run_tags.c.key.in_(list(tag_keys)))
        )
        if value_prefix is not None:
            query = query.where(run_tags.c.value.startswith(value_prefix, autoescape=True))
        values: dict[str, set[str]] = {}
        with self._db.read() as conn:
            for key, value in conn.execute(query):
                values.setdefault(key, set()).add(value)
        out = sorted(values.items())
        return out if limit is None else out[:limit]

    def delete_run(self, run_id: str) -> None:
        with self._db.write() as conn:
            conn.execute(sa.delete(run_tags).where(run_tags.c.run_id == run_id))
            conn.execute(sa.delete(runs).where(runs.c.run_id == run_id))

    def add_snapshot(self, body: str, kind: str) -> str:
        snapshot_id = make_snapshot_id(body)
        with self._db.write() as conn:
            insert_ignore(conn, snapshots, [{"snapshot_id": snapshot_id, "kind": kind, "body": body}])
        return snapshot_id

    def get_snapshot(self, snapshot_id: str) -> str | None:
        with self._db.read() as conn:
            return conn.execute(
                sa.select(snapshots.c.body).where(snapshots.c.snapshot_id == snapshot_id)
            ).scalar()

    def wipe(self) -> None:
        with self._db.write() as conn:
            for table in (run_tags, runs, snapshots):
                conn.execute(sa.delete(table))

    def dispose(self) -> None:
        pass
