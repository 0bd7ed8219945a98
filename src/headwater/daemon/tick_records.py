"""The bookkeeping every instigator tick shares, before and after it acts: the instigator's state
(created on first sight when only its code declares it), the tick left STARTED by a crash (finished
when it was recorded, failed when it was not), the new STARTED tick (once per instigator and
timestamp), and the status a finished tick ends with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from headwater.specs.instigation import EvaluationError
from headwater.storage.instigators import (
    DuplicateTickError,
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickData,
    TickStatus,
)
from headwater.storage.protocols import InstigatorStore


def is_due(last: InstigatorTick | None, interval: float, now: float) -> bool:
    """Never ticked, left STARTED (to finish), or last ticked ``interval`` seconds or more ago."""
    return last is None or last.status is TickStatus.STARTED or now - last.timestamp >= interval


def declared_state(
    store: InstigatorStore,
    state: InstigatorState | None,
    location: str,
    name: str,
    kind: InstigatorType,
    now: float,
) -> InstigatorState:
    """``state``, or (none stored: declared RUNNING in code, first seen now) a new one started ``now``."""
    if state is not None:
        return state
    return store.set_instigator_state(
        InstigatorState(location, name, kind, InstigatorStatus.DECLARED_IN_CODE, start_timestamp=now)
    )


@dataclass(frozen=True)
class TickStart:
    """What ``start_tick`` found to do: finish ``resume`` (a tick recorded before a crash), or evaluate
    ``tick`` (new, STARTED); neither when another daemon took this tick."""

    state: InstigatorState
    resume: InstigatorTick | None = None
    tick: InstigatorTick | None = None


def start_tick(
    store: InstigatorStore,
    state: InstigatorState | None,
    last: InstigatorTick | None,
    location: str,
    name: str,
    kind: InstigatorType,
    now: float,
) -> TickStart:
    """The state of the instigator (see ``declared_state``), and its tick to act on at ``now``: the
    last one when it was left STARTED after it was recorded, else a new STARTED tick (a last one left
    STARTED before it was recorded is marked failed first: it is evaluated afresh)."""
    state = declared_state(store, state, location, name, kind, now)
    if last is not None and last.status is TickStatus.STARTED:
        if last.tick_data.evaluated:
            return TickStart(state, resume=last)  # interrupted after it was recorded: finish it
        store.update_tick(
            last.with_data(
                status=TickStatus.FAILURE,
                error=EvaluationError(
                    "The daemon stopped while this tick was being evaluated.", None, "interrupted"
                ),
                end_timestamp=now,
            )
        )
    try:
        tick = store.create_tick(TickData(location, name, kind, TickStatus.STARTED, now))
    except DuplicateTickError:
        return TickStart(state)  # another daemon took this tick
    return TickStart(state, tick=tick)


def failed_evaluation(
    tick: InstigatorTick, error: EvaluationError, cursor: str | None, end: float
) -> InstigatorTick:
    """``tick`` ended by an evaluation that failed (the instigator's cursor kept)."""
    return tick.with_data(
        status=TickStatus.FAILURE, evaluated=True, error=error, cursor=cursor, end_timestamp=end
    )


def finished_status(errors: Sequence[EvaluationError], run_ids: Sequence[str]) -> TickStatus:
    """FAILURE when anything failed, else SUCCESS when it launched something, else SKIPPED."""
    if errors:
        return TickStatus.FAILURE
    return TickStatus.SUCCESS if run_ids else TickStatus.SKIPPED


def joined_error(errors: Sequence[EvaluationError]) -> EvaluationError | None:
    """One error of a tick for all of ``errors`` (their messages a line each; the first one's kind)."""
    if not errors:
        return None
    return EvaluationError("\n".join(e.message for e in errors), None, errors[0].kind)


__all__ = [
    "TickStart",
    "declared_state",
    "failed_evaluation",
    "finished_status",
    "is_due",
    "joined_error",
    "start_tick",
]
