"""Versions recorded on materializations: the code version (the asset's, else the run id), a data
version the asset reports, and DagsterInstance.get_latest_materialization_code_versions."""

import dagster as dg


@dg.asset(code_version="v1")
def versioned() -> int:
    return 1


@dg.asset
def unversioned(versioned: int) -> int:
    return versioned


@dg.asset
def reports_version() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("dv-1"), tags={"mine": "x"})


@dg.asset(code_version="v2")
def output_version():
    return dg.Output(1, data_version=dg.DataVersion("dv-2"))


def version_tags(instance, result, name):
    tags = dict(instance.get_latest_materialization_event(dg.AssetKey(name)).asset_materialization.tags)
    code_version = tags.get("dagster/code_version")
    shown = {
        k: v
        for k, v in sorted(tags.items())
        # not compared: the data version Dagster computes when the asset reports none, and the input
        # provenance tags
        if not k.startswith("dagster/input_")
        and (k != "dagster/data_version" or "dagster/data_version_is_user_provided" in tags)
    }
    shown["dagster/code_version"] = "<the run id>" if code_version == result.run_id else code_version
    return shown


instance = dg.DagsterInstance.ephemeral()
keys = [dg.AssetKey(n) for n in ("versioned", "unversioned", "reports_version", "never")]
print("before:", instance.get_latest_materialization_code_versions(keys))
result = dg.materialize([versioned, unversioned, reports_version, output_version], instance=instance)
for name in ("versioned", "unversioned", "reports_version", "output_version"):
    print(name, version_tags(instance, result, name))
versions = instance.get_latest_materialization_code_versions(keys)
print(
    "after:", {k.to_user_string(): ("<the run id>" if v == result.run_id else v) for k, v in versions.items()}
)
instance.report_runless_asset_event(dg.AssetMaterialization("versioned"))
print(
    "after a runless materialization:",
    instance.get_latest_materialization_code_versions([dg.AssetKey("versioned")]),
)
print("DataVersion:", dg.DataVersion("x").value, dg.DataVersion("x") == dg.DataVersion("x"))
