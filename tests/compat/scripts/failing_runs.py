"""Failing runs with raise_on_error=False: success flags, failed and skipped steps, retries, Failure."""

import dagster as dg
from _report import error_names, show_run


@dg.op
def start() -> int:
    return 1


@dg.op
def explode(x: int) -> int:
    raise ValueError(f"bad value {x}")


@dg.op
def after(x: int) -> int:
    return x + 1


@dg.op
def independent() -> str:
    return "ok"


@dg.job
def failing():
    after(explode(start()))
    independent()


result = failing.execute_in_process(raise_on_error=False)
show_run("failing", result)
print("failed steps:", sorted(result.get_failed_step_keys()))
print("independent =", result.output_for_node("independent"))
failure = result.get_step_failure_events()[0]
# the stored error is the framework's wrapper (DagsterExecutionStepExecutionError); its cause is the user's
error = failure.step_failure_data.error
print("failure step:", failure.step_key, "error:", error.cls_name, "user error:", error.cause.cls_name)
print("is_node_failed(explode):", result.is_node_failed("explode"))
print("is_node_success(start):", result.is_node_success("start"))

try:
    failing.execute_in_process()
except Exception as exc:
    print("raise_on_error=True ->", error_names(exc), "| cause:", type(exc.__cause__).__name__)


@dg.op
def declared_failure() -> None:
    raise dg.Failure(description="upstream file missing", metadata={"path": "/tmp/x.csv"})


@dg.job
def with_failure():
    declared_failure()


r2 = with_failure.execute_in_process(raise_on_error=False)
show_run("Failure", r2)
data = r2.get_step_failure_events()[0].step_failure_data
print("user_failure_data description:", data.user_failure_data.description)
print("user_failure_data path:", data.user_failure_data.metadata["path"].value)

attempts = {"n": 0}


@dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
def flaky() -> int:
    attempts["n"] += 1
    if attempts["n"] < 3:
        raise RuntimeError("transient")
    return attempts["n"]


@dg.job
def retrying():
    flaky()


r3 = retrying.execute_in_process()
show_run("retry policy", r3)
print("flaky =", r3.output_for_node("flaky"))


@dg.op
def asks_for_retry(context: dg.OpExecutionContext) -> int:
    if context.retry_number < 1:
        raise dg.RetryRequested(max_retries=1)
    return context.retry_number


@dg.job
def requested():
    asks_for_retry()


r4 = requested.execute_in_process()
show_run("retry requested", r4)
print("asks_for_retry =", r4.output_for_node("asks_for_retry"))


@dg.asset
def broken_asset() -> int:
    return 1 // 0


@dg.asset
def child(broken_asset: int) -> int:
    return broken_asset


r5 = dg.materialize([broken_asset, child], raise_on_error=False)
show_run("failing asset", r5)
print("materializations:", len(r5.get_asset_materialization_events()))
