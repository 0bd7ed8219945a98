"""Live run events: ``pipelineRunLogs`` (Dagster's name), batches of a run's new events as they are
stored, until the run has finished and every event has been sent.

The webserver sees events through storage (run workers write them there), so the stream polls the
run's log every ``POLL_SECONDS`` from its cursor: one indexed read per poll per subscriber. The same
loop feeds the Server-Sent Events endpoint (``webserver.sse``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import strawberry

from headwater.events.event import EventLogRecord
from headwater.storage.protocols import Storage
from headwater.webserver.graphql.events import RunEvent

POLL_SECONDS = 0.1
BATCH = 1000


@strawberry.type(description="A batch of a run's events, oldest first.")
class PipelineRunLogsSubscriptionSuccess:
    run_id: str
    messages: list[RunEvent]
    cursor: str
    has_more_past_events: bool
    run_finished: bool


@strawberry.type(description="The subscription cannot follow that run.")
class PipelineRunLogsSubscriptionFailure:
    message: str
    missing_run_id: str | None


PipelineRunLogsSubscriptionPayload = Annotated[
    PipelineRunLogsSubscriptionSuccess | PipelineRunLogsSubscriptionFailure,
    strawberry.union("PipelineRunLogsSubscriptionPayload"),
]


async def follow_run(
    storage: Storage, run_id: str, cursor: str | None, poll: float = POLL_SECONDS
) -> AsyncIterator[tuple[list[EventLogRecord], str, bool, bool] | None]:
    """Batches ``(records, cursor, has_more, run_finished)`` of a run's events from ``cursor`` on, until
    the run has finished and its log is read to the end; yields None once if there is no such run."""
    record = await asyncio.to_thread(storage.run_store.get_run_record, run_id)
    if record is None:
        yield None
        return
    position = cursor or None
    first = True
    while True:
        run = await asyncio.to_thread(storage.run_store.get_run_record, run_id)
        finished = run is None or run.dagster_run.is_finished
        page = await asyncio.to_thread(storage.event_store.get_records_for_run, run_id, position, None, BATCH)
        done = finished and not page.has_more
        if page.records or first:
            position = page.cursor
            yield list(page.records), page.cursor, page.has_more, done
            first = False
            if done:
                return
        if page.has_more:
            continue
        if finished:
            yield [], position or "-1", False, True
            return
        await asyncio.sleep(poll)


async def pipeline_run_logs(
    storage: Storage, run_id: str, cursor: str | None
) -> AsyncIterator[PipelineRunLogsSubscriptionPayload]:
    async for batch in follow_run(storage, run_id, cursor):
        if batch is None:
            yield PipelineRunLogsSubscriptionFailure(
                message=f"No run {run_id} in this instance.", missing_run_id=run_id
            )
            return
        records, position, has_more, finished = batch
        yield PipelineRunLogsSubscriptionSuccess(
            run_id=run_id,
            messages=[RunEvent.of(r) for r in records],
            cursor=position,
            has_more_past_events=has_more,
            run_finished=finished,
        )
