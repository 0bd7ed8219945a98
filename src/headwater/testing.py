"""Public helpers for testing Headwater code: contexts, an ephemeral instance, a fake clock."""

from __future__ import annotations

from typing import Any

from headwater.execution.api import materialize, materialize_to_memory
from headwater.execution.context import build_asset_context, build_op_context
from headwater.execution.hook_context import build_hook_context
from headwater.instance import Instance
from headwater.instance.testing import instance_for_test


class FakeClock:
    """A clock that moves only when told: pass ``clock`` where Headwater takes a ``now``/clock."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = float(start)

    def __call__(self) -> float:
        return self._now

    def time(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError(f"A clock only moves forward; got advance({seconds}).")
        self._now += seconds
        return self._now

    def set(self, timestamp: float) -> None:
        self._now = float(timestamp)


def ephemeral_instance(**kwargs: Any) -> Instance:
    """An in-memory instance; use it as a context manager to remove its temp dir afterwards."""
    return Instance.ephemeral(**kwargs)


__all__ = [
    "FakeClock",
    "build_asset_context",
    "build_hook_context",
    "build_op_context",
    "ephemeral_instance",
    "instance_for_test",
    "materialize",
    "materialize_to_memory",
]
