"""dbt models, seeds and snapshots as Headwater assets, dbt tests as asset checks (Dagster's ``dagster_dbt``).

Headwater runs dbt as a program (``dbt build --log-format json``) and never imports dbt itself, so this
package loads without dbt installed; running dbt needs it (``pip install 'headwater[dbt]'``).
"""

from __future__ import annotations

from headwater.integrations.dbt.asset_decorator import dbt_assets
from headwater.integrations.dbt.asset_utils import (
    build_dbt_asset_selection,
    build_schedule_from_dbt_selection,
    get_asset_key_for_model,
    get_asset_key_for_source,
    get_asset_keys_by_output_name_for_source,
)
from headwater.integrations.dbt.cli_event import DbtCliEventMessage
from headwater.integrations.dbt.cli_invocation import DbtCliInvocation
from headwater.integrations.dbt.cli_resource import DbtCliResource
from headwater.integrations.dbt.errors import (
    DagsterDbtError,
    DagsterDbtManifestNotFoundError,
    DbtCliRuntimeError,
)
from headwater.integrations.dbt.manifest import DbtManifest, load_manifest
from headwater.integrations.dbt.project import DbtProject
from headwater.integrations.dbt.translator import DagsterDbtTranslator, DagsterDbtTranslatorSettings

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
