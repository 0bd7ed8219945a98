"""The in-memory run store."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from headwater.errors import RunNotFoundError
from headwater.events.event import Event
from headwater.storage.errors import DuplicateRunError
from headwater.storage.runs import (
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


def _sort_key(order_by: str | None) -> Callable[[RunRecord], tuple[float, int]]:
    if order_by in (None, "storage_id", "id"):
        return lambda r: (0.0, r.storage_id)
    if order_by not in RUN_ORDER_BY:
        raise ValueError(f"Cannot order runs by {order_by!r}; use one of {', '.join(RUN_ORDER_BY)}.")

    def key(record: RunRecord) -> tuple[float, int]:
        value = getattr(record, order_by)
        if value is None:
            return (float("-inf"), record.storage_id)
        return (value if isinstance(value, float) else value.timestamp(), record.storage_id)

    return key


class MemoryRunStore:
    """Runs in a dict keyed by run id (insertion order = storage id order), guarded by a lock."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        self._runs: dict[str, RunRecord] = {}
        self._next_id = 1
        self._snapshots: dict[str, str] = {}

    def add_run(self, run: Run) -> Run:
        now = to_datetime(self._clock())
        with self._lock:
            if run.run_id in self._runs:
                raise DuplicateRunError(
                    f"A run with id {run.run_id} is already stored; pick a new run id "
                    "(or leave it out to get a fresh one)."
                )
            self._runs[run.run_id] = RunRecord(self._next_id, run, now, now)
            self._next_id += 1
        return run

    def has_run(self, run_id: str) -> bool:
        return run_id in self._runs

    def get_run_record(self, run_id: str) -> RunRecord | None:
        return self._runs.get(run_id)

    def _require(self, run_id: str) -> RunRecord:
        record = self._runs.get(run_id)
        if record is None:
            raise RunNotFoundError(
                f"Run {run_id} is not in storage; create it with instance.create_run(...) first."
            )
        return record

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
    ) -> Sequence[RunRecord]:
        key = _sort_key(order_by)
        with self._lock:
            records = list(self._runs.values())
        if filters is not None:
            if filters.run_ids is not None and len(filters.run_ids) < len(records):
                records = [r for r in (self._runs.get(i) for i in filters.run_ids) if r is not None]
            records = [r for r in records if filters.matches(r)]
        records.sort(key=key, reverse=not ascending)
        if cursor is not None:
            position = next((i for i, r in enumerate(records) if r.dagster_run.run_id == cursor), None)
            records = [] if position is None else records[position + 1 :]
        return records if limit is None else records[:limit]

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        if filters is None:
            return len(self._runs)
        return len(self.get_run_records(filters))

    def handle_run_event(self, run_id: str, event: Event, timestamp: float) -> RunRecord:
        with self._lock:
            record = self._require(run_id)
            run = record.dagster_run
            status = status_after_event(run, event.event_type)
            start, end = times_after_status(status, timestamp, record.start_time, record.end_time)
            new = dataclasses.replace(
                record,
                dagster_run=run.with_status(status),
                update_timestamp=to_datetime(timestamp),
                start_time=start,
                end_time=end,
            )
            self._runs[run_id] = new
            return new

    def add_run_tags(self, run_id: str, new_tags: Mapping[str, str]) -> Run:
        tags = validate_tags(new_tags)
        with self._lock:
            record = self._require(run_id)
            run = record.dagster_run.with_tags({**record.dagster_run.tags, **tags})
            self._runs[run_id] = dataclasses.replace(
                record, dagster_run=run, update_timestamp=to_datetime(self._clock())
            )
            return run

    def get_run_tags(
        self, tag_keys: Sequence[str], value_prefix: str | None = None, limit: int | None = None
    ) -> Sequence[tuple[str, set[str]]]:
        wanted = set(tag_keys)
        values: dict[str, set[str]] = {}
        with self._lock:
            runs = [r.dagster_run for r in self._runs.values()]
        for run in runs:
            for key, value in run.tags.items():
                if key in wanted and (value_prefix is None or value.startswith(value_prefix)):
                    values.setdefault(key, set()).add(value)
        out = sorted(values.items())
        return out if limit is None else out[:limit]

    def delete_run(self, run_id: str) -> None:
        with self._lock:
            self._runs.pop(run_id, None)

    def add_snapshot(self, body: str, kind: str) -> str:
        snapshot_id = make_snapshot_id(body)
        with self._lock:
            self._snapshots[snapshot_id] = body
        return snapshot_id

    def get_snapshot(self, snapshot_id: str) -> str | None:
        return self._snapshots.get(snapshot_id)

    def wipe(self) -> None:
        with self._lock:
            self._runs.clear()
            self._snapshots.clear()

    def dispose(self) -> None:
        pass
