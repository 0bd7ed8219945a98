"""Changing a backfill from the API: ``cancelPartitionBackfill`` and ``resumePartitionBackfill``
(Dagster's names and results) and ``pausePartitionBackfill`` (Headwater's: submit no more runs until
resumed), over ``runs.backfills``. The daemon's backfill tick acts on the change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import strawberry

from headwater.runs.backfills import (
    BackfillStateError,
    cancel_backfill,
    pause_backfill,
    resume_backfill,
)
from headwater.storage.backfills import BackfillNotFoundError as CoreNotFound
from headwater.storage.backfills import PartitionBackfill as CoreBackfill
from headwater.storage.protocols import Storage
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.errors import Error, PythonError, UnauthorizedError

READ_ONLY = "This webserver is read-only (started with --read-only): it changes no backfill."


@strawberry.type(
    description="The backfill is CANCELING: the daemon submits no more of its runs and cancels those running."
)
class CancelBackfillSuccess:
    backfill_id: str


@strawberry.type(description="The backfill goes on: the daemon submits its remaining runs.")
class ResumeBackfillSuccess:
    backfill_id: str


@strawberry.type(description="The backfill is paused: the daemon submits no more of its runs until resumed.")
class PauseBackfillSuccess:
    backfill_id: str


@strawberry.type(description="The backfill cannot make this change from where it stands.")
class BackfillStateChangeError(Error):
    backfill_id: str


CancelBackfillResult = Annotated[
    CancelBackfillSuccess | BackfillStateChangeError | UnauthorizedError | PythonError,
    strawberry.union("CancelBackfillResult"),
]
ResumeBackfillResult = Annotated[
    ResumeBackfillSuccess | BackfillStateChangeError | UnauthorizedError | PythonError,
    strawberry.union("ResumeBackfillResult"),
]
PauseBackfillResult = Annotated[
    PauseBackfillSuccess | BackfillStateChangeError | UnauthorizedError | PythonError,
    strawberry.union("PauseBackfillResult"),
]


def _change(
    ctx: RequestContext, backfill_id: str, change: Callable[[Storage, str], CoreBackfill]
) -> BackfillStateChangeError | UnauthorizedError | None:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    try:
        change(ctx.storage, backfill_id)
    except (BackfillStateError, CoreNotFound) as exc:
        return BackfillStateChangeError(message=str(exc), backfill_id=backfill_id)
    return None


def cancel(ctx: RequestContext, backfill_id: str) -> CancelBackfillResult:
    return _change(ctx, backfill_id, cancel_backfill) or CancelBackfillSuccess(backfill_id=backfill_id)


def resume(ctx: RequestContext, backfill_id: str) -> ResumeBackfillResult:
    return _change(ctx, backfill_id, resume_backfill) or ResumeBackfillSuccess(backfill_id=backfill_id)


def pause(ctx: RequestContext, backfill_id: str) -> PauseBackfillResult:
    return _change(ctx, backfill_id, pause_backfill) or PauseBackfillSuccess(backfill_id=backfill_id)
