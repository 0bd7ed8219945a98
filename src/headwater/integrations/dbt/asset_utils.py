"""Looking up the asset keys of dbt nodes, and building selections and schedules from dbt selections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_job import define_asset_job
from headwater.definitions.run_request import DefaultScheduleStatus
from headwater.definitions.schedule_definition import ScheduleDefinition
from headwater.errors import InvalidDefinitionError
from headwater.integrations.dbt.asset_decorator import DbtAssetsInfo, dbt_assets_info
from headwater.integrations.dbt.selection import select_unique_ids
from headwater.selection.asset_selection import AssetSelection


def _infos(dbt_assets: Sequence[Any]) -> list[DbtAssetsInfo]:
    infos = [dbt_assets_info(getattr(a, "op", None)) for a in dbt_assets]
    found = [i for i in infos if i is not None]
    if len(found) != len(infos):
        raise InvalidDefinitionError("Pass the definitions made by @dbt_assets (a list of them).")
    return found


def get_asset_key_for_model(dbt_assets: Sequence[Any], model_name: str) -> AssetKey:
    """The asset key of the dbt model named ``model_name`` among ``dbt_assets``."""
    for info in _infos(dbt_assets):
        for uid, key in info.key_by_unique_id.items():
            node = info.manifest.nodes[uid]
            if node.get("resource_type") == "model" and node.get("name") == model_name:
                return key
    raise KeyError(f"No dbt model named {model_name!r} among the given @dbt_assets definitions.")


def get_asset_keys_by_output_name_for_source(
    dbt_assets: Sequence[Any], source_name: str
) -> dict[str, AssetKey]:
    """Table name → asset key, for each table of the dbt source ``source_name``."""
    keys: dict[str, AssetKey] = {}
    for info in _infos(dbt_assets):
        for source in info.manifest.sources.values():
            if source.get("source_name") == source_name:
                keys[str(source["name"])] = info.translator.get_asset_key(source)
    if not keys:
        raise KeyError(f"No dbt source named {source_name!r} in the manifest of the given @dbt_assets.")
    return keys


def get_asset_key_for_source(dbt_assets: Sequence[Any], source_name: str) -> AssetKey:
    """The asset key of the dbt source ``source_name`` (a source with one table)."""
    keys = set(get_asset_keys_by_output_name_for_source(dbt_assets, source_name).values())
    if len(keys) != 1:
        raise KeyError(
            f"The dbt source {source_name!r} has several tables ({len(keys)} asset keys): use "
            "get_asset_keys_by_output_name_for_source instead."
        )
    return next(iter(keys))


def build_dbt_asset_selection(
    dbt_assets: Sequence[Any], dbt_select: str = "fqn:*", dbt_exclude: str | None = None
) -> AssetSelection:
    """The assets (and their checks) of ``dbt_assets`` that a dbt selection picks."""
    keys: list[AssetKey] = []
    for info in _infos(dbt_assets):
        chosen = select_unique_ids(info.manifest, dbt_select, dbt_exclude)
        keys += [k for uid, k in info.key_by_unique_id.items() if uid in chosen]
    return AssetSelection.assets(*keys)


def build_schedule_from_dbt_selection(
    dbt_assets: Sequence[Any],
    job_name: str,
    cron_schedule: str,
    dbt_select: str = "fqn:*",
    dbt_exclude: str | None = None,
    schedule_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    config: Any = None,
    execution_timezone: str | None = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
) -> ScheduleDefinition:
    """A schedule of a job that runs the dbt nodes ``dbt_select``/``dbt_exclude`` pick."""
    return ScheduleDefinition(
        name=schedule_name,
        cron_schedule=cron_schedule,
        job=define_asset_job(
            name=job_name,
            selection=build_dbt_asset_selection(dbt_assets, dbt_select, dbt_exclude),
            config=config,
            tags=tags,
        ),
        execution_timezone=execution_timezone,
        default_status=default_status,
    )
