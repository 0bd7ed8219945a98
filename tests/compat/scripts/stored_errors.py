"""How failures are stored: the error info of STEP_FAILURE, STEP_UP_FOR_RETRY, RUN_FAILURE and
HOOK_ERRORED events (class names along the cause chain, the first line of each message, the error
source), and what execute_in_process raises."""

import dagster as dg
from _report import error_names


def chain(err, messages: bool = True) -> str:
    out = []
    while err is not None:
        out.append(f"{err.cls_name}: {err.message.splitlines()[0]}" if messages else err.cls_name)
        err = err.cause
    return " <- ".join(out)


FAILURES = ("STEP_FAILURE", "STEP_UP_FOR_RETRY", "PIPELINE_FAILURE", "HOOK_ERRORED")


def show(label: str, result, messages: bool = True) -> None:
    print(f"== {label}")
    for event in result.all_events:
        if event.event_type_value in FAILURES:
            data = event.event_specific_data
            err = getattr(data, "error", None)
            # ErrorSource is an enum in Dagster and a string in Headwater: compare the name
            source = getattr(data, "error_source", None)
            source = str(source).rpartition(".")[2] if source is not None else None
            text = chain(err, messages) if err else None
            print(f"  {event.event_type_value} {event.step_key}: {text} | {source}")
            if messages and event.event_type_value != "HOOK_ERRORED":  # None in Dagster
                print(f"    {event.message}")


def raised(label: str, fn, show_cause: bool = True, message: bool = True) -> None:
    try:
        fn()
    except Exception as exc:
        cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else None
        text = f": {str(exc).splitlines()[0]}" if message else ""
        print(f"{label} raises {error_names(exc)}{text}" + (f" | cause: {cause}" if show_cause else ""))


@dg.op
def boom():
    raise ValueError("bad value")


@dg.job
def op_fails():
    boom()


show("op", op_fails.execute_in_process(raise_on_error=False))
raised("op", op_fails.execute_in_process)


@dg.asset
def boom_asset():
    raise KeyError("k")


show("asset", dg.materialize([boom_asset], raise_on_error=False))


class Unwritable(dg.IOManager):
    def handle_output(self, context, obj):
        raise RuntimeError("cannot write")

    def load_input(self, context):
        raise RuntimeError("cannot read")


class Unreadable(dg.IOManager):
    def handle_output(self, context, obj):
        pass

    def load_input(self, context):
        raise RuntimeError("cannot read")


@dg.asset(io_manager_key="unwritable")
def stored_badly():
    return 1


@dg.asset(io_manager_key="unreadable")
def up():
    return 1


@dg.asset
def down(up):
    return up


unwritable = {"unwritable": Unwritable()}
show("handle_output", dg.materialize([stored_badly], resources=unwritable, raise_on_error=False))
raised("handle_output", lambda: dg.materialize([stored_badly], resources=unwritable))
show("load_input", dg.materialize([up, down], resources={"unreadable": Unreadable()}, raise_on_error=False))


@dg.resource
def broken_resource(_):
    raise OSError("no connection")


@dg.op(required_resource_keys={"conn"})
def uses_conn():
    return 1


@dg.op
def no_resource():
    return 2


@dg.job(resource_defs={"conn": broken_resource})
def resource_fails():
    uses_conn()
    no_resource()


# Headwater's messages name the user's error too ("... conn": OSError: no connection): classes only
show("resource", resource_fails.execute_in_process(raise_on_error=False), messages=False)
raised("resource", resource_fails.execute_in_process, message=False)


@dg.failure_hook
def broken_hook(context):
    raise RuntimeError("hook broke")


@dg.job(hooks={broken_hook})
def hook_fails():
    boom()


show("hook", hook_fails.execute_in_process(raise_on_error=False))


@dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
def always_fails():
    raise RuntimeError("always")


@dg.job
def policy_retries():
    always_fails()


show("retry policy", policy_retries.execute_in_process(raise_on_error=False))
# Headwater keeps the last user error as the cause of the max-retries error (Dagster: no cause)
raised("retry policy", policy_retries.execute_in_process, show_cause=False)


@dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
def fails_retryable():
    raise dg.Failure("described", allow_retries=True)


@dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
def fails_final():
    raise dg.Failure("described", allow_retries=False)


# one failing step per job: the order of independent steps is not part of the comparison
@dg.job
def retryable_failure():
    fails_retryable()


@dg.job
def final_failure():
    fails_final()


show("Failure allowing retries", retryable_failure.execute_in_process(raise_on_error=False))
show("Failure without retries", final_failure.execute_in_process(raise_on_error=False))


@dg.op
def requests_retry():
    try:
        raise KeyError("x")
    except KeyError as exc:
        raise dg.RetryRequested(max_retries=1) from exc


@dg.op
def requests_no_retry():
    raise dg.RetryRequested(max_retries=0)


@dg.job
def requested():
    requests_retry()


@dg.job
def requested_none():
    requests_no_retry()


show("RetryRequested", requested.execute_in_process(raise_on_error=False))
show("RetryRequested(max_retries=0)", requested_none.execute_in_process(raise_on_error=False))


@dg.op(out=dg.Out(int))
def wrong_type():
    return "s"


@dg.op(ins={"x": dg.In(int)})
def takes_int(x):
    return x


@dg.op
def gives_str():
    return "x"


@dg.job
def output_type_check():
    wrong_type()


@dg.job
def input_type_check():
    takes_int(gives_str())


show("output type check", output_type_check.execute_in_process(raise_on_error=False))
raised("output type check", output_type_check.execute_in_process)
show("input type check", input_type_check.execute_in_process(raise_on_error=False))


def raise_custom():
    class MyError(Exception):
        pass

    try:
        raise KeyError("inner")
    except KeyError as exc:
        raise MyError("mine") from exc


@dg.op
def custom():
    raise_custom()


@dg.job
def custom_fails():
    custom()


show("custom exception with a cause", custom_fails.execute_in_process(raise_on_error=False))
