"""What one automation evaluation leaves behind: the result tree of each asset (why it was or was not
requested), and the cursor the next evaluation starts from.

Both are msgspec Structs: the daemon stores them (``automation_evaluations`` rows, the sensor's
cursor), the webserver serves them, ``evaluate_automation_conditions`` returns them.
"""

from __future__ import annotations

import msgspec

from headwater.selection.automation.subsets import NO_KEYS, KeyRanges


class ConditionResult(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One node of a condition tree after an evaluation: which keys it was true for, of how many
    candidates, and its children's results (for a dependency operator: one child per dependency,
    ``dep_key`` naming it)."""

    node_id: str
    name: str
    description: str
    true: KeyRanges = NO_KEYS
    candidates: int = 0
    label: str | None = None
    dep_key: str | None = None
    children: tuple[ConditionResult, ...] = ()

    @property
    def num_true(self) -> int:
        return self.true.count


class EntityEvaluation(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """The evaluation of one asset's (or check's) condition on one tick."""

    entity_key: str  # "asset_key" user string, or "asset_key:check_name" for a check
    is_check: bool
    evaluation_id: int
    timestamp: float
    partitioned: bool
    num_candidates: int
    requested: KeyRanges
    result: ConditionResult
    # The result differs from the entity's previous evaluation (or there was none): the daemon stores
    # an evaluation when it changed or requested something, so a steady state writes nothing.
    changed: bool = True

    @property
    def num_requested(self) -> int:
        return self.requested.count


class EntityCursor(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """What one entity's next evaluation needs of this one: the condition's fingerprint (a changed
    condition starts afresh), what was requested, and the state of the stateful nodes (``since``:
    where it holds; ``newly_true``: where its operand was true) by node id."""

    fingerprint: str
    requested: KeyRanges = NO_KEYS
    states: dict[str, KeyRanges] = {}
    result_digest: str | None = None


class AutomationCursor(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """The state carried from one evaluation to the next (Dagster's automation cursor)."""

    evaluation_id: int = 0
    timestamp: float | None = None
    # The newest event storage id seen: "newly updated" means a materialization after it.
    storage_id: int | None = None
    entities: dict[str, EntityCursor] = {}

    def to_string(self) -> str:
        return msgspec.json.encode(self).decode()

    @staticmethod
    def from_string(text: str | None) -> AutomationCursor:
        if not text:
            return AutomationCursor()
        try:
            return msgspec.json.decode(text, type=AutomationCursor)
        except msgspec.DecodeError as exc:
            raise ValueError(
                f"Not an automation cursor ({exc}); pass the `cursor` of a previous evaluation result, "
                "or None to start afresh."
            ) from None


__all__ = ["AutomationCursor", "ConditionResult", "EntityCursor", "EntityEvaluation"]
