"""Retention for the in-memory store (same rules as the SQL store: see ``storage.retention``)."""

from __future__ import annotations

from headwater.events.event import EventLogRecord
from headwater.storage.memory.events import MemoryEventStore
from headwater.storage.memory.runs import MemoryRunStore
from headwater.storage.retention import PruneResult


def prune(runs: MemoryRunStore, events: MemoryEventStore, before: float, *, dry_run: bool) -> PruneResult:
    result = PruneResult(before, dry_run)
    with runs._lock, events._lock:
        for record in runs.get_run_records(ascending=True):
            ended = record.end_time if record.end_time is not None else record.update_timestamp.timestamp()
            if not record.dagster_run.is_finished or ended >= before:
                continue
            run_id = record.dagster_run.run_id
            result.run_ids.append(run_id)
            kept = _referenced(events, events._by_run.get(run_id, []))
            result.events_kept += len(kept)
            result.events_deleted += len(events._by_run.get(run_id, [])) - len(kept)
            if not dry_run:
                events.remove_run_events(run_id, keep=kept)
                runs.delete_run(run_id)
    return result


def _referenced(events: MemoryEventStore, records: list[EventLogRecord]) -> set[int]:
    index = events._assets
    out: set[int] = set()
    for record in records:
        key = record.asset_key
        if key is None:
            continue
        row = index.rows.get(key)
        if row is not None and any(r is record for r in (row.mat, row.obs, row.failed, row.planned)):
            out.add(record.storage_id)
            continue
        partition = record.partition_key
        part = index.partitions.get(key, {}).get(partition) if partition is not None else None
        if part is not None and record.storage_id in (part.mat, part.obs, part.failed, part.planned):
            out.add(record.storage_id)
    return out
