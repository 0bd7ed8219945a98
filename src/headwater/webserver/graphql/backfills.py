"""Backfills: ``partitionBackfillsOrError``, ``partitionBackfillOrError`` and
``launchPartitionBackfill`` (Dagster's names), over the backfill store and ``runs.backfills``.

Launching asks the location's code server for the job of each group of assets (``run_request``:
config and resources checked by the code), plans from specs (``selection.backfill_targets``,
``selection.backfill_plan``) and stores the backfill; the daemon's backfill tick submits its runs.
No user code runs in this process.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey
from headwater.errors import HeadwaterError, InvalidInvocationError, UnknownPartitionError
from headwater.locations.client.errors import LocationError
from headwater.runs.backfills import backfill_asset_status, backfill_progress, create_backfill
from headwater.selection.backfill_plan import build_backfill_plan
from headwater.selection.backfill_targets import PartitionChoice, target_partitions
from headwater.specs.asset_graph import AssetGraph
from headwater.specs.job import JobSpec
from headwater.storage.backfills import BulkActionStatus as CoreStatus
from headwater.storage.backfills import PartitionBackfill as CoreBackfill
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.asset_keys import AssetKey, AssetKeyInput
from headwater.webserver.graphql.errors import (
    ConflictingExecutionParamsError,
    InvalidSubsetError,
    PythonError,
    UnauthorizedError,
)
from headwater.webserver.graphql.limits import page_size
from headwater.webserver.graphql.tags import ExecutionTag, PipelineTag, tag_dict

strawberry.enum(CoreStatus, description="Where a backfill stands.")  # the GraphQL enum is the class


@strawberry.type(description="Where one asset of a backfill stands, in partitions.")
class AssetBackfillStatus:
    asset_key: AssetKey
    num_targeted: int
    num_requested: int
    num_materialized: int
    num_failed: int
    num_in_progress: int
    num_blocked: int


@strawberry.enum(description="Where one run of a backfill stands.")
class BackfillRunState(Enum):
    WAITING = "waiting"
    READY = "ready"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    BLOCKED = "blocked"


@strawberry.type(
    description="One run a backfill asks for: its assets over its partitions (several: a range run), its "
    "run once the daemon submitted it, and where it stands (BLOCKED: something it reads failed)."
)
class BackfillRunRequest:
    asset_keys: list[AssetKey]
    partition_keys: list[str]
    run_id: str | None
    state: BackfillRunState


@strawberry.type(description="A backfill: many partitions of assets, run by the daemon's backfill tick.")
class PartitionBackfill:
    id: strawberry.ID
    status: CoreStatus
    timestamp: float
    end_timestamp: float | None
    num_partitions: int | None
    num_runs: int
    partitions: str
    is_paused: bool
    title: str | None
    description: str | None
    asset_selection: list[AssetKey] | None
    tags: list[PipelineTag]
    error: PythonError | None

    @strawberry.field(description="Each asset: partitions targeted, requested, materialized, failed...")
    def asset_backfill_statuses(self, info: strawberry.Info) -> list[AssetBackfillStatus]:
        from headwater.webserver.context import as_context

        storage = as_context(info.context).storage
        backfill = storage.backfills.get_backfill(str(self.id))
        if backfill is None:
            return []
        return [
            AssetBackfillStatus(
                asset_key=AssetKey.of(s.asset_key),
                num_targeted=s.targeted,
                num_requested=s.requested,
                num_materialized=s.materialized,
                num_failed=s.failed,
                num_in_progress=s.in_progress,
                num_blocked=s.blocked,
            )
            for s in backfill_asset_status(storage, backfill)
        ]

    @strawberry.field(description="Every run of the backfill, in plan order: its per-partition progress.")
    def run_requests(self, info: strawberry.Info) -> list[BackfillRunRequest]:
        from headwater.webserver.context import as_context

        storage = as_context(info.context).storage
        backfill = storage.backfills.get_backfill(str(self.id))
        if backfill is None:
            return []
        return [
            BackfillRunRequest(
                asset_keys=[AssetKey.of(k) for k in p.asset_keys],
                partition_keys=list(p.partition_keys),
                run_id=p.run_id,
                state=BackfillRunState(p.state),
            )
            for p in backfill_progress(storage, backfill)
        ]

    @staticmethod
    def of(b: CoreBackfill) -> PartitionBackfill:
        return PartitionBackfill(
            id=strawberry.ID(b.backfill_id),
            status=b.status,
            timestamp=b.backfill_timestamp,
            end_timestamp=b.backfill_end_timestamp,
            num_partitions=b.num_partitions,
            num_runs=b.num_runs,
            partitions=b.partitions,
            is_paused=b.paused,
            title=b.title,
            description=b.description,
            asset_selection=[AssetKey.of(k) for k in b.asset_selection],
            tags=[PipelineTag(key=k, value=v) for k, v in sorted(b.tags.items())],
            error=PythonError(message=b.error, stack=[], class_name=None) if b.error else None,
        )


@strawberry.type(description="A page of backfills, newest first.")
class PartitionBackfills:
    results: list[PartitionBackfill]


@strawberry.type(description="No backfill with this id.")
class BackfillNotFoundError:
    message: str
    backfill_id: str


PartitionBackfillsOrError = Annotated[
    PartitionBackfills | PythonError, strawberry.union("PartitionBackfillsOrError")
]
PartitionBackfillOrError = Annotated[
    PartitionBackfill | BackfillNotFoundError | PythonError, strawberry.union("PartitionBackfillOrError")
]


@strawberry.input(description="What to backfill: assets, and which of their partitions (one way).")
class LaunchBackfillParams:
    asset_selection: list[AssetKeyInput] | None = None
    partition_names: list[str] | None = None
    all_partitions: bool | None = None
    from_failure: bool | None = None
    tags: list[ExecutionTag] | None = None
    title: str | None = None
    description: str | None = None


@strawberry.type(description="The backfill is stored; the daemon submits its runs.")
class LaunchBackfillSuccess:
    backfill_id: str
    launched_run_ids: list[str]


LaunchBackfillResult = Annotated[
    LaunchBackfillSuccess
    | InvalidSubsetError
    | ConflictingExecutionParamsError
    | UnauthorizedError
    | PythonError,
    strawberry.union("LaunchBackfillResult"),
]


def backfills_page(
    ctx: RequestContext, cursor: str | None, limit: int | None, status: CoreStatus | None = None
) -> PartitionBackfills:
    found = ctx.storage.backfills.get_backfills(
        cursor=cursor, limit=page_size(limit, default=100), status=status
    )
    return PartitionBackfills(results=[PartitionBackfill.of(b) for b in found])


def one_backfill(ctx: RequestContext, backfill_id: str) -> PartitionBackfill | BackfillNotFoundError:
    found = ctx.storage.backfills.get_backfill(backfill_id)
    if found is None:
        return BackfillNotFoundError(message=f"No backfill {backfill_id!r}.", backfill_id=backfill_id)
    return PartitionBackfill.of(found)


def launch_backfill(ctx: RequestContext, params: LaunchBackfillParams) -> LaunchBackfillResult:
    if ctx.server.read_only:
        return UnauthorizedError(message="This webserver is read-only (started with --read-only).")
    ways = [params.partition_names is not None, bool(params.all_partitions), bool(params.from_failure)]
    if sum(ways) != 1:
        return ConflictingExecutionParamsError(
            message="Say which partitions to backfill, one way: partitionNames, allPartitions or fromFailure."
        )
    if params.partition_names is not None:
        choice = PartitionChoice("keys", keys=tuple(params.partition_names))
    else:
        choice = PartitionChoice("all" if params.all_partitions else "failed")
    nodes = ctx.asset_nodes()
    keys = [k.to_key() for k in params.asset_selection or ()]
    missing = [k.to_user_string() for k in keys if k not in nodes]
    if not keys or missing:
        return InvalidSubsetError(
            message=f"No asset {', '.join(missing)} in the loaded locations." if missing else "Select assets."
        )
    locations = {nodes[k][0] for k in keys}
    if len(locations) > 1:
        return ConflictingExecutionParamsError(
            message=f"The assets are in several code locations ({', '.join(sorted(locations))}); "
            "a backfill covers assets of one location."
        )
    location = locations.pop()
    graph = AssetGraph([node for loc, node in nodes.values() if loc == location])
    client = ctx.server.workspace.client(location)
    pointers: list[dict[str, str]] = []

    def job_spec_for(group: tuple[CoreAssetKey, ...]) -> JobSpec:
        reply = client.run_request(
            job=None,
            asset_selection=list(group),
            op_selection=None,
            run_config={},
            partition_key=None,
            tags={},
        )
        pointers.append({k: str(v) for k, v in reply.code_pointer.items()})
        return reply.job

    try:
        events = ctx.storage.event_store
        targets = target_partitions(
            graph, keys, choice, statuses=events.get_status_by_partition, dynamic=events
        )
        targets = {k: v for k, v in targets.items() if v is None or v}
        plan = build_backfill_plan(graph, targets, job_spec_for, {}, dynamic=events)
        plan = type(plan)(pointers[0] if pointers else {}, plan.groups, plan.requests)
        backfill = create_backfill(
            ctx.storage,
            plan,
            partitions=choice.describe(),
            tags=tag_dict(params.tags),
            title=params.title,
            description=params.description,
        )
    except (InvalidInvocationError, UnknownPartitionError) as exc:
        return InvalidSubsetError(message=str(exc))
    except (HeadwaterError, LocationError) as exc:
        return PythonError.from_exception(exc)
    return LaunchBackfillSuccess(backfill_id=backfill.backfill_id, launched_run_ids=[])


__all__ = [
    "LaunchBackfillParams",
    "LaunchBackfillResult",
    "PartitionBackfillOrError",
    "PartitionBackfillsOrError",
    "backfills_page",
    "launch_backfill",
    "one_backfill",
]
