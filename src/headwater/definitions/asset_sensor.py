"""Sensors over the asset event log: ``@asset_sensor`` (one asset's new materialization) and
``@multi_asset_sensor`` (the basics: several assets, a cursor per asset).

Both read the instance the code-location server opened; their cursor is storage ids (as text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.run_request import DefaultSensorStatus
from headwater.definitions.sensor_definition import SensorDefinition, SensorEvaluationContext
from headwater.errors import InvalidDefinitionError


def _call_with_resources(fn: Callable[..., Any], context: Any, *args: Any, skip: int) -> Any:
    import inspect

    names = list(inspect.signature(fn).parameters)[skip:]
    kwargs = {name: context.resources[name] for name in names}
    return fn(context, *args, **kwargs)


class AssetSensorDefinition(SensorDefinition):
    """A sensor called with each new materialization of ``asset_key`` (its cursor: the last storage id)."""

    sensor_type = "asset"

    def __init__(
        self,
        name: str,
        asset_key: Any,
        job_name: str | None,
        asset_materialization_fn: Callable[..., Any],
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        required_resource_keys: set[str] | None = None,
        target: Any = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.asset_key = AssetKey.from_coercible_or_definition(asset_key)
        key = self.asset_key

        def evaluate(context: SensorEvaluationContext) -> Any:
            after = int(context.cursor) if context.cursor else None
            records = context.instance.fetch_materializations(key, limit=1).records
            if not records or (after is not None and records[0].storage_id <= after):
                return None
            record = records[0]
            context.update_cursor(str(record.storage_id))
            return _call_with_resources(asset_materialization_fn, context, record.event_log_entry, skip=2)

        super().__init__(
            name=name,
            evaluation_fn=evaluate,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            target=target,
            tags=tags,
            metadata=metadata,
        )
        self.extra_resource_keys = _resource_names(asset_materialization_fn, skip=2)


def _resource_names(fn: Callable[..., Any], skip: int) -> list[str]:
    import inspect

    return list(inspect.signature(fn).parameters)[skip:]


def asset_sensor(
    asset_key: Any,
    *,
    job_name: str | None = None,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    required_resource_keys: set[str] | None = None,
    target: Any = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], AssetSensorDefinition]:
    """A sensor of ``fn(context, asset_event)``, called when ``asset_key`` has a new materialization."""

    def wrap(fn: Callable[..., Any]) -> AssetSensorDefinition:
        return AssetSensorDefinition(
            name=name or fn.__name__,
            asset_key=asset_key,
            job_name=job_name,
            asset_materialization_fn=fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description or fn.__doc__,
            job=job,
            jobs=jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            target=target,
            tags=tags,
            metadata=metadata,
        )

    return wrap


class MultiAssetSensorEvaluationContext(SensorEvaluationContext):
    """A sensor context over ``monitored_assets``: the latest materialization of each since the cursor,
    and ``advance_all_cursors`` / ``advance_cursor`` to consume them. The cursor is JSON
    ``{asset key: storage id}``."""

    def __init__(self, monitored_assets: Sequence[AssetKey], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.asset_keys = list(monitored_assets)
        raw = json.loads(self.cursor) if self.cursor else {}
        self._positions: dict[str, int] = {str(k): int(v) for k, v in raw.items()}

    def latest_materialization_records_by_key(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> dict[AssetKey, Any]:
        """Each asset's newest materialization after its cursor (None when there is none)."""
        out: dict[AssetKey, Any] = {}
        for key in asset_keys or self.asset_keys:
            records = self.instance.fetch_materializations(key, limit=1).records
            after = self._positions.get(key.to_user_string())
            fresh = records and (after is None or records[0].storage_id > after)
            out[key] = records[0] if fresh else None
        return out

    def materialization_records_for_key(self, asset_key: AssetKey, limit: int | None = None) -> list[Any]:
        """The asset's materializations after its cursor, oldest first."""
        after = self._positions.get(asset_key.to_user_string())
        records = self.instance.fetch_materializations(asset_key, limit=None, ascending=True).records
        found = [r for r in records if after is None or r.storage_id > after]
        return found[:limit] if limit is not None else found

    def advance_cursor(self, materialization_records_by_key: Mapping[AssetKey, Any]) -> None:
        for key, record in materialization_records_by_key.items():
            if record is not None:
                self._positions[AssetKey.from_coercible(key).to_user_string()] = int(record.storage_id)
        self.update_cursor(json.dumps(self._positions, sort_keys=True))

    def advance_all_cursors(self) -> None:
        """Consume every monitored asset's materializations so far."""
        latest = {
            key: (self.instance.fetch_materializations(key, limit=1).records or [None])[0]
            for key in self.asset_keys
        }
        self.advance_cursor(latest)


class MultiAssetSensorDefinition(SensorDefinition):
    sensor_type = "multi_asset"

    def __init__(
        self, name: str, monitored_assets: Sequence[Any], fn: Callable[..., Any], **kwargs: Any
    ) -> None:
        if not monitored_assets:
            raise InvalidDefinitionError(f"Multi-asset sensor '{name}' needs monitored_assets.")
        self.monitored_assets = [AssetKey.from_coercible_or_definition(k) for k in monitored_assets]
        keys = self.monitored_assets

        def evaluate(context: SensorEvaluationContext) -> Any:
            multi = MultiAssetSensorEvaluationContext(
                keys,
                instance=context.instance,
                cursor=context.cursor,
                sensor_name=context.sensor_name,
                resources=context.resources,
                last_tick_completion_time=context.last_tick_completion_time,
                last_run_key=context.last_run_key,
            )
            result = _call_with_resources(fn, multi, skip=1)
            if multi.cursor_updated:
                context.update_cursor(multi.cursor)
            return list(result) if hasattr(result, "__next__") else result

        super().__init__(name=name, evaluation_fn=evaluate, **kwargs)
        self.extra_resource_keys = _resource_names(fn, skip=1)


def multi_asset_sensor(
    monitored_assets: Sequence[Any],
    *,
    name: str | None = None,
    **kwargs: Any,
) -> Callable[[Callable[..., Any]], MultiAssetSensorDefinition]:
    """A sensor of ``fn(context)`` over several assets (``MultiAssetSensorEvaluationContext``)."""

    def wrap(fn: Callable[..., Any]) -> MultiAssetSensorDefinition:
        kwargs.setdefault("description", fn.__doc__)
        return MultiAssetSensorDefinition(name or fn.__name__, monitored_assets, fn, **kwargs)

    return wrap


__all__ = [
    "AssetSensorDefinition",
    "MultiAssetSensorDefinition",
    "MultiAssetSensorEvaluationContext",
    "asset_sensor",
    "multi_asset_sensor",
]
