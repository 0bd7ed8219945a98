"""The run queue: which QUEUED runs may start now (``select_runs_to_dequeue``, pure) and one tick
of the queue (``dequeue_tick``: select, then DEQUEUED + launch each).

Order: higher ``dagster/priority`` first, then oldest first. A run starts when the number of runs in
progress stays within ``max_concurrent_runs`` (-1: no limit) and within every tag limit it matches;
a run held back by a tag limit does not hold back the runs behind it that the limit does not cover.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from headwater.events.event_type import EventType
from headwater.events.run_status import IN_PROGRESS_STATUSES, RunStatus
from headwater.runs.protocols import RunLauncher
from headwater.runs.run_events import emit_run_event, get_run, report_run_failed
from headwater.runs.settings import RunsSettings, TagConcurrencyLimit
from headwater.runs.tags import PRIORITY_TAG
from headwater.storage.protocols import Storage
from headwater.storage.runs import Run, RunRecord, RunsFilter

__all__ = ["DequeueResult", "TagConcurrencyLimit", "dequeue_tick", "run_priority", "select_runs_to_dequeue"]
log = logging.getLogger("headwater.runs")


def run_priority(run: Run) -> int:
    raw = run.tags.get(PRIORITY_TAG)
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0


def _buckets(run: Run, limits: Sequence[TagConcurrencyLimit]) -> list[tuple[int, str | None]]:
    """The (limit index, value bucket) pairs ``run`` counts against."""
    out: list[tuple[int, str | None]] = []
    for i, limit in enumerate(limits):
        value = run.tags.get(limit.key)
        if value is None or (limit.value is not None and value != limit.value):
            continue
        out.append((i, value if limit.per_unique_value else None))
    return out


def select_runs_to_dequeue(
    queued: Sequence[RunRecord], in_progress: Sequence[Run], settings: RunsSettings
) -> list[Run]:
    """The queued runs to launch now, in launch order."""
    limits = settings.tag_concurrency_limits
    used: Counter[tuple[int, str | None]] = Counter()
    for run in in_progress:
        used.update(_buckets(run, limits))
    budget = (
        None if settings.max_concurrent_runs < 0 else max(0, settings.max_concurrent_runs - len(in_progress))
    )
    ordered = sorted(queued, key=lambda r: (-run_priority(r.dagster_run), r.create_timestamp, r.storage_id))
    chosen: list[Run] = []
    for record in ordered:
        if budget is not None and len(chosen) >= budget:
            break
        run = record.dagster_run
        buckets = _buckets(run, limits)
        if any(used[b] >= limits[b[0]].limit for b in buckets):
            continue
        used.update(buckets)
        chosen.append(run)
    return chosen


@dataclass(frozen=True, slots=True)
class DequeueResult:
    launched: tuple[str, ...]
    failed: tuple[str, ...]
    queued_left: int


def dequeue_tick(
    storage: Storage,
    now: float,
    *,
    settings: RunsSettings,
    launcher: RunLauncher,
    still_leader: Callable[[], bool] | None = None,
) -> DequeueResult:
    """Launch (through ``launcher``) the queued runs the limits in ``settings`` allow at ``now``; a run
    whose launch fails is marked FAILURE and does not stop the others. ``still_leader`` (the daemon's
    fencing check) is asked before each run leaves the queue: when it says no, the tick stops there."""
    runs = storage.run_store
    queued = runs.get_run_records(RunsFilter(statuses=[RunStatus.QUEUED]), ascending=True)
    if not queued:
        return DequeueResult((), (), 0)
    in_progress = [
        r.dagster_run for r in runs.get_run_records(RunsFilter(statuses=sorted(IN_PROGRESS_STATUSES)))
    ]
    launched: list[str] = []
    failed: list[str] = []
    for run in select_runs_to_dequeue(queued, in_progress, settings):
        if still_leader is not None and not still_leader():
            log.warning("No longer the run queue's leader: leaving the other queued runs to the new one")
            break
        emit_run_event(storage, run, EventType.RUN_DEQUEUED, "Leaving the run queue.", timestamp=now)
        current = get_run(storage, run.run_id) or run
        try:
            launcher.launch_run(storage, current)
            launched.append(run.run_id)
        except Exception as exc:
            log.exception("Launching run %s failed", run.run_id)
            failed.append(run.run_id)
            latest = get_run(storage, run.run_id)
            if latest is not None and not latest.is_finished:
                report_run_failed(storage, latest, f"Launching the run failed: {type(exc).__name__}: {exc}")
    return DequeueResult(tuple(launched), tuple(failed), len(queued) - len(launched) - len(failed))
