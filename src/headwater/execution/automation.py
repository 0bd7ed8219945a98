"""``evaluate_automation_conditions``: one automation evaluation of a ``Definitions`` against an
instance, for tests (Dagster's function). The daemon's automation loop runs the same evaluation
(``selection.automation``) over the specs of its code locations, and launches what it requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.definitions.definitions import Definitions
from headwater.errors import InvalidInvocationError
from headwater.selection.automation.evaluator import AutomationOutcome, evaluate_conditions
from headwater.selection.automation.records import AutomationCursor, EntityEvaluation
from headwater.storage.automation_state import StoredAutomationState


class EvaluateAutomationConditionsResult:
    """What ``evaluate_automation_conditions`` returns: the requests, every entity's evaluation (its
    condition tree's results: why it was or was not requested), and the cursor of the next call."""

    def __init__(self, outcome: AutomationOutcome) -> None:
        self._outcome = outcome
        self.cursor: AutomationCursor = outcome.cursor
        self.results: list[EntityEvaluation] = outcome.evaluations

    @property
    def total_requested(self) -> int:
        """How many asset partitions (an unpartitioned asset counts one) and checks were requested."""
        return self._outcome.total_requested

    def get_requested_partitions(self, asset_key: Any) -> set[str | None]:
        """The partition keys requested for ``asset_key`` (``{None}`` for an unpartitioned asset)."""
        keys = self._outcome.requested_assets.get(AssetKey.from_coercible(asset_key), ())
        return {None} if keys is None else set(keys)

    def get_num_requested(self, asset_key: Any) -> int:
        return len(self.get_requested_partitions(asset_key))

    @property
    def requested_checks(self) -> list[AssetCheckKey]:
        return list(self._outcome.requested_checks)

    def get_evaluation(self, key: Any) -> EntityEvaluation:
        """The evaluation of an asset (key) or check (AssetCheckKey)."""
        wanted = (
            key.to_user_string()
            if isinstance(key, AssetCheckKey)
            else AssetKey.from_coercible(key).to_user_string()
        )
        for evaluation in self.results:
            if evaluation.entity_key == wanted:
                return evaluation
        raise InvalidInvocationError(
            f"No automation condition was evaluated for {wanted!r}; evaluated: "
            f"{', '.join(e.entity_key for e in self.results) or 'none'}."
        )


def evaluate_automation_conditions(
    defs: Definitions | Sequence[Any],
    instance: Any,
    asset_selection: Any = None,
    evaluation_time: datetime | None = None,
    cursor: AutomationCursor | None = None,
) -> EvaluateAutomationConditionsResult:
    """Evaluate the automation conditions of ``defs`` (or a list of assets) against ``instance``'s
    storage at ``evaluation_time`` (default: now), after ``cursor`` (the previous result's ``cursor``;
    None: the first evaluation). Nothing is launched."""
    if not isinstance(defs, Definitions):
        defs = Definitions(assets=list(defs))
    if cursor is not None and not isinstance(cursor, AutomationCursor):
        raise InvalidInvocationError(
            "cursor must be the `cursor` of a previous evaluate_automation_conditions result; "
            f"got {cursor!r}."
        )
    graph = defs.resolve_asset_graph()
    targets: set[AssetKey | AssetCheckKey] | None = None
    if asset_selection is not None:
        from headwater.selection.asset_selection import AssetSelection

        selection = (
            asset_selection
            if isinstance(asset_selection, AssetSelection)
            else AssetSelection.from_coercible(asset_selection)
        )
        targets = {*selection.resolve(graph), *selection.resolve_checks(graph)}
    storage = instance.storage
    previous = AutomationCursor.from_string(cursor.to_string()) if cursor is not None else AutomationCursor()
    now = evaluation_time.timestamp() if evaluation_time is not None else storage.clock()
    storage_id = storage.event_store.get_maximum_record_id() or 0
    state = StoredAutomationState(storage.event_store, storage.run_store, previous.storage_id, storage_id)
    outcome = evaluate_conditions(
        graph, state, previous, now, storage_id=storage_id, dynamic=instance, targets=targets
    )
    return EvaluateAutomationConditionsResult(outcome)


__all__ = ["EvaluateAutomationConditionsResult", "evaluate_automation_conditions"]
