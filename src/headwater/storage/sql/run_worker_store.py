"""Run-worker heartbeats in SQL: rows of the ``kv`` table keyed ``run_worker/<run_id>`` (also the
remote workers' step claims, ``run_worker/step/<run_id>/<step key>``: deleted with their run by
``prune``, see ``delete_for_runs``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa

from headwater.storage.run_workers import WorkerHeartbeat
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import kv

_PREFIX = "run_worker/"
_STEP_PREFIX = _PREFIX + "step/"  # executors.step_claims: ``step/<run_id>/<step key>``


def _key(run_id: str) -> str:
    return _PREFIX + run_id


class SqlRunWorkerStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def heartbeat(self, beat: WorkerHeartbeat) -> None:
        body = json.dumps({"pid": beat.pid, "hostname": beat.hostname, "timestamp": beat.timestamp})
        key = _key(beat.run_id)

        def write(conn: sa.Connection) -> None:
            if self._db.dialect == "postgresql":  # a heartbeat need not wait for the disk
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            updated = conn.execute(sa.update(kv).where(kv.c.key == key).values(value=body)).rowcount
            if not updated:
                conn.execute(sa.insert(kv).values(key=key, value=body))

        self._db.run_write(write)

    def get_heartbeats(self, run_ids: Iterable[str]) -> Mapping[str, WorkerHeartbeat]:
        keys = [_key(r) for r in run_ids]
        if not keys:
            return {}
        out: dict[str, WorkerHeartbeat] = {}
        with self._db.read() as conn:
            for chunk_start in range(0, len(keys), 500):
                chunk = keys[chunk_start : chunk_start + 500]
                for key, value in conn.execute(sa.select(kv.c.key, kv.c.value).where(kv.c.key.in_(chunk))):
                    try:
                        body = json.loads(value)
                        run_id = key[len(_PREFIX) :]
                        out[run_id] = WorkerHeartbeat(
                            run_id, int(body["pid"]), str(body["hostname"]), float(body["timestamp"])
                        )
                    except (ValueError, KeyError, TypeError):
                        continue  # a damaged row is as good as no heartbeat
        return out

    def clear(self, run_id: str) -> None:
        self._db.run_write(lambda conn: conn.execute(sa.delete(kv).where(kv.c.key == _key(run_id))))


def delete_for_runs(conn: sa.Connection, run_ids: Sequence[str]) -> int:
    """Delete the heartbeat and the step claims of each of ``run_ids`` (the rows deleted)."""
    if not run_ids:
        return 0
    deleted = conn.execute(sa.delete(kv).where(kv.c.key.in_([_key(r) for r in run_ids]))).rowcount
    by_length: dict[int, list[str]] = {}
    for run_id in run_ids:
        by_length.setdefault(len(run_id), []).append(run_id)
    start = len(_STEP_PREFIX) + 1
    for length, ids in by_length.items():  # ``step/<id>/``: the id, then a slash (``old1`` is no ``old10``)
        deleted += conn.execute(
            sa.delete(kv).where(
                kv.c.key.startswith(_STEP_PREFIX, autoescape=True),
                sa.func.substr(kv.c.key, start, length).in_(ids),
                sa.func.substr(kv.c.key, start + length, 1) == "/",
            )
        ).rowcount
    return int(deleted)
