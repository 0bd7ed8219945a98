"""How dbt nodes become asset specs and asset check specs: ``DagsterDbtTranslator`` (override its methods)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.core.metadata import TableColumn, TableSchema
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetDep, AssetSpec
from headwater.integrations.dbt.errors import DagsterDbtError
from headwater.integrations.dbt.manifest import ASSET_RESOURCE_TYPES, DbtManifest

_TAG = re.compile(r"^[A-Za-z0-9_.-]{1,63}$")


@dataclass(frozen=True)
class DagsterDbtTranslatorSettings:
    """Switches of the default translation (Dagster's names)."""

    enable_asset_checks: bool = True
    enable_duplicate_source_asset_keys: bool = False
    enable_code_references: bool = False
    enable_dbt_selection_by_name: bool = False
    enable_source_tests_as_checks: bool = False

    def __post_init__(self) -> None:
        for name in ("enable_code_references", "enable_source_tests_as_checks"):
            if getattr(self, name):
                raise DagsterDbtError(
                    f"DagsterDbtTranslatorSettings({name}=True) is not supported by Headwater yet: leave it "
                    "False (see docs/dagster-differences.md)."
                )


def _dagster_meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``meta: {dagster: {...}}`` of a node, from its config first (where dbt puts it), else its top."""
    for meta in (props.get("config", {}).get("meta"), props.get("meta")):
        if isinstance(meta, Mapping) and isinstance(meta.get("dagster"), Mapping):
            return meta["dagster"]  # type: ignore[no-any-return]
    return {}


class DagsterDbtTranslator:
    """Maps dbt resources (the dicts of manifest.json) to Headwater asset attributes."""

    def __init__(self, settings: DagsterDbtTranslatorSettings | None = None) -> None:
        self._settings = settings or DagsterDbtTranslatorSettings()

    @property
    def settings(self) -> DagsterDbtTranslatorSettings:
        return self._settings

    # --- one attribute each -------------------------------------------------------------
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        """``meta.dagster.asset_key`` if set; a source's ``[source_name, name]``; else ``[schema?, name]``."""
        configured = _dagster_meta(dbt_resource_props).get("asset_key")
        if configured:
            return AssetKey.from_coercible(configured)
        if dbt_resource_props.get("resource_type") == "source":
            return AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        name = str(dbt_resource_props["name"])
        if dbt_resource_props.get("version"):
            return AssetKey([f"{name}_v{dbt_resource_props['version']}"])
        schema = dbt_resource_props.get("config", {}).get("schema")
        return AssetKey([schema, name]) if schema else AssetKey([name])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """``meta.dagster.group``, else the node's dbt group, else the default group."""
        group = _dagster_meta(dbt_resource_props).get("group") or dbt_resource_props.get("config", {}).get(
            "group"
        )
        return str(group) if group else None

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The node's description (or ``dbt model name``) followed by its raw SQL."""
        text = dbt_resource_props.get("description") or (
            f"dbt {dbt_resource_props.get('resource_type')} {dbt_resource_props.get('name')}"
        )
        code = dbt_resource_props.get("raw_code") or dbt_resource_props.get("raw_sql")
        if not code:
            return str(text)
        return f"{text}\n\n#### Raw SQL:\n```sql\n{textwrap.indent(str(code), '    ')}\n```"

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        """The column schema, the relation's name and ``meta.dagster.metadata``."""
        metadata: dict[str, Any] = {}
        columns = dbt_resource_props.get("columns") or {}
        if columns:
            metadata["dagster/column_schema"] = TableSchema(
                columns=[
                    TableColumn(
                        name=str(c.get("name") or name),
                        type=str(c.get("data_type") or "?"),
                        description=c.get("description") or None,
                    )
                    for name, c in columns.items()
                ]
            )
        parts = [dbt_resource_props.get(k) for k in ("database", "schema")]
        identifier = dbt_resource_props.get("alias") or dbt_resource_props.get("identifier")
        if all(parts) and identifier:
            metadata["dagster/relation_identifier"] = ".".join([*map(str, parts), str(identifier)])
        materialized = dbt_resource_props.get("config", {}).get("materialized")
        if materialized:
            metadata["dagster/materialization_type"] = str(materialized)
        metadata.update(_dagster_meta(dbt_resource_props).get("metadata") or {})
        return metadata

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        """The node's dbt tags as asset tags with empty values (those that are valid tag keys)."""
        tags: dict[str, str] = {t: "" for t in dbt_resource_props.get("tags", ()) if _TAG.match(str(t))}
        tags.update(_dagster_meta(dbt_resource_props).get("tags") or {})
        return tags

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str] | None:
        """``meta.dagster.owners``, plus the email of the dbt group's owner."""
        owners = list(_dagster_meta(dbt_resource_props).get("owners") or [])
        group_owner = dbt_resource_props.get("_group_owner")
        if isinstance(group_owner, Mapping) and group_owner.get("email"):
            owners.append(str(group_owner["email"]))
        return list(dict.fromkeys(owners)) or None

    def get_code_version(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The checksum dbt computes over the node's file."""
        checksum = dbt_resource_props.get("checksum", {}).get("checksum")
        return str(checksum) if checksum else None

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> Any:
        return None

    def get_partition_mapping(
        self, dbt_resource_props: Mapping[str, Any], dbt_parent_resource_props: Mapping[str, Any]
    ) -> Any:
        return None

    # --- whole specs --------------------------------------------------------------------
    def get_asset_spec(self, manifest: Any, unique_id: str, project: Any = None) -> AssetSpec:
        """The asset spec of one model, seed or snapshot (built from the methods above)."""
        m = manifest if isinstance(manifest, DbtManifest) else DbtManifest(manifest)
        props = _with_group_owner(m, m.node(unique_id))
        deps: list[AssetDep] = []
        for parent_id in m.parents(unique_id):
            parent = m.nodes.get(parent_id) or m.sources.get(parent_id)
            if parent is None or parent.get("resource_type") not in (*ASSET_RESOURCE_TYPES, "source"):
                continue
            deps.append(
                AssetDep(
                    self.get_asset_key(parent),
                    partition_mapping=self.get_partition_mapping(props, parent),
                )
            )
        kinds = {"dbt"} | ({m.adapter_type} if m.adapter_type else set())
        return AssetSpec(
            key=self.get_asset_key(props),
            deps=deps,
            description=self.get_description(props),
            metadata={**self.get_metadata(props), "dagster_dbt/unique_id": unique_id},
            skippable=True,
            group_name=self.get_group_name(props),
            code_version=self.get_code_version(props),
            automation_condition=self.get_automation_condition(props),
            owners=self.get_owners(props),
            tags=self.get_tags(props),
            kinds=kinds,
        )

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Any, unique_id: str, project: Any = None
    ) -> AssetCheckSpec | None:
        """The check spec of one dbt test on ``asset_spec``'s asset (None when checks are off)."""
        if not self.settings.enable_asset_checks:
            return None
        m = manifest if isinstance(manifest, DbtManifest) else DbtManifest(manifest)
        test = m.node(unique_id)
        others = [
            self.get_asset_key(m.node(p))
            for p in m.parents(unique_id)
            if p != test.get("attached_node") and (p in m.nodes or p in m.sources)
        ]
        return AssetCheckSpec(
            name=str(test["name"]),
            asset=asset_spec.key,
            description=test.get("description") or None,
            additional_deps=[k for k in others if k != asset_spec.key],
            metadata={"dagster_dbt/unique_id": unique_id},
        )


def _with_group_owner(manifest: DbtManifest, props: Mapping[str, Any]) -> Mapping[str, Any]:
    owner = manifest.group_owner(props.get("config", {}).get("group") or props.get("group"))
    return {**props, "_group_owner": owner} if owner else props
