"""Checks built from table metadata: ``build_metadata_bounds_checks`` (a numeric metadata value within
bounds) and ``build_column_schema_change_checks`` (the column schema unchanged since the previous
materialization). Both read the asset's stored materializations, as Dagster's do."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckSeverity
from headwater.core.asset_key import AssetKey
from headwater.core.table_metadata import PREFIXES, TableMetadata, TableSchemaDiff, well_known
from headwater.definitions.asset_check import AssetChecksDefinition, multi_asset_check
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.results import AssetCheckResult
from headwater.errors import InvalidDefinitionError

CheckFn = Callable[[Any, AssetCheckKey], tuple[bool, str]]


def asset_keys_of(assets: Sequence[Any]) -> list[AssetKey]:
    """The keys of ``assets``: asset definitions (each of their keys), specs, source assets or keys."""
    keys: list[AssetKey] = []
    for asset in assets:
        if isinstance(asset, AssetsDefinition):
            keys.extend(sorted(asset.keys, key=lambda k: k.path))
        elif hasattr(asset, "key") and isinstance(asset.key, AssetKey):
            keys.append(asset.key)
        else:
            keys.append(AssetKey.from_coercible(asset))
    return keys


def _lookup(metadata: Mapping[str, Any], key: str) -> Any:
    """``metadata[key]``; a well-known key is found under either prefix (``dagster/``, ``headwater/``)."""
    if key in metadata:
        return metadata[key]
    for prefix in PREFIXES:
        if key.startswith(prefix):
            return well_known(metadata, key[len(prefix) :])
    return None


def _unique_id(keys: Sequence[AssetCheckKey]) -> str:
    """Dagster's op name suffix for generated checks: md5 of the sorted keys' reprs, 8 characters."""
    reprs = sorted(
        f"AssetCheckKey(asset_key=AssetKey({list(k.asset_key.path)!r}), name={k.name!r})" for k in keys
    )
    return hashlib.md5(json.dumps(reprs).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]


def _build(
    specs: list[AssetCheckSpec], check_fn: CheckFn, severity: AssetCheckSeverity
) -> list[AssetChecksDefinition]:
    @multi_asset_check(specs=specs, can_subset=True, name=f"asset_check_{_unique_id([s.key for s in specs])}")
    def _checks(context: Any) -> Iterator[AssetCheckResult]:
        for key in sorted(context.selected_asset_check_keys, key=lambda k: (k.asset_key.path, k.name)):
            passed, description = check_fn(context.instance, key)
            yield AssetCheckResult(
                passed=passed,
                description=description,
                severity=severity,
                check_name=key.name,
                asset_key=key.asset_key,
            )

    return [_checks]


def build_metadata_bounds_checks(
    *,
    assets: Sequence[Any],
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    metadata_key: str,
    min_value: float | None = None,
    max_value: float | None = None,
    exclusive_min: bool = False,
    exclusive_max: bool = False,
) -> Sequence[AssetChecksDefinition]:
    """Checks that the latest materialization of each asset has ``metadata_key`` within the bounds."""
    if min_value is None and max_value is None:
        raise InvalidDefinitionError("At least one of `min_value` or `max_value` must be set")
    if min_value is not None and max_value is not None and min_value > max_value:
        raise InvalidDefinitionError("`min_value` may not be greater than `max_value`")
    description = f"Checks that the latest materialization has metadata value `{metadata_key}`"
    if min_value is not None:
        description += f" greater than {'' if exclusive_min else 'or equal to '}{min_value}"
    if max_value is not None:
        and_ = "and " if min_value is not None else ""
        description += f" {and_}less than {'' if exclusive_max else 'or equal to '}{max_value}"

    def check(instance: Any, key: AssetCheckKey) -> tuple[bool, str]:
        event = instance.get_latest_materialization_event(key.asset_key)
        if event is None:
            return False, "Asset has not been materialized"
        entry = _lookup(event.asset_materialization.metadata, metadata_key)
        if entry is None:
            return False, f"Metadata key `{metadata_key}` not found"
        value = entry.value
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False, f"Value `{value}` is not a number"
        if min_value is not None and (value <= min_value if exclusive_min else value < min_value):
            return False, f"Value `{value}` is less than {'or equal to ' if exclusive_min else ''}{min_value}"
        if max_value is not None and (value >= max_value if exclusive_max else value > max_value):
            return (
                False,
                f"Value `{value}` is greater than {'or equal to ' if exclusive_max else ''}{max_value}",
            )
        return True, f"Value `{value}` is within range"

    name = f"{re.sub(r'[^A-Za-z0-9_]', '_', metadata_key)}_bounds_check"
    specs = [AssetCheckSpec(name, asset=k, description=description) for k in asset_keys_of(assets)]
    return _build(specs, check, severity)


def build_column_schema_change_checks(
    *, assets: Sequence[Any], severity: AssetCheckSeverity = AssetCheckSeverity.WARN
) -> Sequence[AssetChecksDefinition]:
    """Checks that each asset's column schema (``dagster/column_schema`` or ``headwater/column_schema``)
    is the same in its latest materialization as in the one before."""

    def check(instance: Any, key: AssetCheckKey) -> tuple[bool, str]:
        records = instance.fetch_materializations(key.asset_key, limit=2).records
        if len(records) < 2:
            return True, "The asset has been materialized fewer than 2 times"
        latest, previous = (TableMetadata.extract(r.asset_materialization.metadata) for r in records)
        if latest.column_schema is None:
            return False, "Latest materialization has no column schema metadata"
        if previous.column_schema is None:
            return False, "Previous materialization has no column schema metadata"
        diff = TableSchemaDiff.between(previous.column_schema, latest.column_schema)
        if diff.changed:
            return False, diff.describe()
        return True, "No changes to column schema between previous and latest materialization"

    # sic: Dagster's description has two spaces
    description = (
        "Checks whether there are changes to column schema between the asset's  two most recent "
        "materializations"
    )
    specs = [
        AssetCheckSpec("column_schema_change", asset=k, description=description)
        for k in sorted(set(asset_keys_of(assets)), key=lambda k: k.path)
    ]
    return _build(specs, check, severity)
