"""Nothing inputs, optional outputs, a persistent instance, and reading runs back from it."""

import tempfile

import dagster as dg
from _report import show_run


@dg.op
def create_table() -> None:
    return None


@dg.op(ins={"ready": dg.In(dg.Nothing)})
def fill_table() -> int:
    return 10


@dg.op(out={"always": dg.Out(int), "sometimes": dg.Out(int, is_required=False)})
def branch(context: dg.OpExecutionContext, n: int):
    yield dg.Output(n, "always")
    if n > 100:
        yield dg.Output(n, "sometimes")


@dg.op
def only_if_big(x: int) -> str:
    return "big"


@dg.op
def always_runs(x: int) -> str:
    return "ran"


@dg.job
def nothing_job():
    always, sometimes = branch(fill_table(ready=create_table()))
    only_if_big(sometimes)
    always_runs(always)


with tempfile.TemporaryDirectory() as tmp:
    instance = dg.DagsterInstance.local_temp(tmp)
    result = nothing_job.execute_in_process(instance=instance, tags={"team": "data"})
    show_run("nothing", result)
    print("skipped only_if_big:", result.is_node_skipped("only_if_big"))
    print("always_runs =", result.output_for_node("always_runs"))

    run = instance.get_run_by_id(result.run_id)
    print(
        "stored run:",
        run.job_name,
        run.status.value,
        run.tags.get("team"),
        run.status == dg.DagsterRunStatus.SUCCESS,
    )
    records = instance.get_run_records(filters=dg.RunsFilter(job_name="nothing_job"))
    print("run records:", len(records))
    events = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
    print("STEP_SUCCESS events stored:", sorted(e.step_key for e in events))

    @dg.asset
    def stored() -> int:
        return 4

    dg.materialize([stored], instance=instance)
    dg.materialize([stored], instance=instance)
    latest = instance.get_latest_materialization_event(dg.AssetKey("stored"))
    print("latest materialization of stored:", latest.asset_materialization.asset_key.to_user_string())
    mats = instance.fetch_materializations(dg.AssetKey("stored"), limit=10)
    print("materialization count:", len(mats.records))
    print("run count:", instance.get_runs_count())
    failed = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE]))
    print("failed runs:", len(failed))
    instance.dispose()
