"""Pipes: an asset runs an external script (written against dagster_pipes) with PipesSubprocessClient;
the script's materialization (with metadata), check result, log lines and custom message come back."""

import os
import sys

import dagster as dg
from _report import show_run

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_pipes_child.py")


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="ext")])
def ext(context: dg.AssetExecutionContext, pipes_subprocess_client: dg.PipesSubprocessClient):
    invocation = pipes_subprocess_client.run(
        command=[sys.executable, CHILD], context=context, extras={"n": 3}
    )
    print("custom messages", list(invocation.get_custom_messages()))
    return invocation.get_results()


@dg.asset
def failing(context: dg.AssetExecutionContext, pipes_subprocess_client: dg.PipesSubprocessClient):
    return pipes_subprocess_client.run(
        command=[sys.executable, CHILD, "fail"], context=context, extras={"n": 1}
    ).get_materialize_result()


if __name__ == "__main__":
    resources = {"pipes_subprocess_client": dg.PipesSubprocessClient()}
    with dg.instance_for_test() as instance:
        result = dg.materialize([ext], resources=resources, instance=instance)
        show_run("pipes", result)
        mat = result.get_asset_materialization_events()[0].materialization
        print("metadata", sorted((k, type(v).__name__, v.value) for k, v in mat.metadata.items()))
        print("data version", (mat.tags or {}).get("dagster/data_version"))
        check = result.get_asset_check_evaluations()[0]
        print("check", check.check_name, check.passed, check.metadata["n"].value, check.severity)
        logs = [
            (e.level, e.user_message) for e in instance.all_logs(result.run_id) if e.dagster_event is None
        ]
        for level, message in logs:
            print("log", level, message)
        failed = dg.materialize([failing], resources=resources, instance=instance, raise_on_error=False)
        show_run("failing child", failed)
