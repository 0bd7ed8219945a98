"""Definitions with define_asset_job and AssetSelection (objects and selection strings)."""

import dagster as dg
from _report import show_run


@dg.asset(group_name="ingest", tags={"layer": "bronze"})
def raw_a() -> int:
    return 1


@dg.asset(group_name="ingest", tags={"layer": "bronze"})
def raw_b() -> int:
    return 2


@dg.asset(group_name="model", kinds={"python"})
def joined(raw_a: int, raw_b: int) -> int:
    return raw_a + raw_b


@dg.asset(group_name="model")
def scored(joined: int) -> int:
    return joined * 10


@dg.asset(group_name="report", owners=["team:analytics"])
def report(scored: int) -> str:
    return f"score={scored}"


jobs = [
    dg.define_asset_job("everything", selection=dg.AssetSelection.all()),
    dg.define_asset_job("ingest_only", selection=dg.AssetSelection.groups("ingest")),
    dg.define_asset_job("to_scored", selection=dg.AssetSelection.assets("scored").upstream()),
    dg.define_asset_job("from_joined", selection="key:joined+"),
    dg.define_asset_job("bronze", selection="tag:layer=bronze"),
    dg.define_asset_job("model_or_report", selection='group:model or key:"report"'),
    dg.define_asset_job(
        "all_but_report", selection=dg.AssetSelection.all() - dg.AssetSelection.assets(report)
    ),
    dg.define_asset_job("report_parents", selection="+key:report and not key:report"),
]
defs = dg.Definitions(assets=[raw_a, raw_b, joined, scored, report], jobs=jobs)

instance = dg.DagsterInstance.ephemeral()
for job_def in jobs:
    resolved = defs.get_job_def(job_def.name)
    result = resolved.execute_in_process(instance=instance)
    mats = sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events())
    print(f"{job_def.name}: success={result.success} materialized={mats}")

everything = defs.get_job_def("everything").execute_in_process(instance=instance)
show_run("everything", everything)
print("report =", everything.output_for_node("report"))

print("asset keys:", sorted(k.to_user_string() for k in defs.resolve_all_asset_keys()))
graph = defs.resolve_asset_graph()
sel = dg.AssetSelection.groups("model").downstream()
print("model downstream:", sorted(k.to_user_string() for k in sel.resolve(graph)))
sel = dg.AssetSelection.from_string("+key:scored")
print("+scored:", sorted(k.to_user_string() for k in sel.resolve(graph)))
sel = dg.AssetSelection.assets("joined").upstream(depth=1) | dg.AssetSelection.tag("layer", "bronze")
print("joined 1 up or bronze:", sorted(k.to_user_string() for k in sel.resolve(graph)))
print(
    "kind python:",
    sorted(k.to_user_string() for k in dg.AssetSelection.from_string("kind:python").resolve(graph)),
)
print("report spec owners:", defs.get_assets_def("report").specs_by_key[dg.AssetKey("report")].owners)
