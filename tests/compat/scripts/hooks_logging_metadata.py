"""Hooks, get_dagster_logger, context.log, metadata on outputs and materializations."""

import dagster as dg
from _report import show_run

CALLS: list[str] = []


@dg.success_hook
def on_ok(context: dg.HookContext) -> None:
    CALLS.append(f"ok {context.op.name}")


@dg.failure_hook
def on_fail(context: dg.HookContext) -> None:
    CALLS.append(f"fail {context.op.name}")


@dg.op
def good(context: dg.OpExecutionContext) -> int:
    context.log.info("good ran")
    dg.get_dagster_logger().info("via get_dagster_logger")
    return 1


@dg.op
def bad(x: int) -> int:
    raise RuntimeError("nope")


@dg.job(hooks={on_ok, on_fail})
def hooked():
    bad(good())


r = hooked.execute_in_process(raise_on_error=False)
show_run("hooked", r)
print("hook calls:", sorted(CALLS))


@dg.op
def reports(context: dg.OpExecutionContext):
    yield dg.AssetMaterialization(
        asset_key="external_table",
        description="written by an op",
        metadata={
            "rows": dg.MetadataValue.int(42),
            "path": dg.MetadataValue.path("/data/t.parquet"),
            "url": dg.MetadataValue.url("https://example.com"),
            "note": "plain text",
            "ratio": 0.5,
            "schema": dg.TableSchema(columns=[dg.TableColumn("id", "int"), dg.TableColumn("name", "string")]),
        },
    )
    yield dg.ExpectationResult(success=True, label="non_empty")
    yield dg.Output(5, metadata={"size": 5, "desc": dg.MetadataValue.md("**five**")})


@dg.job
def reporting():
    reports()


r2 = reporting.execute_in_process()
show_run("reporting", r2)
[mat] = r2.asset_materializations_for_node("reports")
print("materialization key:", mat.asset_key.to_user_string(), "description:", mat.description)
for name in sorted(mat.metadata):
    value = mat.metadata[name]
    shown = [c.name for c in value.value.columns] if name == "schema" else value.value
    print(f"  {name}: {type(value).__name__} {shown}")
outputs = [e for e in r2.all_events if e.event_type_value == "STEP_OUTPUT"]
out_meta = outputs[0].step_output_data.metadata
print("output metadata:", sorted((k, type(v).__name__, v.value) for k, v in out_meta.items()))


@dg.asset
def with_result(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"count": 3, "label": dg.MetadataValue.text("three")})


@dg.asset
def tagged(context: dg.AssetExecutionContext) -> int:
    context.add_output_metadata({"computed": True})
    return 9


r3 = dg.materialize([with_result, tagged])
show_run("asset metadata", r3)
for event in sorted(r3.get_asset_materialization_events(), key=lambda e: e.asset_key.to_user_string()):
    md = event.materialization.metadata
    # the filesystem IO manager's "path" entry holds a temporary directory: print its type only
    facts = sorted((k, type(v).__name__, v.value if k != "path" else "...") for k, v in md.items())
    print(" ", event.asset_key.to_user_string(), facts)
