"""``dagster_dbt`` under Headwater: ``from headwater.compat.dagster_dbt import dbt_assets, DbtCliResource``
(Dagster's ``from dagster_dbt import ...``). In user code loaded by Headwater (``install_dagster_aliases``),
``import dagster_dbt`` gives this module."""

from __future__ import annotations

from headwater.integrations.dbt import (
    DagsterDbtError as DagsterDbtError,
)
from headwater.integrations.dbt import (
    DagsterDbtManifestNotFoundError as DagsterDbtManifestNotFoundError,
)
from headwater.integrations.dbt import (
    DagsterDbtTranslator as DagsterDbtTranslator,
)
from headwater.integrations.dbt import (
    DagsterDbtTranslatorSettings as DagsterDbtTranslatorSettings,
)
from headwater.integrations.dbt import (
    DbtCliEventMessage as DbtCliEventMessage,
)
from headwater.integrations.dbt import (
    DbtCliInvocation as DbtCliInvocation,
)
from headwater.integrations.dbt import (
    DbtCliResource as DbtCliResource,
)
from headwater.integrations.dbt import (
    DbtCliRuntimeError as DbtCliRuntimeError,
)
from headwater.integrations.dbt import (
    DbtManifest as DbtManifest,
)
from headwater.integrations.dbt import (
    DbtProject as DbtProject,
)
from headwater.integrations.dbt import (
    build_dbt_asset_selection as build_dbt_asset_selection,
)
from headwater.integrations.dbt import (
    build_schedule_from_dbt_selection as build_schedule_from_dbt_selection,
)
from headwater.integrations.dbt import (
    dbt_assets as dbt_assets,
)
from headwater.integrations.dbt import (
    get_asset_key_for_model as get_asset_key_for_model,
)
from headwater.integrations.dbt import (
    get_asset_key_for_source as get_asset_key_for_source,
)
from headwater.integrations.dbt import (
    get_asset_keys_by_output_name_for_source as get_asset_keys_by_output_name_for_source,
)
from headwater.integrations.dbt import (
    load_manifest as load_manifest,
)

__all__ = [
    "DagsterDbtError",
    "DagsterDbtManifestNotFoundError",
    "DagsterDbtTranslator",
    "DagsterDbtTranslatorSettings",
    "DbtCliEventMessage",
    "DbtCliInvocation",
    "DbtCliResource",
    "DbtCliRuntimeError",
    "DbtManifest",
    "DbtProject",
    "build_dbt_asset_selection",
    "build_schedule_from_dbt_selection",
    "dbt_assets",
    "get_asset_key_for_model",
    "get_asset_key_for_source",
    "get_asset_keys_by_output_name_for_source",
    "load_manifest",
]
