"""Automatic run retries (Dagster's run retries): a FAILURE run tagged ``dagster/max_retries: N`` is
re-executed, at most N times along its chain of retries.

``retry_tick(storage, now, coordinator=..., launcher=...)`` looks at the runs that failed in the last
``lookback`` seconds (whatever failed them: a step, the run monitor, ...). For each run tagged
``dagster/max_retries``:

* its retry number (``dagster/retry_number``, 0 for the original run) below N: it creates the
  re-execution -- ``dagster/retry_strategy`` ``FROM_FAILURE`` (default) or ``ALL_STEPS`` -- with the
  failed run as parent, its root as root and ``dagster/retry_number`` one higher, records the new
  run on the failed one (``dagster/auto_retry_run_id``, ``dagster/will_retry: true``) and submits it
  to the coordinator;
* otherwise it records ``dagster/will_retry: false``.

A failed run is retried once: a run that has ``dagster/auto_retry_run_id`` or ``dagster/will_retry:
false`` is done with, and a retry created just before a crash (found by parent run id and retry
number) is recorded -- and submitted if it never was -- instead of created again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from headwater.events.payloads import EngineEventData
from headwater.events.run_status import RunStatus
from headwater.runs.protocols import RunCoordinator, RunLauncher
from headwater.runs.reexecute import ReexecutionStrategy, create_reexecution_run
from headwater.runs.run_events import report_engine_event
from headwater.runs.tags import (
    AUTO_RETRY_RUN_ID_TAG,
    MAX_RETRIES_TAG,
    RETRY_NUMBER_TAG,
    RETRY_STRATEGY_TAG,
    WILL_RETRY_TAG,
)
from headwater.storage.protocols import Storage
from headwater.storage.runs import PARENT_RUN_ID_TAG, Run, RunsFilter

#: How far back ``retry_tick`` looks for failed runs (seconds).
DEFAULT_LOOKBACK = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class RetryResult:
    retried: tuple[tuple[str, str], ...]  # (failed run id, new run id)
    given_up: tuple[tuple[str, str], ...]  # (failed run id, why not)


def _int_tag(run: Run, key: str) -> int | None:
    raw = run.tags.get(key)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _strategy(storage: Storage, run: Run) -> ReexecutionStrategy:
    raw = run.tags.get(RETRY_STRATEGY_TAG)
    if raw is None:
        return ReexecutionStrategy.FROM_FAILURE
    try:
        return ReexecutionStrategy(raw)
    except ValueError:
        report_engine_event(
            storage,
            run,
            f"Tag {RETRY_STRATEGY_TAG}={raw!r} is not FROM_FAILURE or ALL_STEPS; retrying FROM_FAILURE.",
        )
        return ReexecutionStrategy.FROM_FAILURE


def _existing_retry(storage: Storage, run: Run, number: int) -> Run | None:
    """A retry of ``run`` created earlier (by a tick that stopped before recording it)."""
    records = storage.run_store.get_run_records(
        RunsFilter(tags={PARENT_RUN_ID_TAG: run.run_id, RETRY_NUMBER_TAG: str(number)}), limit=1
    )
    return records[0].dagster_run if records else None


def _give_up(storage: Storage, run: Run, why: str) -> tuple[str, str]:
    storage.run_store.add_run_tags(run.run_id, {WILL_RETRY_TAG: "false"})
    report_engine_event(storage, run, f"Not retrying run {run.run_id}: {why}.")
    return (run.run_id, why)


def retry_tick(
    storage: Storage,
    now: float,
    *,
    coordinator: RunCoordinator,
    launcher: RunLauncher,
    lookback: float = DEFAULT_LOOKBACK,
) -> RetryResult:
    """Retry the runs that failed since ``now - lookback`` and ask for it (see the module doc),
    submitting each new run to ``coordinator`` (which launches it through ``launcher``)."""
    since = dt.datetime.fromtimestamp(now - lookback, dt.UTC)
    records = storage.run_store.get_run_records(
        RunsFilter(statuses=[RunStatus.FAILURE], updated_after=since),
        order_by="create_timestamp",
        ascending=True,
    )
    retried: list[tuple[str, str]] = []
    given_up: list[tuple[str, str]] = []
    for record in records:
        run = record.dagster_run
        tags = run.tags
        if (
            MAX_RETRIES_TAG not in tags
            or AUTO_RETRY_RUN_ID_TAG in tags
            or tags.get(WILL_RETRY_TAG) == "false"
        ):
            continue
        max_retries = _int_tag(run, MAX_RETRIES_TAG)
        if max_retries is None or max_retries < 0:
            given_up.append(
                _give_up(storage, run, f"tag {MAX_RETRIES_TAG}={tags[MAX_RETRIES_TAG]!r} is not a count")
            )
            continue
        number = (_int_tag(run, RETRY_NUMBER_TAG) or 0) + 1
        if number > max_retries:
            given_up.append(
                _give_up(
                    storage, run, f"it was retried {max_retries} time(s), the most {MAX_RETRIES_TAG} allows"
                )
            )
            continue
        try:
            child = _existing_retry(storage, run, number)
            if child is None:
                child = create_reexecution_run(
                    storage, run.run_id, _strategy(storage, run), {RETRY_NUMBER_TAG: str(number)}
                )
            storage.run_store.add_run_tags(
                run.run_id, {AUTO_RETRY_RUN_ID_TAG: child.run_id, WILL_RETRY_TAG: "true"}
            )
            report_engine_event(
                storage,
                run,
                f"Retrying the run as run {child.run_id} (retry {number} of {max_retries}).",
                EngineEventData({"new run": child.run_id}),
            )
            if child.status is RunStatus.NOT_STARTED:
                report_engine_event(
                    storage,
                    child,
                    f"Launched as automatic retry {number} of {max_retries} of run {run.run_id}.",
                    EngineEventData({"failed run": run.run_id}),
                )
                coordinator.submit_run(storage, launcher, child)
        except Exception as exc:  # a run that cannot be retried must not block the others
            given_up.append(_give_up(storage, run, f"its re-execution failed: {type(exc).__name__}: {exc}"))
            continue
        retried.append((run.run_id, child.run_id))
    return RetryResult(tuple(retried), tuple(given_up))
