"""Instance-wide pool slots for one run's steps: the claim/free hook every executor calls.

Before a step of an op/asset with ``pool=`` runs, the executor calls ``try_claim``: it takes a slot of
that pool in the instance (``Instance.claim_concurrency_slot``) or says the pool is full, and the
executor keeps the step waiting while steps of other pools go on. ``free`` gives the slot back when
the step ends; the run driver frees whatever is left when the run ends. A full pool is asked again
after ``retry_delay`` (a backoff from 50 ms to 1 s), not on every wake-up of the executor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from headwater.events.event_type import EventType
from headwater.specs.job import NodeSpec

if TYPE_CHECKING:
    from headwater.execution.run_context import RunContext
    from headwater.planning.active_execution import StepInstance

#: The legacy (Dagster) tag naming a step's pool; ``pool=`` wins.
POOL_TAG = "dagster/concurrency_key"
_PRIORITY_TAG = "dagster/priority"
_MIN_DELAY = 0.05
_MAX_DELAY = 1.0


def step_pool(node: NodeSpec) -> str | None:
    return node.pool or node.tags.get(POOL_TAG)


def _priority(node: NodeSpec) -> int:
    try:
        return int(node.tags.get(_PRIORITY_TAG, 0))
    except ValueError:
        return 0


class PoolSlots:
    """The instance pool slots held and awaited by one run's steps."""

    def __init__(self, run: RunContext, clock: Callable[[], float] = time.monotonic) -> None:
        self._run = run
        instance = run.instance
        self._claim = getattr(instance, "claim_concurrency_slot", None)
        self._free = getattr(instance, "free_concurrency_slot", None)
        self._clock = clock
        self.held: dict[str, str] = {}  # step key -> pool
        self.waiting: dict[str, str] = {}  # step key -> pool, steps told their pool is full
        self._full_until: dict[str, float] = {}  # pool -> when to ask again
        self._delay: dict[str, float] = {}

    def try_claim(self, inst: StepInstance) -> bool:
        """True when the step may run now (it has no pool, or got a slot)."""
        node = inst.step.node
        pool = node.pool or node.tags.get(POOL_TAG)
        if pool is None or self._claim is None:
            return True
        key = inst.key
        now = self._clock()
        if now < self._full_until.get(pool, 0.0):
            return False
        if self._claim(pool, self._run.run_id, key, _priority(node)):
            self.held[key] = pool
            self._delay.pop(pool, None)
            self._full_until.pop(pool, None)
            if self.waiting.pop(key, None) is not None:
                self._run.emit(
                    EventType.ENGINE_EVENT, key, f'Step "{key}" got a slot of pool "{pool}"; starting it.'
                )
            return True
        delay = min(self._delay.get(pool, _MIN_DELAY / 2) * 2, _MAX_DELAY)
        self._delay[pool] = delay
        self._full_until[pool] = now + delay
        if key not in self.waiting:
            self.waiting[key] = pool
            self._run.emit(
                EventType.ENGINE_EVENT,
                key,
                f'Step "{key}" is waiting for a slot of pool "{pool}": the pool is at its limit '
                "(`headwater instance concurrency info` shows who holds its slots).",
            )
        return False

    def free(self, key: str) -> None:
        pool = self.held.pop(key, None)
        if pool is not None and self._free is not None:
            self._free(pool, self._run.run_id, key)

    def free_all(self) -> None:
        for key in list(self.held):
            self.free(key)
        self.waiting.clear()

    def retry_delay(self) -> float:
        """Seconds until a full pool should be asked again (``_MAX_DELAY`` when no step is waiting)."""
        times = [self._full_until.get(pool, 0.0) for pool in set(self.waiting.values())]
        if not times:
            return _MAX_DELAY
        return max(0.0, min(min(times) - self._clock(), _MAX_DELAY))


def free_run_slots(run: RunContext) -> None:
    """The run is over: free every slot it still holds (whatever way its executor stopped). Only for
    jobs with a pooled step: other runs pay nothing."""
    free = getattr(run.instance, "free_concurrency_slots_for_run", None)
    if free is not None and any(step_pool(node) is not None for node in run.nodes.values()):
        free(run.run_id)
