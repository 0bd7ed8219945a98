"""``@dbt_assets``: every selected model, seed and snapshot of a dbt project as one multi-asset."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetSpec
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.multi_asset import multi_asset
from headwater.definitions.op import OpDefinition
from headwater.errors import InvalidDefinitionError
from headwater.integrations.dbt.manifest import ASSET_RESOURCE_TYPES, DbtManifest, coerce_manifest
from headwater.integrations.dbt.selection import select_unique_ids
from headwater.integrations.dbt.translator import DagsterDbtTranslator


@dataclass
class DbtAssetsInfo:
    """What a dbt multi-asset knows at run time: its manifest, translator, selection and key maps."""

    manifest: DbtManifest
    translator: DagsterDbtTranslator
    select: str
    exclude: str | None
    project: Any
    key_by_unique_id: dict[str, AssetKey] = field(default_factory=dict)
    check_by_unique_id: dict[str, AssetCheckKey] = field(default_factory=dict)
    output_by_key: dict[AssetKey, str] = field(default_factory=dict)

    @property
    def unique_id_by_key(self) -> dict[AssetKey, str]:
        return {k: uid for uid, k in self.key_by_unique_id.items()}

    @property
    def unique_id_by_check(self) -> dict[AssetCheckKey, str]:
        return {k: uid for uid, k in self.check_by_unique_id.items()}


_INFOS: weakref.WeakKeyDictionary[OpDefinition, DbtAssetsInfo] = weakref.WeakKeyDictionary()


def dbt_assets_info(op_def: Any) -> DbtAssetsInfo | None:
    """The dbt information of an op built by ``@dbt_assets`` (None for any other op)."""
    try:
        return _INFOS.get(op_def)
    except TypeError:
        return None


def _attached_asset(manifest: DbtManifest, test: Mapping[str, Any], selected: set[str]) -> str | None:
    attached = test.get("attached_node")
    if attached:
        return str(attached) if attached in selected else None
    parents = [p for p in manifest.parents(str(test["unique_id"])) if p in selected]
    return parents[0] if len(parents) == 1 else None


def build_dbt_specs(
    manifest: DbtManifest,
    translator: DagsterDbtTranslator,
    select: str,
    exclude: str | None,
    project: Any = None,
) -> tuple[list[AssetSpec], list[AssetCheckSpec], DbtAssetsInfo]:
    """The asset specs and check specs of the selected dbt nodes, and the maps between them."""
    chosen = select_unique_ids(manifest, select, exclude)
    info = DbtAssetsInfo(manifest, translator, select, exclude, project)
    specs: list[AssetSpec] = []
    spec_by_uid: dict[str, AssetSpec] = {}
    uid_by_key: dict[AssetKey, str] = {}
    for node in manifest.asset_nodes():
        uid = str(node["unique_id"])
        if uid not in chosen:
            continue
        spec = translator.get_asset_spec(manifest, uid, project)
        if spec.key in uid_by_key:
            raise InvalidDefinitionError(
                f"dbt nodes {uid_by_key[spec.key]} and {uid} map to the same asset key "
                f"{spec.key.to_user_string()}: give one of them another key (meta.dagster.asset_key, or "
                "DagsterDbtTranslator.get_asset_key)."
            )
        info.key_by_unique_id[uid] = spec.key
        uid_by_key[spec.key] = uid
        spec_by_uid[uid] = spec
        specs.append(spec)
    check_specs: list[AssetCheckSpec] = []
    if translator.settings.enable_asset_checks:
        selected = set(spec_by_uid)
        for test in manifest.test_nodes():
            target = _attached_asset(manifest, test, selected)
            if target is None:
                continue
            check = translator.get_asset_check_spec(
                spec_by_uid[target], manifest, str(test["unique_id"]), project
            )
            if check is None:
                continue
            info.check_by_unique_id[str(test["unique_id"])] = check.key
            check_specs.append(check)
    return specs, check_specs, info


def dbt_assets(
    *,
    manifest: Any,
    select: str = "fqn:*",
    exclude: str | None = None,
    selector: str | None = None,
    name: str | None = None,
    io_manager_key: str | None = None,
    partitions_def: Any = None,
    dagster_dbt_translator: DagsterDbtTranslator | None = None,
    backfill_policy: Any = None,
    op_tags: Mapping[str, Any] | None = None,
    required_resource_keys: set[str] | None = None,
    project: Any = None,
    retry_policy: Any = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Turn the selected models, seeds and snapshots of a dbt project into assets, its tests into checks.

    The decorated function runs dbt, usually ``yield from dbt.cli(["build"], context=context).stream()``.
    """
    if selector is not None:
        raise InvalidDefinitionError(
            "@dbt_assets(selector=...) (dbt's YAML selectors) is not supported by Headwater: pass the "
            "selection as select=... and exclude=... instead."
        )
    parsed = coerce_manifest(manifest)
    translator = dagster_dbt_translator or DagsterDbtTranslator()
    specs, check_specs, info = build_dbt_specs(parsed, translator, select, exclude, project)
    if not specs:
        raise InvalidDefinitionError(
            f"@dbt_assets selects no model, seed or snapshot of the dbt project {parsed.project_name!r} "
            f"(select={select!r}, exclude={exclude!r}). Check the selection against `dbt ls`."
        )
    if io_manager_key is not None:
        specs = [s.with_io_manager_key(io_manager_key) for s in specs]
    tags: dict[str, Any] = {**(op_tags or {}), "kind": "dbt", "dagster_dbt/select": select}
    if exclude:
        tags["dagster_dbt/exclude"] = exclude

    def decorate(fn: Callable[..., Any]) -> AssetsDefinition:
        assets_def = multi_asset(
            specs=specs,
            check_specs=check_specs,
            name=name or fn.__name__,
            partitions_def=partitions_def,
            backfill_policy=backfill_policy,
            op_tags=tags,
            required_resource_keys=required_resource_keys,
            can_subset=True,
            retry_policy=retry_policy,
            pool=pool,
        )(fn)
        info.output_by_key = {k: n for n, k in assets_def.keys_by_output_name.items()}
        _INFOS[assets_def.op] = info
        return assets_def

    return decorate


def selected_unique_ids(
    info: DbtAssetsInfo, keys: Sequence[AssetKey], checks: Sequence[AssetCheckKey]
) -> list[str]:
    """The unique ids of the selected assets and checks, in manifest order."""
    by_key, by_check = info.unique_id_by_key, info.unique_id_by_check
    wanted = {by_key[k] for k in keys if k in by_key} | {by_check[c] for c in checks if c in by_check}
    return [uid for uid in info.manifest.nodes if uid in wanted]


__all__ = ["ASSET_RESOURCE_TYPES", "DbtAssetsInfo", "build_dbt_specs", "dbt_assets", "dbt_assets_info"]
