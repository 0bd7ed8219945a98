"""The automation evaluations store: every evaluation of every asset's (and check's) automation
condition, with the result tree saying why it was or was not requested (``automation_evaluations``).

The daemon's automation loop writes one row per evaluated entity per tick (before it launches
anything); the webserver reads an entity's latest rows; a tick resumed after a crash reads the rows
of its evaluation back to finish launching.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from headwater.selection.automation.records import EntityEvaluation


@dataclass(frozen=True, slots=True)
class AutomationEvaluationRecord:
    """One stored evaluation: which sensor made it (``selector_id``), its row id, and the evaluation."""

    id: int
    selector_id: str
    evaluation: EntityEvaluation
    run_ids: tuple[str, ...] = ()

    @property
    def evaluation_id(self) -> int:
        return self.evaluation.evaluation_id

    @property
    def entity_key(self) -> str:
        return self.evaluation.entity_key


class AutomationStore(Protocol):
    """``Storage.automation``."""

    def add_evaluations(self, selector_id: str, evaluations: Sequence[EntityEvaluation]) -> None:
        """Store one tick's evaluations (replacing rows of the same sensor and evaluation id: a tick
        evaluated again after a crash)."""
        ...

    def set_run_ids(self, selector_id: str, evaluation_id: int, run_ids: Mapping[str, Sequence[str]]) -> None:
        """Note the runs (or backfill) launched for each entity of an evaluation."""
        ...

    def get_evaluations(
        self, entity_key: str, limit: int = 20, before_id: int | None = None
    ) -> Sequence[AutomationEvaluationRecord]:
        """The latest evaluations of one entity (an asset key's or check key's user string), newest first."""
        ...

    def get_tick_evaluations(
        self, selector_id: str, evaluation_id: int
    ) -> Sequence[AutomationEvaluationRecord]:
        """Every entity's evaluation of one tick of one sensor."""
        ...

    def get_latest_evaluations(self) -> Sequence[AutomationEvaluationRecord]:
        """The newest evaluation of every entity ever evaluated."""
        ...

    def purge_evaluations(self, before: float) -> int:
        """Delete evaluations made before ``before`` (keeping each entity's newest); how many went."""
        ...


__all__ = ["AutomationEvaluationRecord", "AutomationStore"]
