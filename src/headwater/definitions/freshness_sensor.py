"""``build_sensor_for_freshness_checks``: a sensor that launches the freshness checks whose state may
have changed since they last ran (Dagster's rules):

* a check never executed runs;
* a check whose latest completed evaluation passed runs again once its ``dagster/fresh_until_timestamp``
  is past (unless this sensor already has a run of it in flight);
* a check whose latest evaluation failed runs again only after the asset was materialized since.

It walks the checks in key order from its cursor, and asks for one checks-only run of those to evaluate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.definitions.freshness_checks import FRESH_UNTIL_METADATA_KEY
from headwater.definitions.run_request import DefaultSensorStatus, RunRequest, SkipReason
from headwater.definitions.sensor_definition import SensorDefinition, sensor
from headwater.errors import InvalidDefinitionError
from headwater.selection.asset_selection import AssetSelection

DEFAULT_FRESHNESS_SENSOR_NAME = "freshness_checks_sensor"
SENSOR_NAME_TAG = "dagster/sensor_name"  # the tag the daemon puts on a sensor's runs
FRESHNESS_SENSOR_DESCRIPTION = (
    "This sensor launches execution of freshness checks for the provided assets. The sensor will only "
    "launch a new execution of a freshness check if the check previously passed, but enough time has "
    "passed that the check could be overdue again. Once a check has failed, the sensor will not launch a "
    "new execution until the asset has been updated (which should automatically execute the check)."
)
_SKIP = (
    "No freshness checks need to be evaluated at this time, since all checks are either currently "
    "evaluating, have failed, or are not yet overdue."
)


def build_sensor_for_freshness_checks(
    *,
    freshness_checks: Sequence[Any],
    minimum_interval_seconds: int | None = None,
    name: str = DEFAULT_FRESHNESS_SENSOR_NAME,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    tags: Mapping[str, Any] | None = None,
) -> SensorDefinition:
    """A sensor (named ``name``) that launches ``freshness_checks`` (from
    ``build_last_update_freshness_checks`` / ``build_time_partition_freshness_checks``) when needed."""
    keys = [spec.key for checks_def in freshness_checks for spec in checks_def.check_specs]
    duplicates = sorted({k.to_user_string() for k in keys if keys.count(k) > 1})
    if duplicates:
        raise InvalidDefinitionError(
            f"build_sensor_for_freshness_checks: found duplicate asset checks in the provided list of asset "
            f"checks: {duplicates}. Please ensure that each provided asset check is unique."
        )
    if minimum_interval_seconds is not None and (
        not isinstance(minimum_interval_seconds, int) or minimum_interval_seconds <= 0
    ):
        raise InvalidDefinitionError(
            f"build_sensor_for_freshness_checks: minimum_interval_seconds must be a positive integer; got "
            f"{minimum_interval_seconds!r}."
        )
    ordered = sorted(keys, key=AssetCheckKey.to_user_string)

    @sensor(
        name=name,
        minimum_interval_seconds=minimum_interval_seconds,
        asset_selection=AssetSelection.checks(*freshness_checks),
        default_status=default_status,
        description=FRESHNESS_SENSOR_DESCRIPTION,
    )
    def the_sensor(context: Any) -> RunRequest | SkipReason:
        instance = context.instance
        now = instance.clock()
        left_off = AssetCheckKey.from_user_string(context.cursor) if context.cursor else None
        due = [key for key in _rotated(ordered, left_off) if _should_evaluate(instance, key, now, name)]
        context.update_cursor(None)  # every check was looked at: the next tick starts from the first
        if due:
            return RunRequest(asset_check_keys=due, tags=tags)
        return SkipReason(_SKIP)

    return the_sensor


def _rotated(keys: Sequence[AssetCheckKey], left_off: AssetCheckKey | None) -> Iterator[AssetCheckKey]:
    """``keys`` starting after ``left_off`` and wrapping around (Dagster's order)."""
    start = keys.index(left_off) + 1 if left_off in keys else 0
    yield from keys[start:]
    yield from keys[:start]


def _planned(record: Any) -> bool:
    """An execution planned by a run and not resolved yet (``AssetCheckExecutionRecordStatus.PLANNED``)."""
    return bool(getattr(record.status, "value", record.status) == "PLANNED")


def _evaluation(record: Any) -> Any:
    """The AssetCheckEvaluation a completed execution stored (None when it has none)."""
    event = record.event.dagster_event if record.event is not None else None
    return event.event_specific_data if event is not None else None


def _fresh_until(record: Any) -> float | None:
    data = _evaluation(record)
    value = (data.metadata or {}).get(FRESH_UNTIL_METADATA_KEY) if data is not None else None
    raw = getattr(value, "value", None)
    return float(raw) if isinstance(raw, (int, float)) else None


def _should_evaluate(instance: Any, key: AssetCheckKey, now: float, sensor_name: str) -> bool:
    history = instance.event_log_storage.get_asset_check_execution_history(key, 20)
    if not history:
        return True  # never executed
    latest = history[0]
    completed = next((r for r in history if not _planned(r) and r.event), None)
    if completed is None:
        return False  # evaluating for the first time (or the planned runs never finished)
    passed = bool(getattr(_evaluation(completed), "passed", False))
    if _planned(latest) and passed:
        run = instance.get_run_by_id(latest.run_id)
        if run is not None and run.tags.get(SENSOR_NAME_TAG) == sensor_name:
            return False  # this sensor's run is evaluating it
    if not passed:
        event = instance.get_latest_materialization_event(key.asset_key)
        evaluated_at = completed.event.timestamp if completed.event is not None else now
        return event is not None and event.timestamp > evaluated_at
    fresh_until = _fresh_until(completed)
    return fresh_until is None or fresh_until < now


__all__ = ["DEFAULT_FRESHNESS_SENSOR_NAME", "build_sensor_for_freshness_checks"]
