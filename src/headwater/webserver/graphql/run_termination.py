"""``terminateRun``: cancel a run (CANCELING, SIGTERM to its worker, SIGKILL after the grace period)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from headwater.errors import HeadwaterError
from headwater.errors import RunNotFoundError as CoreRunNotFoundError
from headwater.runs.cancel import CancelError, cancel_run
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.errors import (
    PythonError,
    RunNotFoundError,
    UnauthorizedError,
    run_not_found,
)
from headwater.webserver.graphql.launch import READ_ONLY
from headwater.webserver.graphql.runs import Run


@strawberry.enum(description="How to terminate (Headwater always asks the worker first, then kills it).")
class TerminateRunPolicy(Enum):
    SAFE_TERMINATE = "SAFE_TERMINATE"
    MARK_AS_CANCELED_IMMEDIATELY = "MARK_AS_CANCELED_IMMEDIATELY"


@strawberry.type(description="The run was canceled (or had finished by the time its worker stopped).")
class TerminateRunSuccess:
    run: Run


@strawberry.type(description="The run cannot be terminated (it had finished).")
class TerminateRunFailure:
    message: str
    run: Run | None


TerminateRunResult = Annotated[
    TerminateRunSuccess | TerminateRunFailure | RunNotFoundError | UnauthorizedError | PythonError,
    strawberry.union("TerminateRunResult"),
]


@strawberry.type(description="What terminateRuns did to each run, in the order given.")
class TerminateRunsResult:
    terminate_run_results: list[TerminateRunResult]


TerminateRunsResultOrError = Annotated[
    TerminateRunsResult | PythonError, strawberry.union("TerminateRunsResultOrError")
]


def _run(ctx: RequestContext, run_id: str) -> Run | None:
    record = ctx.storage.run_store.get_run_record(run_id)
    return Run.of(record) if record is not None else None


def terminate(ctx: RequestContext, run_id: str, policy: TerminateRunPolicy | None) -> TerminateRunResult:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    grace = ctx.server.instance.runs_settings.cancel_grace_period_seconds
    if policy is TerminateRunPolicy.MARK_AS_CANCELED_IMMEDIATELY:
        grace = 0.0
    try:
        cancel_run(ctx.storage, run_id, grace_period=grace)
    except CoreRunNotFoundError:
        return run_not_found(run_id)
    except CancelError as exc:
        return TerminateRunFailure(message=str(exc), run=_run(ctx, run_id))
    except HeadwaterError as exc:
        return PythonError.from_exception(exc)
    run = _run(ctx, run_id)
    assert run is not None
    return TerminateRunSuccess(run=run)


def terminate_many(
    ctx: RequestContext, run_ids: list[str], policy: TerminateRunPolicy | None
) -> TerminateRunsResult:
    """``terminate`` for each run (Dagster's ``terminateRuns``): one result each, in order."""
    return TerminateRunsResult(terminate_run_results=[terminate(ctx, r, policy) for r in run_ids])
