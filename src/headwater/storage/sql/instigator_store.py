"""The SQL instigator store: ``instigators`` (one row per schedule/sensor: status and a JSON body) and
``ticks`` (one row per evaluation, unique per (selector, timestamp): revision 0004)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from headwater.core import codec
from headwater.storage.instigators import (
    DuplicateTickError,
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickData,
    TickStatus,
)
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import instigators, ticks
from headwater.storage.sql.statements import insert_returning_ids

_CHUNK = 500


def _state(body: str) -> InstigatorState:
    return codec.decode(body, InstigatorState, "an instigator state")


def _tick(tick_id: int, body: str) -> InstigatorTick:
    return InstigatorTick(int(tick_id), codec.decode(body, TickData, "a tick"))


class SqlInstigatorStore:
    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock

    # -- state ------------------------------------------------------------------------------------
    def get_instigator_state(self, selector_id: str) -> InstigatorState | None:
        with self._db.read() as conn:
            body = conn.execute(
                sa.select(instigators.c.instigator_body).where(instigators.c.selector_id == selector_id)
            ).scalar()
        return _state(body) if body is not None else None

    def all_instigator_state(
        self,
        instigator_type: InstigatorType | None = None,
        statuses: Iterable[InstigatorStatus] | None = None,
    ) -> Sequence[InstigatorState]:
        query = sa.select(instigators.c.instigator_body).order_by(instigators.c.selector_id)
        if instigator_type is not None:
            query = query.where(instigators.c.instigator_type == InstigatorType(instigator_type).value)
        if statuses is not None:
            query = query.where(instigators.c.status.in_([InstigatorStatus(s).value for s in statuses]))
        with self._db.read() as conn:
            return [_state(body) for body in conn.execute(query).scalars()]

    def set_instigator_state(self, state: InstigatorState) -> InstigatorState:
        now = self._clock()
        state = state.replace(update_timestamp=now)
        values = {
            "instigator_type": state.instigator_type.value,
            "status": state.status.value,
            "instigator_body": codec.encode(state).decode(),
            "update_timestamp": now,
        }
        sid = state.selector_id

        def write(conn: sa.Connection) -> None:
            updated = conn.execute(
                sa.update(instigators).where(instigators.c.selector_id == sid).values(**values)
            ).rowcount
            if not updated:
                conn.execute(
                    sa.insert(instigators).values(
                        selector_id=sid, repository_selector_id=state.location, create_timestamp=now, **values
                    )
                )

        self._db.run_write(write)
        return state

    def delete_instigator_state(self, selector_id: str) -> None:
        self._db.run_write(
            lambda conn: conn.execute(sa.delete(instigators).where(instigators.c.selector_id == selector_id))
        )

    # -- ticks ------------------------------------------------------------------------------------
    def create_tick(self, tick_data: TickData) -> InstigatorTick:
        sid = tick_data.selector_id

        def write(conn: sa.Connection) -> int:
            exists = conn.execute(
                sa.select(ticks.c.id).where(
                    ticks.c.selector_id == sid, ticks.c.timestamp == tick_data.timestamp
                )
            ).first()
            if exists is not None:
                raise DuplicateTickError(
                    f"{tick_data.instigator_type.value.lower()} {sid!r} already has a tick at "
                    f"{tick_data.timestamp}: it was evaluated (or is being evaluated) elsewhere."
                )
            result = conn.execute(
                sa.insert(ticks).values(
                    selector_id=sid,
                    tick_type=tick_data.instigator_type.value,
                    status=tick_data.status.value,
                    timestamp=tick_data.timestamp,
                    tick_body=codec.encode(tick_data).decode(),
                    update_timestamp=self._clock(),
                )
            )
            assert result.inserted_primary_key is not None
            return int(result.inserted_primary_key[0])

        try:
            tick_id = self._db.run_write(write)
        except sa.exc.IntegrityError as exc:  # another writer won the race on the unique index
            raise DuplicateTickError(
                f"{sid!r} already has a tick at {tick_data.timestamp}: it was evaluated elsewhere."
            ) from exc
        return InstigatorTick(tick_id, tick_data)

    def create_ticks(self, tick_datas: Sequence[TickData]) -> list[InstigatorTick | None]:
        if not tick_datas:
            return []
        now = self._clock()
        rows: list[dict[str, Any]] = [
            {
                "selector_id": data.selector_id,
                "tick_type": data.instigator_type.value,
                "status": data.status.value,
                "timestamp": data.timestamp,
                "tick_body": codec.encode(data).decode(),
                "update_timestamp": now,
            }
            for data in tick_datas
        ]

        def write(conn: sa.Connection) -> dict[tuple[str, float], int]:
            existing: set[tuple[str, float]] = set()
            selectors = sorted({r["selector_id"] for r in rows})
            for start in range(0, len(selectors), _CHUNK):
                chunk = selectors[start : start + _CHUNK]
                query = sa.select(ticks.c.selector_id, ticks.c.timestamp).where(
                    ticks.c.selector_id.in_(chunk)
                )
                existing.update((row.selector_id, row.timestamp) for row in conn.execute(query))
            new_rows: list[dict[str, Any]] = []
            for row in rows:
                pair = (row["selector_id"], row["timestamp"])
                if pair not in existing:
                    existing.add(pair)
                    new_rows.append(row)
            ids = insert_returning_ids(conn, ticks, new_rows) if new_rows else []
            return {(r["selector_id"], r["timestamp"]): i for r, i in zip(new_rows, ids, strict=True)}

        try:
            created = self._db.run_write(write)
        except sa.exc.IntegrityError:  # another writer inserted one of them meanwhile: one by one
            out: list[InstigatorTick | None] = []
            for data in tick_datas:
                try:
                    out.append(self.create_tick(data))
                except DuplicateTickError:
                    out.append(None)
            return out
        result: list[InstigatorTick | None] = []
        for data in tick_datas:  # a pair given twice is created once: the second is None
            tick_id = created.pop((data.selector_id, data.timestamp), None)
            result.append(InstigatorTick(tick_id, data) if tick_id is not None else None)
        return result

    def update_tick(self, tick: InstigatorTick) -> InstigatorTick:
        self.update_ticks([tick])
        return tick

    def update_ticks(self, many: Sequence[InstigatorTick]) -> None:
        if not many:
            return
        now = self._clock()
        rows = [
            {
                "b_id": t.tick_id,
                "status": t.tick_data.status.value,
                "tick_body": codec.encode(t.tick_data).decode(),
            }
            for t in many
        ]
        statement = (
            sa.update(ticks)
            .where(ticks.c.id == sa.bindparam("b_id"))
            .values(status=sa.bindparam("status"), tick_body=sa.bindparam("tick_body"), update_timestamp=now)
        )
        self._db.run_write(lambda conn: conn.execute(statement, rows))

    def get_tick(self, selector_id: str, timestamp: float) -> InstigatorTick | None:
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(ticks.c.id, ticks.c.tick_body).where(
                    ticks.c.selector_id == selector_id, ticks.c.timestamp == timestamp
                )
            ).first()
        return _tick(row.id, row.tick_body) if row is not None else None

    def get_ticks(
        self,
        selector_id: str,
        before: float | None = None,
        after: float | None = None,
        limit: int | None = None,
        statuses: Iterable[TickStatus] | None = None,
    ) -> Sequence[InstigatorTick]:
        query = (
            sa.select(ticks.c.id, ticks.c.tick_body)
            .where(ticks.c.selector_id == selector_id)
            .order_by(ticks.c.timestamp.desc(), ticks.c.id.desc())
        )
        if before is not None:
            query = query.where(ticks.c.timestamp < before)
        if after is not None:
            query = query.where(ticks.c.timestamp > after)
        if statuses is not None:
            query = query.where(ticks.c.status.in_([TickStatus(s).value for s in statuses]))
        if limit is not None:
            query = query.limit(limit)
        with self._db.read() as conn:
            return [_tick(row.id, row.tick_body) for row in conn.execute(query)]

    def get_latest_ticks(self, selector_ids: Iterable[str]) -> Mapping[str, InstigatorTick]:
        ids = list(dict.fromkeys(selector_ids))
        out: dict[str, InstigatorTick] = {}
        with self._db.read() as conn:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                newest = (
                    sa.select(ticks.c.selector_id, sa.func.max(ticks.c.timestamp).label("ts"))
                    .where(ticks.c.selector_id.in_(chunk))
                    .group_by(ticks.c.selector_id)
                    .subquery()
                )
                query = sa.select(ticks.c.selector_id, ticks.c.id, ticks.c.tick_body).join(
                    newest,
                    sa.and_(ticks.c.selector_id == newest.c.selector_id, ticks.c.timestamp == newest.c.ts),
                )
                for row in conn.execute(query):
                    out[row.selector_id] = _tick(row.id, row.tick_body)
        return out

    def purge_ticks(self, selector_id: str, before: float) -> int:
        def write(conn: sa.Connection) -> int:
            return int(
                conn.execute(
                    sa.delete(ticks).where(ticks.c.selector_id == selector_id, ticks.c.timestamp < before)
                ).rowcount
            )

        return self._db.run_write(write)

    def wipe(self) -> None:
        def write(conn: sa.Connection) -> None:
            conn.execute(sa.delete(ticks))
            conn.execute(sa.delete(instigators))

        self._db.run_write(write)
