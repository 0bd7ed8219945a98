"""Which automation sensor evaluates which assets: a location's ``AutomationConditionSensorDefinition``s,
plus ``default_automation_condition_sensor`` (RUNNING by default) for the assets and checks with a
condition that none of them targets -- added to the location's spec when it is built, so the sensor
lists, the CLI and the UI show it like any other sensor."""

from __future__ import annotations

from collections.abc import Sequence

from headwater.core.asset_key import AssetKey
from headwater.specs.asset_graph import AssetCheckNodeSpec, AssetNodeSpec
from headwater.specs.automation_condition import DEFAULT_AUTOMATION_SENSOR_NAME
from headwater.specs.location import SensorSpec

#: ``SensorSpec.sensor_type`` of automation sensors (evaluated by the daemon's automation loop).
AUTOMATION_SENSOR_TYPE = "automation"
DEFAULT_INTERVAL_SECONDS = 30


def with_default_automation_sensor(
    sensors: Sequence[SensorSpec], assets: Sequence[AssetNodeSpec], checks: Sequence[AssetCheckNodeSpec]
) -> tuple[SensorSpec, ...]:
    """``sensors``, and the default automation sensor when some condition is targeted by none of them."""
    if any(s.name == DEFAULT_AUTOMATION_SENSOR_NAME for s in sensors):
        return tuple(sensors)
    covered = {k for s in sensors if s.sensor_type == AUTOMATION_SENSOR_TYPE for k in s.asset_selection or ()}
    loose: list[AssetKey] = [n.key for n in assets if n.automation_condition is not None]
    loose += [c.key.asset_key for c in checks if c.automation_condition is not None]
    loose = [k for k in dict.fromkeys(loose) if k not in covered]
    if not loose:
        return tuple(sensors)
    default = SensorSpec(
        name=DEFAULT_AUTOMATION_SENSOR_NAME,
        minimum_interval_seconds=DEFAULT_INTERVAL_SECONDS,
        default_status="RUNNING",
        sensor_type=AUTOMATION_SENSOR_TYPE,
        asset_selection=tuple(loose),
        description="Evaluates the automation conditions that no other automation sensor targets.",
    )
    return (*sensors, default)


def automation_sensors(
    sensors: Sequence[SensorSpec], assets: Sequence[AssetNodeSpec], checks: Sequence[AssetCheckNodeSpec]
) -> list[SensorSpec]:
    """The automation sensors among ``sensors`` (the default one added when needed)."""
    return [
        s
        for s in with_default_automation_sensor(sensors, assets, checks)
        if s.sensor_type == AUTOMATION_SENSOR_TYPE
    ]


__all__ = ["AUTOMATION_SENSOR_TYPE", "automation_sensors", "with_default_automation_sensor"]
