"""The Executor protocol: something that runs a run's ready steps until none are left."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from headwater.execution.run_context import RunContext


class Executor(Protocol):
    """Drives ``run.active`` to completion, calling ``run_step`` for each ready step (here or elsewhere)."""

    def execute(self, run: RunContext) -> None: ...
