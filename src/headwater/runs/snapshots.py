"""The job spec and execution plan stored with a run, once each by content hash (``core.codec``).

A snapshot is the canonical JSON ``{"job": {...}, "v": 1}`` / ``{"plan": {...}, "v": 1}``: the spec's
fields, defaults left out (the shape Headwater 0.1 wrote too).
"""

from __future__ import annotations

from typing import TypeVar

import msgspec

from headwater.core import codec
from headwater.errors import HeadwaterError
from headwater.planning.plan import PLAN_FORMAT_VERSION, ExecutionPlan
from headwater.specs.job import JobSpec
from headwater.storage.protocols import RunStore
from headwater.storage.runs import Run

PLAN_KIND = "execution_plan"
JOB_KIND = "job"
T = TypeVar("T")
JOB_FORMAT_VERSION = 1


class SnapshotError(HeadwaterError):
    """A run's stored plan or job spec is missing or cannot be read."""


def store_plan(runs: RunStore, plan: ExecutionPlan) -> str:
    return runs.add_snapshot(codec.canonical({"plan": plan, "v": PLAN_FORMAT_VERSION}).decode(), PLAN_KIND)


def store_job_spec(runs: RunStore, spec: JobSpec) -> str:
    return runs.add_snapshot(codec.canonical({"job": spec, "v": JOB_FORMAT_VERSION}).decode(), JOB_KIND)


class _PlanSnapshot(msgspec.Struct):
    plan: ExecutionPlan


class _JobSnapshot(msgspec.Struct):
    job: JobSpec


def _read(runs: RunStore, run: Run, snapshot_id: str | None, what: str, tp: type[T], version: int) -> T:
    if snapshot_id is None:
        raise SnapshotError(f"Run {run.run_id} has no stored {what}: it was not created for launching.")
    text = runs.get_snapshot(snapshot_id)
    if text is None:
        raise SnapshotError(f"The {what} {snapshot_id} of run {run.run_id} is not in storage.")
    try:
        codec.check_version(codec.version_of(text, f"the {what}"), f"the {what}", version)
        with codec.paused_gc():
            return codec.decode(text, tp, f"the {what} {snapshot_id}")
    except codec.SerdeError as exc:
        raise SnapshotError(f"Cannot read the {what} of run {run.run_id}: {exc}") from exc


def load_plan(runs: RunStore, run: Run) -> ExecutionPlan:
    """The plan computed when ``run`` was created."""
    snapshot = run.execution_plan_snapshot_id
    return _read(runs, run, snapshot, "execution plan", _PlanSnapshot, PLAN_FORMAT_VERSION).plan


def load_plan_snapshot(runs: RunStore, snapshot_id: str, run_id: str) -> ExecutionPlan:
    """The plan stored as ``snapshot_id`` (a step worker's view: it has the id from its step task)."""
    text = runs.get_snapshot(snapshot_id)
    if text is None:
        raise SnapshotError(f"The execution plan {snapshot_id} of run {run_id} is not in storage.")
    try:
        codec.check_version(
            codec.version_of(text, "the execution plan"), "the execution plan", PLAN_FORMAT_VERSION
        )
        with codec.paused_gc():
            return codec.decode(text, _PlanSnapshot, f"the execution plan {snapshot_id}").plan
    except codec.SerdeError as exc:
        raise SnapshotError(f"Cannot read the execution plan of run {run_id}: {exc}") from exc


def load_job_spec(runs: RunStore, run: Run) -> JobSpec:
    return _read(runs, run, run.job_snapshot_id, "job spec", _JobSnapshot, JOB_FORMAT_VERSION).job


def plan_differences(stored: ExecutionPlan, current: ExecutionPlan) -> list[str]:
    """How the plan of the code as it is now differs from the stored one (empty: compatible)."""
    problems: list[str] = []
    old = {s.key: s for s in stored.steps}
    new = {s.key: s for s in current.steps}
    if missing := sorted(old.keys() - new.keys()):
        problems.append(f"steps no longer in the job: {missing}")
    if added := sorted(new.keys() - old.keys()):
        problems.append(f"new steps: {added}")
    for key in sorted(old.keys() & new.keys()):
        if old[key].upstream != new[key].upstream:
            problems.append(
                f"step {key!r} now depends on {sorted(new[key].upstream)} (was {sorted(old[key].upstream)})"
            )
        old_inputs = {i.name for i in old[key].inputs}
        new_inputs = {i.name for i in new[key].inputs}
        if old_inputs != new_inputs:
            problems.append(f"step {key!r} now has inputs {sorted(new_inputs)} (was {sorted(old_inputs)})")
    return problems
