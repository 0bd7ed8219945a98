"""The backfill tick: turns each REQUESTED backfill into runs, in batches, through the run
coordinator (a queued coordinator keeps them within its limits), in the order of its plan's
dependencies (``selection.backfill_plan``).

One tick, for each backfill not finished:

* CANCELING: cancel its runs not finished; once none is left, CANCELED.
* paused: nothing.
* otherwise: submit its runs created but never submitted (a tick interrupted between the two), then
  the requests whose dependencies have all succeeded, at most ``max_runs_per_tick`` runs in all;
  when every request has finished -- or is blocked because something it reads failed -- the backfill
  is COMPLETED_SUCCESS or COMPLETED_FAILED.

Nothing but the runs records progress: a run's id is derived from the backfill and its partitions,
so a tick that dies anywhere leaves either no run (made next tick) or a run the run store refuses to
create again (``DuplicateRunError``, then submitted if it never was). A backfill whose plan cannot be
read or run is marked FAILED with the error, and the other backfills go on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from headwater.core.partition_keys import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)
from headwater.errors import HeadwaterError
from headwater.events.run_status import RunStatus
from headwater.runs.backfills import load_plan, request_states
from headwater.runs.cancel import CancelError, cancel_run
from headwater.runs.code_pointer import CodePointer
from headwater.runs.create import LaunchSnapshots, create_run_for_launch, prepare_launch
from headwater.runs.protocols import RunCoordinator, RunLauncher
from headwater.selection.backfill_plan import BackfillPlan
from headwater.storage.backfills import BulkActionsFilter, BulkActionStatus, PartitionBackfill
from headwater.storage.errors import DuplicateRunError
from headwater.storage.protocols import Storage
from headwater.storage.runs import BACKFILL_ID_TAG, Run

log = logging.getLogger("headwater.daemon.backfills")

#: Runs one tick submits across all backfills (the rest wait for the next tick).
DEFAULT_MAX_RUNS_PER_TICK = 200
_ACTIVE = BulkActionsFilter(statuses=[BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING])


@dataclass
class BackfillTickResult:
    """What one tick did, per backfill id."""

    submitted: dict[str, list[str]] = field(default_factory=dict)
    status: dict[str, BulkActionStatus] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def num_submitted(self) -> int:
        return sum(len(v) for v in self.submitted.values())


class BackfillDaemon:
    """The daemon loop of backfills (``name = "backfills"``); ``headwater backfill tick --once`` runs
    one tick of it."""

    name = "backfills"

    def __init__(
        self,
        storage: Storage,
        coordinator: RunCoordinator,
        launcher: RunLauncher,
        *,
        interval_seconds: float = 5.0,
        max_runs_per_tick: int = DEFAULT_MAX_RUNS_PER_TICK,
        cancel_grace_period: float = 10.0,
    ) -> None:
        self.storage = storage
        self.coordinator = coordinator
        self.launcher = launcher
        self.interval_seconds = interval_seconds
        self.max_runs_per_tick = max_runs_per_tick
        self.cancel_grace_period = cancel_grace_period
        self._plans: dict[str, tuple[BackfillPlan, list[str]]] = {}
        #: per (backfill, group): the group's job planned and stored once, not once per run
        self._prepared: dict[tuple[str, int], LaunchSnapshots] = {}
        self.last_result = BackfillTickResult()

    def tick(self, now: float) -> None:
        self.last_result = self.run_tick(now)

    def run_tick(self, now: float) -> BackfillTickResult:
        result = BackfillTickResult()
        active = self.storage.backfills.get_backfills(_ACTIVE)
        budget = self.max_runs_per_tick
        for backfill in sorted(active, key=lambda b: b.backfill_timestamp):
            try:
                budget -= self._process(backfill, now, budget, result)
            except HeadwaterError as exc:
                log.exception("Backfill %s failed", backfill.backfill_id)
                error = f"{type(exc).__name__}: {exc}"
                result.errors[backfill.backfill_id] = error
                failed = backfill.with_status(
                    BulkActionStatus.FAILED, error=error, backfill_end_timestamp=now
                )
                self.storage.backfills.update_backfill(failed)
                result.status[backfill.backfill_id] = failed.status
        return result

    def _plan(self, backfill: PartitionBackfill) -> tuple[BackfillPlan, list[str]]:
        key = backfill.backfill_id
        cached = self._plans.get(key)
        if cached is None:
            plan = load_plan(self.storage, backfill)
            cached = self._plans[key] = (plan, plan.run_ids(key))
        return cached

    def _process(
        self, backfill: PartitionBackfill, now: float, budget: int, result: BackfillTickResult
    ) -> int:
        """One backfill's share of the tick; returns how many runs it submitted."""
        bid = backfill.backfill_id
        statuses = self.storage.backfills.get_backfill_run_statuses(bid)
        if backfill.status is BulkActionStatus.CANCELING:
            self._cancel_runs(statuses)
            statuses = self.storage.backfills.get_backfill_run_statuses(bid)
            if all(_finished(s) for s in statuses.values()):
                done = backfill.with_status(BulkActionStatus.CANCELED, backfill_end_timestamp=now)
                self.storage.backfills.update_backfill(done)
                self._forget(bid)
                result.status[bid] = done.status
            else:
                result.status[bid] = backfill.status
            return 0
        if backfill.paused:
            result.status[bid] = backfill.status
            return 0
        plan, run_ids = self._plan(backfill)
        submitted: list[str] = []
        for run_id, status in statuses.items():  # created by a tick that stopped before submitting
            if status is RunStatus.NOT_STARTED and len(submitted) < budget:
                self._submit_existing(run_id)
                submitted.append(run_id)
        states = request_states(plan, run_ids, statuses)
        for i, state in enumerate(states):
            if len(submitted) >= budget:
                break
            if state == "ready":
                self._create_and_submit(backfill, plan, i, run_ids[i])
                submitted.append(run_ids[i])
        result.submitted[bid] = submitted
        if not submitted and all(s in ("done", "failed", "blocked") for s in states):
            final = (
                BulkActionStatus.COMPLETED_SUCCESS
                if all(s == "done" for s in states)
                else BulkActionStatus.COMPLETED_FAILED
            )
            self.storage.backfills.update_backfill(backfill.with_status(final, backfill_end_timestamp=now))
            self._forget(bid)
            result.status[bid] = final
        else:
            result.status[bid] = backfill.status
        return len(submitted)

    def _create_and_submit(
        self, backfill: PartitionBackfill, plan: BackfillPlan, index: int, run_id: str
    ) -> None:
        request = plan.requests[index]
        group = plan.groups[request.group]
        tags = {**backfill.tags, BACKFILL_ID_TAG: backfill.backfill_id}
        keys = request.partition_keys
        if len(keys) == 1:
            tags[PARTITION_NAME_TAG] = keys[0]
        elif keys:
            tags[ASSET_PARTITION_RANGE_START_TAG] = keys[0]
            tags[ASSET_PARTITION_RANGE_END_TAG] = keys[-1]
        prepared = self._prepared.get((backfill.backfill_id, request.group))
        if prepared is None:
            prepared = prepare_launch(self.storage.run_store, group.job)
            self._prepared[(backfill.backfill_id, request.group)] = prepared
        try:
            run = create_run_for_launch(
                self.storage.run_store,
                group.job,
                CodePointer(**plan.code_pointer),
                tags=tags,
                asset_selection=group.asset_keys,
                run_id=run_id,
                prepared=prepared,
            )
        except DuplicateRunError:  # an earlier tick made it: submit it if it never was
            self._submit_existing(run_id)
            return
        self.coordinator.submit_run(self.storage, self.launcher, run)

    def _forget(self, backfill_id: str) -> None:
        self._plans.pop(backfill_id, None)
        for key in [k for k in self._prepared if k[0] == backfill_id]:
            del self._prepared[key]

    def _submit_existing(self, run_id: str) -> None:
        record = self.storage.run_store.get_run_record(run_id)
        run: Run | None = record.dagster_run if record is not None else None
        if run is not None and run.status is RunStatus.NOT_STARTED:
            self.coordinator.submit_run(self.storage, self.launcher, run)

    def _cancel_runs(self, statuses: Mapping[str, RunStatus]) -> None:
        for run_id, status in statuses.items():
            if _finished(status):
                continue
            try:
                cancel_run(self.storage, run_id, grace_period=self.cancel_grace_period)
            except CancelError:
                pass  # it finished meanwhile


def _finished(status: RunStatus) -> bool:
    return status in (RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED)


__all__ = ["DEFAULT_MAX_RUNS_PER_TICK", "BackfillDaemon", "BackfillTickResult"]
