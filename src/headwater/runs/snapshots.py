"""The job spec and execution plan stored with a run, once each by content hash (``core.serde``)."""

from __future__ import annotations

from headwater.core.serde import (
    FORMAT_VERSION,
    SerdeError,
    canonical_dumps,
    check_version,
    from_data,
    loads,
    to_data,
)
from headwater.errors import HeadwaterError
from headwater.planning.plan import ExecutionPlan
from headwater.specs.job import JobSpec
from headwater.storage.protocols import RunStore
from headwater.storage.runs import Run

PLAN_KIND = "execution_plan"
JOB_KIND = "job"


class SnapshotError(HeadwaterError):
    """A run's stored plan or job spec is missing or cannot be read."""


def store_plan(runs: RunStore, plan: ExecutionPlan) -> str:
    body = canonical_dumps({"v": FORMAT_VERSION, "plan": to_data(plan, ExecutionPlan)})
    return runs.add_snapshot(body, PLAN_KIND)


def store_job_spec(runs: RunStore, spec: JobSpec) -> str:
    body = canonical_dumps({"v": FORMAT_VERSION, "job": to_data(spec, JobSpec)})
    return runs.add_snapshot(body, JOB_KIND)


def _read(runs: RunStore, run: Run, snapshot_id: str | None, what: str, field: str) -> object:
    if snapshot_id is None:
        raise SnapshotError(f"Run {run.run_id} has no stored {what}: it was not created for launching.")
    text = runs.get_snapshot(snapshot_id)
    if text is None:
        raise SnapshotError(f"The {what} {snapshot_id} of run {run.run_id} is not in storage.")
    try:
        body = loads(text)
        check_version(body, what)
        return body[field]
    except (SerdeError, KeyError, TypeError) as exc:
        raise SnapshotError(f"Cannot read the {what} of run {run.run_id}: {exc}") from exc


def load_plan(runs: RunStore, run: Run) -> ExecutionPlan:
    """The plan computed when ``run`` was created."""
    data = _read(runs, run, run.execution_plan_snapshot_id, "execution plan", "plan")
    plan: ExecutionPlan = from_data(data, ExecutionPlan)
    return plan


def load_job_spec(runs: RunStore, run: Run) -> JobSpec:
    data = _read(runs, run, run.job_snapshot_id, "job spec", "job")
    spec: JobSpec = from_data(data, JobSpec)
    return spec


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
