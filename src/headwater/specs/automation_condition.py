"""Declarative automation conditions as data: Dagster's ``AutomationCondition`` tree, frozen and JSON-able.

An asset (or asset check) carries its condition in its spec (``AssetNodeSpec.automation_condition``),
so the daemon evaluates it without importing user code. A condition is a leaf (``missing()``,
``newly_updated()``, ``cron_tick_passed(...)``...) or an operator over conditions (``&``, ``|``,
``~``, ``since``, ``newly_true``, ``any_deps_match``, ``all_deps_match``); the composite conditions
users write (``eager()``, ``on_cron()``, ``on_missing()``, ``any_deps_updated()``...) are built from
them with a label, exactly as Dagster builds them. Evaluation is ``headwater.selection.automation``.

JSON: ``{"type": "and", "operands": [{"type": "missing"}, ...], "label": "eager"}``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Self, cast

import msgspec

from headwater.errors import InvalidDefinitionError

#: The automation sensor that evaluates the conditions no user-defined automation sensor targets.
DEFAULT_AUTOMATION_SENSOR_NAME = "default_automation_condition_sensor"
#: Run tags of the runs automation requests (Dagster's names).
AUTOMATION_CONDITION_TAG = "dagster/from_automation_condition"
ASSET_EVALUATION_ID_TAG = "dagster/asset_evaluation_id"


class AutomationCondition(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True, tag_field="type"):
    """A condition on the partitions of an asset (or an asset check), evaluated on each daemon tick."""

    label: str | None = None

    # -- what users call on a condition -------------------------------------------------------------
    def __and__(self, other: AutomationCondition) -> AndAutomationCondition:
        _check_condition(other, "&")
        return AndAutomationCondition(
            operands=(*_flat(self, AndAutomationCondition), *_flat(other, AndAutomationCondition))
        )

    def __or__(self, other: AutomationCondition) -> OrAutomationCondition:
        _check_condition(other, "|")
        return OrAutomationCondition(
            operands=(*_flat(self, OrAutomationCondition), *_flat(other, OrAutomationCondition))
        )

    def __invert__(self) -> NotAutomationCondition:
        return NotAutomationCondition(operand=_node(self))

    def with_label(self, label: str | None) -> Self:
        """This condition under ``label`` (shown in the evaluation tree)."""
        return msgspec.structs.replace(self, label=label)

    def get_label(self) -> str | None:
        return self.label

    def since(self, reset_condition: AutomationCondition) -> SinceCondition:
        """True from the tick this condition is true until the tick ``reset_condition`` is."""
        _check_condition(reset_condition, "since")
        return SinceCondition(trigger=_node(self), reset=_node(reset_condition))

    def newly_true(self) -> NewlyTrueCondition:
        """True on the tick this condition becomes true (false on the tick before)."""
        return NewlyTrueCondition(operand=_node(self))

    def since_last_handled(self) -> SinceCondition:
        """True since this condition became true, until the target is requested or updated."""
        handled = (
            AutomationCondition.newly_requested()
            | AutomationCondition.newly_updated()
            | AutomationCondition.initial_evaluation()
        ).with_label("handled")
        return self.since(handled)

    @property
    def name(self) -> str:
        """The condition's kind, as Dagster's evaluation tree names it ("AND", "missing"...)."""
        tag = type(self).__struct_config__.tag
        assert isinstance(tag, str)
        return _NAMES.get(tag, tag)

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return ()

    @property
    def description(self) -> str:
        return _DESCRIPTIONS.get(self.name, self.name)

    def walk(self) -> Iterator[AutomationCondition]:
        """This condition and every condition under it, depth first."""
        stack: list[AutomationCondition] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @property
    def fingerprint(self) -> str:
        """A short hash of the condition's JSON: a changed condition starts afresh."""
        return hashlib.sha1(msgspec.json.encode(self), usedforsecurity=False).hexdigest()[:16]

    # -- leaves ------------------------------------------------------------------------------------
    @staticmethod
    def missing() -> MissingCondition:
        """The partition has never been materialized (or observed)."""
        return MissingCondition()

    @staticmethod
    def in_progress() -> InProgressCondition:
        """The partition is part of a run that has not finished."""
        return InProgressCondition()

    @staticmethod
    def execution_failed() -> ExecutionFailedCondition:
        """The partition's latest materialization attempt failed."""
        return ExecutionFailedCondition()

    @staticmethod
    def newly_updated() -> NewlyUpdatedCondition:
        """The partition was materialized (or observed) since the previous evaluation."""
        return NewlyUpdatedCondition()

    @staticmethod
    def newly_requested() -> NewlyRequestedCondition:
        """The partition was requested on the previous evaluation."""
        return NewlyRequestedCondition()

    @staticmethod
    def will_be_requested() -> WillBeRequestedCondition:
        """The partition is requested on this evaluation (true only for assets evaluated earlier)."""
        return WillBeRequestedCondition()

    @staticmethod
    def initial_evaluation() -> InitialEvaluationCondition:
        """This is the first evaluation of the condition (or the condition changed since the last)."""
        return InitialEvaluationCondition()

    @staticmethod
    def in_latest_time_window(lookback_delta: timedelta | None = None) -> InLatestTimeWindowCondition:
        """The partition is in the latest time window (or within ``lookback_delta`` of its end);
        always true for assets not partitioned by time."""
        if lookback_delta is not None and not isinstance(lookback_delta, timedelta):
            raise InvalidDefinitionError(
                "in_latest_time_window(lookback_delta=...) takes a datetime.timedelta; "
                f"got {lookback_delta!r}."
            )
        seconds = lookback_delta.total_seconds() if lookback_delta is not None else None
        return InLatestTimeWindowCondition(lookback_seconds=seconds)

    @staticmethod
    def cron_tick_passed(cron_schedule: str, cron_timezone: str = "UTC") -> CronTickPassedCondition:
        """A tick of ``cron_schedule`` passed since the previous evaluation."""
        if not isinstance(cron_schedule, str) or not isinstance(cron_timezone, str):
            raise InvalidDefinitionError(
                "cron_tick_passed takes a cron string and a timezone name; "
                f"got {cron_schedule!r}, {cron_timezone!r}."
            )
        return CronTickPassedCondition(cron_schedule=cron_schedule, cron_timezone=cron_timezone)

    # -- dependency operators ----------------------------------------------------------------------
    @staticmethod
    def any_deps_match(condition: AutomationCondition) -> AnyDepsCondition:
        """True where ``condition`` is true for a partition of any dependency that maps to it."""
        _check_condition(condition, "any_deps_match")
        return AnyDepsCondition(operand=_node(condition))

    @staticmethod
    def all_deps_match(condition: AutomationCondition) -> AllDepsCondition:
        """True where ``condition`` is true for every dependency (for a partition mapping to it)."""
        _check_condition(condition, "all_deps_match")
        return AllDepsCondition(operand=_node(condition))

    @staticmethod
    def any_deps_updated() -> AnyDepsCondition:
        return AutomationCondition.any_deps_match(
            AutomationCondition.newly_updated() | AutomationCondition.will_be_requested()
        ).with_label("any_deps_updated")

    @staticmethod
    def any_deps_missing() -> AnyDepsCondition:
        return AutomationCondition.any_deps_match(
            AutomationCondition.missing() & ~AutomationCondition.will_be_requested()
        ).with_label("any_deps_missing")

    @staticmethod
    def any_deps_in_progress() -> AnyDepsCondition:
        return AutomationCondition.any_deps_match(AutomationCondition.in_progress()).with_label(
            "any_deps_in_progress"
        )

    @staticmethod
    def all_deps_updated_since_cron(cron_schedule: str, cron_timezone: str = "UTC") -> AllDepsCondition:
        updated = (
            AutomationCondition.newly_updated().since(
                AutomationCondition.cron_tick_passed(cron_schedule, cron_timezone)
            )
            | AutomationCondition.will_be_requested()
        )
        return AutomationCondition.all_deps_match(updated).with_label(
            f"all_deps_updated_since_cron({cron_schedule}, {cron_timezone})"
        )

    # -- the conditions users attach -----------------------------------------------------------------
    @staticmethod
    def eager() -> AndAutomationCondition:
        """Request the latest partition when it is missing or a dependency updates, once the
        dependencies are present and nothing is in progress."""
        return (
            AutomationCondition.in_latest_time_window()
            & (
                AutomationCondition.missing().newly_true().with_label("newly_missing")
                | AutomationCondition.any_deps_updated()
            ).since_last_handled()
            & ~AutomationCondition.any_deps_missing()
            & ~AutomationCondition.any_deps_in_progress()
            & ~AutomationCondition.in_progress()
        ).with_label("eager")

    @staticmethod
    def on_cron(cron_schedule: str, cron_timezone: str = "UTC") -> AndAutomationCondition:
        """Request the latest partition once per tick of ``cron_schedule``, after every dependency
        has updated since that tick."""
        return (
            AutomationCondition.in_latest_time_window()
            & AutomationCondition.cron_tick_passed(cron_schedule, cron_timezone).since_last_handled()
            & AutomationCondition.all_deps_updated_since_cron(cron_schedule, cron_timezone)
        ).with_label(f"on_cron({cron_schedule}, {cron_timezone})")

    @staticmethod
    def on_missing() -> AndAutomationCondition:
        """Request partitions of the latest time window that go missing after the condition is
        applied, once none of their dependencies is missing."""
        return (
            AutomationCondition.in_latest_time_window()
            & AutomationCondition.missing()
            .newly_true()
            .since_last_handled()
            .with_label("missing_since_last_handled")
            & ~AutomationCondition.any_deps_missing()
        ).with_label("on_missing")


class AndAutomationCondition(AutomationCondition, tag="and", frozen=True):
    operands: tuple[AnyAutomationCondition, ...]

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return self.operands


class OrAutomationCondition(AutomationCondition, tag="or", frozen=True):
    operands: tuple[AnyAutomationCondition, ...]

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return self.operands


class NotAutomationCondition(AutomationCondition, tag="not", frozen=True):
    operand: AnyAutomationCondition

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)


class SinceCondition(AutomationCondition, tag="since", frozen=True):
    trigger: AnyAutomationCondition
    reset: AnyAutomationCondition

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.trigger, self.reset)


class NewlyTrueCondition(AutomationCondition, tag="newly_true", frozen=True):
    operand: AnyAutomationCondition

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)


class AnyDepsCondition(AutomationCondition, tag="any_deps_match", frozen=True):
    operand: AnyAutomationCondition

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)


class AllDepsCondition(AutomationCondition, tag="all_deps_match", frozen=True):
    operand: AnyAutomationCondition

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)


class MissingCondition(AutomationCondition, tag="missing", frozen=True):
    pass


class InProgressCondition(AutomationCondition, tag="in_progress", frozen=True):
    pass


class ExecutionFailedCondition(AutomationCondition, tag="execution_failed", frozen=True):
    pass


class NewlyUpdatedCondition(AutomationCondition, tag="newly_updated", frozen=True):
    pass


class NewlyRequestedCondition(AutomationCondition, tag="newly_requested", frozen=True):
    pass


class WillBeRequestedCondition(AutomationCondition, tag="will_be_requested", frozen=True):
    pass


class InitialEvaluationCondition(AutomationCondition, tag="initial_evaluation", frozen=True):
    pass


class InLatestTimeWindowCondition(AutomationCondition, tag="in_latest_time_window", frozen=True):
    lookback_seconds: float | None = None


class CronTickPassedCondition(AutomationCondition, tag="cron_tick_passed", frozen=True):
    cron_schedule: str
    cron_timezone: str = "UTC"

    @property
    def name(self) -> str:
        return f"cron_tick_passed(cron_schedule={self.cron_schedule}, cron_timezone={self.cron_timezone})"

    @property
    def description(self) -> str:
        return f"A tick of '{self.cron_schedule}' ({self.cron_timezone}) passed since the previous evaluation"


#: Any condition (the closed union, for decoding).
AnyAutomationCondition = (
    AndAutomationCondition
    | OrAutomationCondition
    | NotAutomationCondition
    | SinceCondition
    | NewlyTrueCondition
    | AnyDepsCondition
    | AllDepsCondition
    | MissingCondition
    | InProgressCondition
    | ExecutionFailedCondition
    | NewlyUpdatedCondition
    | NewlyRequestedCondition
    | WillBeRequestedCondition
    | InitialEvaluationCondition
    | InLatestTimeWindowCondition
    | CronTickPassedCondition
)

_NAMES = {
    "and": "AND",
    "or": "OR",
    "not": "NOT",
    "since": "SINCE",
    "newly_true": "NEWLY_TRUE",
    "any_deps_match": "ANY_DEPS_MATCH",
    "all_deps_match": "ALL_DEPS_MATCH",
}

_DESCRIPTIONS = {
    "AND": "All of",
    "OR": "Any of",
    "NOT": "Not",
    "SINCE": "True since the first condition, until the second",
    "NEWLY_TRUE": "Became true on this evaluation",
    "ANY_DEPS_MATCH": "Any dependency matches",
    "ALL_DEPS_MATCH": "Every dependency matches",
    "missing": "Missing",
    "in_progress": "Part of an in-progress run",
    "execution_failed": "Latest run failed",
    "newly_updated": "Newly updated",
    "newly_requested": "Newly requested",
    "will_be_requested": "Will be requested this tick",
    "initial_evaluation": "Initial evaluation",
    "in_latest_time_window": "Within latest time window",
}


def _node(condition: AutomationCondition) -> AnyAutomationCondition:
    """``condition`` as a member of the closed union (every concrete condition is one)."""
    return cast("AnyAutomationCondition", condition)


def _flat(
    condition: AutomationCondition, kind: type[AndAutomationCondition] | type[OrAutomationCondition]
) -> tuple[AnyAutomationCondition, ...]:
    """The operands to join: an unlabeled ``&`` (``|``) of ``&`` (``|``) joins its operands."""
    if isinstance(condition, kind) and type(condition) is kind and condition.label is None:
        return condition.operands
    return (_node(condition),)


def _check_condition(value: object, where: str) -> None:
    if not isinstance(value, AutomationCondition):
        raise InvalidDefinitionError(
            f"{where} takes an AutomationCondition (AutomationCondition.missing(), .eager()...); "
            f"got {value!r} ({type(value).__name__})."
        )


def decode_condition(raw: bytes | str) -> AnyAutomationCondition:
    """A condition from its JSON."""
    return msgspec.json.decode(raw, type=AnyAutomationCondition)  # type: ignore[arg-type]


def as_condition(value: object, owner: str) -> AnyAutomationCondition | None:
    """``value`` as the condition of ``owner`` (None stays None); a clear error for anything else."""
    if value is None:
        return None
    if not isinstance(value, AutomationCondition):
        raise InvalidDefinitionError(
            f"automation_condition of {owner} must be an AutomationCondition (AutomationCondition.eager(), "
            f".on_cron('0 * * * *')...); got {value!r} ({type(value).__name__})."
        )
    return _node(value)


__all__ = [
    "ASSET_EVALUATION_ID_TAG",
    "AUTOMATION_CONDITION_TAG",
    "DEFAULT_AUTOMATION_SENSOR_NAME",
    "AllDepsCondition",
    "AndAutomationCondition",
    "AnyAutomationCondition",
    "AnyDepsCondition",
    "AutomationCondition",
    "CronTickPassedCondition",
    "ExecutionFailedCondition",
    "InLatestTimeWindowCondition",
    "InProgressCondition",
    "InitialEvaluationCondition",
    "MissingCondition",
    "NewlyRequestedCondition",
    "NewlyTrueCondition",
    "NewlyUpdatedCondition",
    "NotAutomationCondition",
    "OrAutomationCondition",
    "SinceCondition",
    "WillBeRequestedCondition",
    "as_condition",
    "decode_condition",
]
