"""Freshness checks (Dagster's factories): ``build_last_update_freshness_checks`` (the latest update is
recent enough) and ``build_time_partition_freshness_checks`` (the latest completed time partition has
arrived by its deadline).

Each builds one subsettable ``@multi_asset_check`` with a ``freshness_check`` per asset: an ordinary
asset check, evaluated in a run. It reads the asset index through ``context.instance`` and the current
time from the instance's clock (a ``FakeClock`` in tests); its results carry Dagster's metadata keys.
``build_sensor_for_freshness_checks`` (``freshness_sensor``) launches them when they may have changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckSeverity
from headwater.core.asset_key import AssetKey
from headwater.core.metadata_values import JsonMetadataValue, TimestampMetadataValue
from headwater.definitions.asset_check import AssetChecksDefinition, multi_asset_check
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.check_factories import asset_keys_of
from headwater.definitions.results import AssetCheckResult
from headwater.errors import InvalidDefinitionError
from headwater.selection.cron import get_timezone
from headwater.selection.freshness import latest_completed_tick, next_tick, seconds_in_words
from headwater.selection.partition_keys import TimeKeys, partition_keys_for
from headwater.specs.freshness import FRESHNESS_CHECK_NAME, is_valid_cron

DEFAULT_FRESHNESS_SEVERITY = AssetCheckSeverity.WARN
DEFAULT_FRESHNESS_TIMEZONE = "UTC"
LAST_UPDATED_TIMESTAMP_METADATA_KEY = "dagster/last_updated_timestamp"
FRESHNESS_PARAMS_METADATA_KEY = "dagster/freshness_params"
LOWER_BOUND_TIMESTAMP_METADATA_KEY = "dagster/freshness_lower_bound_timestamp"
FRESH_UNTIL_METADATA_KEY = "dagster/fresh_until_timestamp"
LATEST_CRON_TICK_METADATA_KEY = "dagster/latest_cron_tick_timestamp"

#: What a check computes for one asset: passed, description, metadata.
Evaluation = tuple[bool, str, dict[str, Any]]


def _keys(assets: Sequence[Any], what: str) -> list[AssetKey]:
    if isinstance(assets, (str, bytes)) or not isinstance(assets, Sequence):
        raise InvalidDefinitionError(f"{what}: assets= takes a list of assets or asset keys; got {assets!r}.")
    keys = asset_keys_of(assets)
    duplicates = sorted({k.to_user_string() for k in keys if keys.count(k) > 1})
    if duplicates:
        raise InvalidDefinitionError(
            f"{what}: found duplicate assets in the provided list of assets: {duplicates}. Please ensure "
            "that each asset is unique."
        )
    return keys


def _check_args(what: str, deadline_cron: str | None, timezone: str, severity: Any) -> None:
    if deadline_cron is not None and not is_valid_cron(deadline_cron):
        raise InvalidDefinitionError(
            f"{what}: invalid cron string {deadline_cron!r} for deadline_cron; expected 5 fields, e.g. "
            "'0 9 * * *'."
        )
    get_timezone(timezone)  # an unknown name is an error that says so
    if not isinstance(severity, AssetCheckSeverity):
        raise InvalidDefinitionError(f"{what}: severity must be an AssetCheckSeverity; got {severity!r}.")


def _multi_check(
    keys: Sequence[AssetKey],
    params: dict[str, Any],
    severity: AssetCheckSeverity,
    blocking: bool,
    evaluate: Callable[[Any, AssetKey, float], Evaluation],
) -> AssetChecksDefinition:
    reprs = sorted(f"AssetKey({list(k.path)!r})" for k in keys)
    unique = hashlib.md5(json.dumps(reprs).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    specs = [
        AssetCheckSpec(
            FRESHNESS_CHECK_NAME,
            asset=key,
            metadata={FRESHNESS_PARAMS_METADATA_KEY: JsonMetadataValue(params)},
            description="Evaluates freshness for targeted asset.",
            blocking=blocking,
        )
        for key in keys
    ]

    @multi_asset_check(specs=specs, can_subset=True, name=f"freshness_check_{unique}")
    def the_check(context: Any) -> Iterator[AssetCheckResult]:
        instance = context.instance
        for check_key in sorted(context.selected_asset_check_keys, key=AssetCheckKey.to_user_string):
            passed, description, metadata = evaluate(context, check_key.asset_key, instance.clock())
            yield AssetCheckResult(
                passed=passed,
                description=description,
                severity=severity,
                asset_key=check_key.asset_key,
                check_name=FRESHNESS_CHECK_NAME,
                metadata={FRESHNESS_PARAMS_METADATA_KEY: JsonMetadataValue(params), **metadata},
            )

    return the_check


def last_update(instance: Any, key: AssetKey) -> tuple[float | None, bool]:
    """When ``key`` was last updated, and whether any record of it exists: the later of its latest
    materialization and latest observation (an observation counts with its
    ``dagster/last_updated_timestamp`` metadata only, as in Dagster)."""
    found: list[float] = []
    any_record = False
    for record in instance.fetch_materializations(key, limit=1).records:
        any_record = True
        found.append(_stamp(record.asset_materialization.metadata) or record.timestamp)
    for record in instance.fetch_observations(key, limit=1).records:
        any_record = True
        stamp = _stamp(record.asset_observation.metadata)
        if stamp is not None:
            found.append(stamp)
    return (max(found) if found else None), any_record


def partition_arrived(instance: Any, key: AssetKey, partition_key: str) -> bool:
    """Whether ``partition_key`` of ``key`` was materialized or observed (the partition status index)."""
    for row in instance.get_asset_partition_records(key, [partition_key]):
        if row.partition == partition_key and (
            row.last_materialization_storage_id is not None or row.last_observation_storage_id is not None
        ):
            return True
    return False


def _stamp(metadata: Any) -> float | None:
    value = (metadata or {}).get(LAST_UPDATED_TIMESTAMP_METADATA_KEY)
    raw = getattr(value, "value", value)
    return float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None


def build_last_update_freshness_checks(
    *,
    assets: Sequence[Any],
    lower_bound_delta: timedelta,
    deadline_cron: str | None = None,
    timezone: str = DEFAULT_FRESHNESS_TIMEZONE,
    severity: AssetCheckSeverity = DEFAULT_FRESHNESS_SEVERITY,
    blocking: bool = False,
) -> Sequence[AssetChecksDefinition]:
    """A ``freshness_check`` per asset that passes when the asset was updated (materialized, or observed
    with ``dagster/last_updated_timestamp``) no earlier than ``deadline - lower_bound_delta``; the
    deadline is the latest tick of ``deadline_cron`` (in ``timezone``), or the time of the check."""
    what = "build_last_update_freshness_checks"
    if not isinstance(lower_bound_delta, timedelta):
        raise InvalidDefinitionError(
            f"{what}: lower_bound_delta must be a timedelta; got {lower_bound_delta!r}."
        )
    _check_args(what, deadline_cron, timezone, severity)
    keys = _keys(assets, what)
    delta = lower_bound_delta.total_seconds()
    params: dict[str, Any] = {"timezone": timezone, "lower_bound_delta_seconds": delta}
    if deadline_cron:
        params["deadline_cron"] = deadline_cron

    def evaluate(context: Any, key: AssetKey, now: float) -> Evaluation:
        tick = latest_completed_tick(deadline_cron, timezone, now) if deadline_cron else None
        lower_bound = (tick if tick is not None else now) - delta
        updated, _ = last_update(context.instance, key)
        metadata: dict[str, Any] = {LOWER_BOUND_TIMESTAMP_METADATA_KEY: TimestampMetadataValue(lower_bound)}
        if tick is not None:
            metadata[LATEST_CRON_TICK_METADATA_KEY] = TimestampMetadataValue(tick)
        allowed = seconds_in_words(now - lower_bound)
        if updated is None:
            return False, "Asset has never been observed/materialized.", metadata
        passed = updated >= lower_bound
        if passed:
            fresh_until = next_tick(deadline_cron, timezone, now) if deadline_cron else updated + delta
            metadata[FRESH_UNTIL_METADATA_KEY] = TimestampMetadataValue(fresh_until)
        if updated:  # as Dagster: a zero timestamp is left out
            metadata[LAST_UPDATED_TIMESTAMP_METADATA_KEY] = TimestampMetadataValue(updated)
        ago = seconds_in_words(now - updated)
        description = (
            f"Asset is currently fresh. The last update was {ago} ago, within the allowed time range of "
            f"{allowed}."
            if passed
            else f"Asset is overdue for an update. The last update was {ago} ago, which is past the allowed "
            f"distance of {allowed} ago."
        )
        return passed, description, metadata

    return [_multi_check(keys, params, severity, blocking, evaluate)]


def build_time_partition_freshness_checks(
    *,
    assets: Sequence[Any],
    deadline_cron: str,
    timezone: str = DEFAULT_FRESHNESS_TIMEZONE,
    severity: AssetCheckSeverity = DEFAULT_FRESHNESS_SEVERITY,
    blocking: bool = False,
) -> Sequence[AssetChecksDefinition]:
    """A ``freshness_check`` per time-partitioned asset that passes when the partition whose window was
    the latest completed one at the latest tick of ``deadline_cron`` (in ``timezone``) has been
    materialized or observed."""
    what = "build_time_partition_freshness_checks"
    if not isinstance(deadline_cron, str):
        raise InvalidDefinitionError(
            f"{what}: deadline_cron is required (a cron string such as '0 9 * * *')."
        )
    _check_args(what, deadline_cron, timezone, severity)
    keys = _keys(assets, what)
    params: dict[str, Any] = {"timezone": timezone, "deadline_cron": deadline_cron}

    def evaluate(context: Any, key: AssetKey, now: float) -> Evaluation:
        node = context.job_def.asset_layer.collection.graph.get(key)
        windows = partition_keys_for(node.partitions) if node.partitions is not None else None
        if not isinstance(windows, TimeKeys):
            raise InvalidDefinitionError(
                f"The time partition freshness check of asset {key.to_user_string()!r} needs a time-window "
                f"partitioned asset (DailyPartitionsDefinition, ...); the asset is "
                f"{'not partitioned' if windows is None else windows.kind()}. Use "
                "build_last_update_freshness_checks for it instead."
            )
        deadline = latest_completed_tick(deadline_cron, timezone, now)
        window = windows.windows.last_window(deadline)
        if window is None:
            raise InvalidDefinitionError(
                f"Asset {key.to_user_string()!r} had no completed time partition at the deadline "
                f"{datetime.fromtimestamp(deadline, UTC).isoformat()} of its freshness check: its partitions "
                "start later. Run the check once its first partition is due."
            )
        expected = windows.windows.key_of(window[0])
        arrived = partition_arrived(context.instance, key, expected)
        metadata: dict[str, Any] = {LATEST_CRON_TICK_METADATA_KEY: TimestampMetadataValue(deadline)}
        any_update, any_record = last_update(context.instance, key)
        if arrived:
            metadata[FRESH_UNTIL_METADATA_KEY] = TimestampMetadataValue(
                next_tick(deadline_cron, timezone, now)
            )
            description = (
                f"Asset is currently fresh, since partition {expected} has been observed/materialized."
            )
        else:
            if any_update is not None:
                metadata[LAST_UPDATED_TIMESTAMP_METADATA_KEY] = TimestampMetadataValue(any_update)
            description = (
                f"Asset is overdue. We expected partition {expected} to have arrived, and it has not."
                if any_record
                else f"The asset has never been observed/materialized. We currently expect partition "
                f"{expected} to have arrived."
            )
        return arrived, description, metadata

    return [_multi_check(keys, params, severity, blocking, evaluate)]


__all__ = [
    "FRESH_UNTIL_METADATA_KEY",
    "build_last_update_freshness_checks",
    "build_time_partition_freshness_checks",
    "last_update",
]
