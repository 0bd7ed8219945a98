"""The runs a tick launches: planned with ids derived from the tick (so a tick resumed after a crash,
or a request repeated under one ``run_key``, finds the run it made before), then created and
submitted idempotently.

Run ids: ``uuid5`` of the instigator, and of the ``run_key`` for a sensor request that has one (Dagster's
"one run per run key, ever, per sensor"), else of the tick's timestamp and the request's place in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.daemon.code_locations import CodeLocations
from headwater.errors import HeadwaterError
from headwater.events.run_status import RunStatus
from headwater.locations.client.client import RunRequestReply, run_request_body
from headwater.locations.client.errors import LocationError
from headwater.runs.code_pointer import CodePointer
from headwater.runs.create import build_run_for_launch
from headwater.specs.instigation import EvaluationError, RunRequestData
from headwater.storage.instigators import InstigatorType, PlannedRun
from headwater.storage.protocols import Storage
from headwater.storage.runs import SCHEDULE_NAME_TAG, SENSOR_NAME_TAG, Run, RunsFilter

_NAMESPACE = uuid.UUID("6b1e3c1e-6e8f-4a43-9c55-68656164776e")
RUN_KEY_TAG = "dagster/run_key"
TICK_TAG = "dagster/tick"
LOCATION_TAG = "headwater/location_name"  # as the webserver tags the runs it launches

#: Run requests (and evaluations) sent to a code server in one round trip at most.
CHUNK = 100

#: Submits created runs (a run coordinator bound to its launcher): see ``submitter``.
Submit = Callable[[Sequence[Run]], None]


def submitter(storage: Storage, coordinator: Any, launcher: Any) -> Submit:
    """Submit through ``coordinator`` (many at once when it can: the queued coordinator queues a whole
    tick's runs in one transaction)."""
    batch = getattr(coordinator, "submit_runs", None)
    if batch is not None:
        return lambda runs: batch(storage, launcher, runs) if runs else None

    def each(runs: Sequence[Run]) -> None:
        for run in runs:
            coordinator.submit_run(storage, launcher, run)

    return each


def planned_run_id(
    kind: InstigatorType, location: str, name: str, tick_timestamp: float, index: int, run_key: str | None
) -> str:
    if kind is InstigatorType.SENSOR and run_key is not None:
        seed = f"sensor\x00{location}\x00{name}\x00key\x00{run_key}"
    else:
        seed = f"{kind.value}\x00{location}\x00{name}\x00{tick_timestamp!r}\x00{run_key or ''}\x00{index}"
    return str(uuid.uuid5(_NAMESPACE, seed))


def plan_runs(
    storage: Storage,
    kind: InstigatorType,
    location: str,
    name: str,
    tick_timestamp: float,
    requests: Sequence[RunRequestData],
) -> tuple[tuple[PlannedRun, ...], tuple[str, ...]]:
    """The runs to launch, and the run keys dropped because a run with that key exists already."""
    planned: list[PlannedRun] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for index, request in enumerate(requests):
        run_id = planned_run_id(kind, location, name, tick_timestamp, index, request.run_key)
        if run_id in seen:  # the same run key twice in one tick
            continue
        seen.add(run_id)
        if (
            kind is InstigatorType.SENSOR
            and request.run_key is not None
            and storage.run_store.has_run(run_id)
        ):
            skipped.append(request.run_key)
            continue
        planned.append(PlannedRun(run_id, request))
    return tuple(planned), tuple(skipped)


@dataclass
class LaunchOutcome:
    run_ids: list[str] = field(default_factory=list)
    errors: list[EvaluationError] = field(default_factory=list)


@dataclass
class Launch:
    """The planned runs of one tick, and what they target when a request names no job or assets."""

    location: str
    name: str
    tick_timestamp: float
    target_job: str | None
    target_assets: tuple[AssetKey, ...] | None
    planned: Sequence[PlannedRun]


def launch_all(
    storage: Storage,
    locations: CodeLocations,
    submit: Submit,
    kind: InstigatorType,
    launches: Sequence[Launch],
    pool: Executor | None = None,
) -> list[LaunchOutcome]:
    """Create (when missing) and submit (when not yet submitted) the planned runs of ``launches``; one
    outcome per launch. A request the code refuses (bad config, unknown job) is an error of its tick;
    the other runs still launch. The code is asked for the missing runs side by side (``pool``); the
    runs of one job share their stored job and plan snapshots."""
    ids = [p.run_id for launch in launches for p in launch.planned]
    existing: dict[str, Run] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for record in storage.run_store.get_run_records(RunsFilter(run_ids=chunk)):
            existing[record.dagster_run.run_id] = record.dagster_run
    missing = [(launch, p) for launch in launches for p in launch.planned if p.run_id not in existing]
    replies: dict[str, RunRequestReply | Exception] = {}
    chunks: list[tuple[str, list[tuple[Launch, PlannedRun]]]] = []
    by_location: dict[str, list[tuple[Launch, PlannedRun]]] = {}
    for item in missing:
        by_location.setdefault(item[0].location, []).append(item)
    for location, items in by_location.items():
        chunks.extend((location, items[i : i + CHUNK]) for i in range(0, len(items), CHUNK))

    def ask(chunk: tuple[str, list[tuple[Launch, PlannedRun]]]) -> list[RunRequestReply | Exception]:
        location, items = chunk
        try:
            return list(
                locations.run_requests(location, [_body(kind, launch, plan) for launch, plan in items])
            )
        except (LocationError, HeadwaterError) as exc:
            return [exc] * len(items)

    answers = pool.map(ask, chunks) if pool is not None and len(chunks) > 1 else map(ask, chunks)
    for (_, items), answer in zip(chunks, answers, strict=True):
        for (_, plan), reply in zip(items, answer, strict=True):
            replies[plan.run_id] = reply
    cache: dict[Any, Any] = {}
    outcomes = [LaunchOutcome() for _ in launches]
    to_store: list[Run] = []
    to_submit: list[Run] = []
    for launch, outcome in zip(launches, outcomes, strict=True):
        for plan in launch.planned:
            request = plan.request
            try:
                run = existing.get(plan.run_id)
                if run is None:
                    reply = replies[plan.run_id]
                    if isinstance(reply, Exception):
                        raise reply
                    run = build_run_for_launch(
                        storage.run_store,
                        reply.job,
                        CodePointer(**reply.code_pointer),
                        run_config=reply.run_config,
                        tags={**reply.tags, LOCATION_TAG: launch.location},
                        step_keys=reply.step_keys,
                        asset_selection=reply.asset_selection,
                        asset_check_selection=reply.asset_check_selection,
                        run_id=plan.run_id,
                        snapshot_cache=cache,
                    )
                    to_store.append(run)
                if run.status is RunStatus.NOT_STARTED:
                    to_submit.append(run)
                outcome.run_ids.append(plan.run_id)
            except LocationError as exc:
                what = f"run request {request.run_key!r}" if request.run_key else "a run request"
                outcome.errors.append(
                    EvaluationError(
                        f"{launch.name}: {what} was refused by the code: {exc}",
                        getattr(exc, "user_traceback", None),
                        "run_request",
                    )
                )
            except HeadwaterError as exc:
                outcome.errors.append(
                    EvaluationError(
                        f"{launch.name}: could not launch run {plan.run_id}: {exc}", None, "launch"
                    )
                )
    stored = {r.run_id for r in storage.run_store.add_runs(to_store)}
    # A run stored meanwhile by another daemon resuming the same tick is that daemon's to submit.
    submit([r for r in to_submit if r.run_id in stored or r.run_id in existing])
    return outcomes


def _body(kind: InstigatorType, launch: Launch, plan: PlannedRun) -> dict[str, Any]:
    request = plan.request
    tags = {**request.tags, TICK_TAG: f"{launch.tick_timestamp:.6f}"}
    if kind is not InstigatorType.AUTO_OBSERVE:  # auto-observe runs are no schedule's or sensor's
        tags[SCHEDULE_NAME_TAG if kind is InstigatorType.SCHEDULE else SENSOR_NAME_TAG] = launch.name
    if request.run_key is not None:
        tags[RUN_KEY_TAG] = request.run_key
    job = request.job_name or launch.target_job
    assets = request.asset_selection
    checks = request.asset_check_keys
    if checks is not None and request.job_name is None:
        assets, job = assets or (), None  # the requested checks (and assets, if any) as an asset run
    elif assets is None and request.job_name is None:
        assets = launch.target_assets
        if assets is not None:
            job = None
    return run_request_body(
        job=job,
        asset_selection=assets,
        run_config=dict(request.run_config),
        partition_key=request.partition_key,
        tags=tags,
        asset_check_selection=checks,
    )


__all__ = ["Launch", "LaunchOutcome", "Submit", "launch_all", "plan_runs", "planned_run_id", "submitter"]
