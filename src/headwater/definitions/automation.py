"""Declarative automation on the authoring side: the condition an asset or check declares, checked
when the definitions compile (so a bad cron string fails at load time, naming the asset), and
``AutomationConditionSensorDefinition``, which says which assets one automation sensor evaluates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.errors import InvalidDefinitionError
from headwater.selection.cron import cron_schedule, is_valid_cron_schedule
from headwater.specs.automation_condition import (
    DEFAULT_AUTOMATION_SENSOR_NAME,
    AnyAutomationCondition,
    CronTickPassedCondition,
    as_condition,
)


def automation_condition_spec(value: object, owner: str) -> AnyAutomationCondition | None:
    """``value`` (an asset's or check's ``automation_condition``) as its spec, its cron strings and
    time zones checked."""
    condition = as_condition(value, owner)
    if condition is None:
        return None
    for node in condition.walk():
        if isinstance(node, CronTickPassedCondition):
            if not is_valid_cron_schedule(node.cron_schedule):
                raise InvalidDefinitionError(
                    f"The automation condition of {owner} has an invalid cron schedule "
                    f"{node.cron_schedule!r}; use five fields, e.g. '0 * * * *'."
                )
            try:
                cron_schedule(node.cron_schedule, node.cron_timezone)
            except Exception as exc:
                raise InvalidDefinitionError(
                    f"The automation condition of {owner} has an invalid time zone "
                    f"{node.cron_timezone!r} ({exc}); use an IANA name such as 'UTC' or 'Europe/Paris'."
                ) from None
    return condition


class AutomationConditionSensorDefinition:
    """A sensor the daemon's ``automation`` loop evaluates: the automation conditions of the assets
    and checks in ``target`` (an asset selection; every asset with a condition when it is ``"*"``).

    Unlike other sensors it runs no user code: its conditions are part of the asset specs. Assets no
    automation sensor targets are evaluated by ``default_automation_condition_sensor``.
    """

    sensor_type = "automation"

    def __init__(
        self,
        name: str,
        *,
        target: Any,
        tags: Mapping[str, str] | None = None,
        run_tags: Mapping[str, str] | None = None,
        default_status: Any = None,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        emit_backfills: bool = True,
        use_user_code_server: bool = False,
        default_condition: Any = None,
    ) -> None:
        from headwater.definitions.run_request import DefaultSensorStatus

        if not isinstance(name, str) or not name:
            raise InvalidDefinitionError("An AutomationConditionSensorDefinition needs a name.")
        if target is None:
            raise InvalidDefinitionError(
                f"Automation sensor '{name}' needs a target: an AssetSelection, asset keys or '*'."
            )
        from headwater.definitions.instigator import Target
        from headwater.selection.asset_selection import AssetSelection

        self.name = name
        self.target = target
        self.target_def = Target(assets=AssetSelection.from_coercible(target))
        self.tags = {str(k): str(v) for k, v in (tags or {}).items()}
        self.run_tags = {str(k): str(v) for k, v in (run_tags or {}).items()}
        self.default_status = default_status if default_status is not None else DefaultSensorStatus.RUNNING
        interval = 30 if minimum_interval_seconds is None else minimum_interval_seconds
        if not isinstance(interval, int) or interval < 0:
            raise InvalidDefinitionError(
                f"Automation sensor '{name}': minimum_interval_seconds must be a whole number of "
                "seconds >= 0."
            )
        self.minimum_interval_seconds = interval
        self.description = description
        self.metadata = dict(metadata or {})
        self.emit_backfills = emit_backfills
        self.use_user_code_server = use_user_code_server
        self.default_condition = automation_condition_spec(default_condition, f"automation sensor '{name}'")
        self.jobs: list[Any] = []
        self.required_resource_keys: set[str] = set()


__all__ = [
    "DEFAULT_AUTOMATION_SENSOR_NAME",
    "AutomationConditionSensorDefinition",
    "automation_condition_spec",
]
