"""The automation evaluations store in SQL (``automation_evaluations``): see ``storage.automation``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import sqlalchemy as sa

from headwater.selection.automation.records import EntityEvaluation
from headwater.storage.automation import AutomationEvaluationRecord
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import automation_evaluations

_E = automation_evaluations.c
_DECODE = msgspec.json.Decoder(EntityEvaluation)
_ENCODE = msgspec.json.Encoder()
_RUN_IDS = msgspec.json.Decoder(tuple[str, ...])
_COLUMNS = (_E.id, _E.selector_id, _E.body, _E.run_ids)


def _record(row: Any) -> AutomationEvaluationRecord:
    run_ids = _RUN_IDS.decode(row[3]) if row[3] else ()
    return AutomationEvaluationRecord(row[0], row[1], _DECODE.decode(row[2]), run_ids)


class SqlAutomationStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_evaluations(self, selector_id: str, evaluations: Sequence[EntityEvaluation]) -> None:
        if not evaluations:
            return
        ids = sorted({e.evaluation_id for e in evaluations})
        rows = [
            {
                "selector_id": selector_id,
                "evaluation_id": e.evaluation_id,
                "entity_key": e.entity_key,
                "timestamp": e.timestamp,
                "num_requested": e.requested.count,
                "body": _ENCODE.encode(e).decode(),
            }
            for e in evaluations
        ]

        def write(conn: sa.Connection) -> None:
            conn.execute(
                sa.delete(automation_evaluations).where(
                    _E.selector_id == selector_id, _E.evaluation_id.in_(ids)
                )
            )
            conn.execute(sa.insert(automation_evaluations), rows)

        self._db.run_write(write)

    def set_run_ids(self, selector_id: str, evaluation_id: int, run_ids: Mapping[str, Sequence[str]]) -> None:
        if not run_ids:
            return

        statement = (
            sa.update(automation_evaluations)
            .where(
                _E.selector_id == sa.bindparam("s"),
                _E.evaluation_id == sa.bindparam("e"),
                _E.entity_key == sa.bindparam("k"),
            )
            .values(run_ids=sa.bindparam("r"))
        )
        rows = [
            {"s": selector_id, "e": evaluation_id, "k": key, "r": _ENCODE.encode(list(ids)).decode()}
            for key, ids in run_ids.items()
        ]

        def write(conn: sa.Connection) -> None:
            conn.execute(statement, rows)

        self._db.run_write(write)

    def get_evaluations(
        self, entity_key: str, limit: int = 20, before_id: int | None = None
    ) -> Sequence[AutomationEvaluationRecord]:
        query = sa.select(*_COLUMNS).where(_E.entity_key == entity_key)
        if before_id is not None:
            query = query.where(_E.id < before_id)
        query = query.order_by(_E.id.desc()).limit(limit)
        with self._db.read() as conn:
            return [_record(row) for row in conn.execute(query)]

    def get_tick_evaluations(
        self, selector_id: str, evaluation_id: int
    ) -> Sequence[AutomationEvaluationRecord]:
        query = (
            sa.select(*_COLUMNS)
            .where(_E.selector_id == selector_id, _E.evaluation_id == evaluation_id)
            .order_by(_E.id)
        )
        with self._db.read() as conn:
            return [_record(row) for row in conn.execute(query)]

    def get_latest_evaluations(self) -> Sequence[AutomationEvaluationRecord]:
        newest = sa.select(sa.func.max(_E.id)).group_by(_E.entity_key).scalar_subquery()
        query = sa.select(*_COLUMNS).where(_E.id.in_(newest)).order_by(_E.entity_key)
        with self._db.read() as conn:
            return [_record(row) for row in conn.execute(query)]

    def purge_evaluations(self, before: float) -> int:
        def write(conn: sa.Connection) -> int:
            newest = sa.select(sa.func.max(_E.id)).group_by(_E.entity_key)
            keep = {row[0] for row in conn.execute(newest)}
            old = [r[0] for r in conn.execute(sa.select(_E.id).where(_E.timestamp < before))]
            doomed = [i for i in old if i not in keep]
            for start in range(0, len(doomed), 500):
                conn.execute(sa.delete(automation_evaluations).where(_E.id.in_(doomed[start : start + 500])))
            return len(doomed)

        return self._db.run_write(write)


__all__ = ["SqlAutomationStore"]
