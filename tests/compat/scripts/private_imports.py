"""Dagster's private modules that real projects import: dagster._core.errors, dagster._core.test_utils,
dagster._core.definitions.tags and dagster._utils.backoff."""

import dagster as dg
import dagster._core.errors as errors
from dagster._core.definitions.tags import KIND_PREFIX, build_kind_tag, build_kind_tag_key, has_kind
from dagster._core.errors import (
    DagsterError,
    DagsterExecutionHandleOutputError,
    DagsterExecutionLoadInputError,
    DagsterExecutionStepExecutionError,
    DagsterInvalidDefinitionError,
    DagsterInvariantViolationError,
    DagsterTypeCheckDidNotPass,
    DagsterUserCodeExecutionError,
)
from dagster._core.test_utils import instance_for_test
from dagster._utils.backoff import BACKOFF_MAX_RETRIES, backoff, exponential_delay_generator

print("same classes as the public names:", errors.DagsterError is dg.DagsterError)
print(
    "DagsterExecutionStepExecutionError is a DagsterUserCodeExecutionError:",
    issubclass(DagsterExecutionStepExecutionError, DagsterUserCodeExecutionError),
)
# (by the imported name: Headwater's classes keep their native __name__)
for name, cls in [
    ("DagsterExecutionHandleOutputError", DagsterExecutionHandleOutputError),
    ("DagsterExecutionLoadInputError", DagsterExecutionLoadInputError),
    ("DagsterTypeCheckDidNotPass", DagsterTypeCheckDidNotPass),
]:
    user_code = issubclass(cls, DagsterUserCodeExecutionError)
    print(name, "user code:", user_code, "dagster:", issubclass(cls, DagsterError))
print(
    "DagsterUnknownResourceError is an AttributeError:",
    issubclass(errors.DagsterUnknownResourceError, AttributeError),
)
print(
    "DagsterExecutionInterruptedError is a DagsterError:",
    issubclass(errors.DagsterExecutionInterruptedError, DagsterError),
)


class BrokenIO(dg.IOManager):
    def handle_output(self, context, obj):
        raise OSError("disk full")

    def load_input(self, context):
        raise OSError("gone")


@dg.asset(io_manager_key="broken")
def unstorable() -> int:
    return 1


try:
    dg.materialize([unstorable], resources={"broken": BrokenIO()})
except OSError:
    print("materialize raises the user's error")
result = dg.materialize([unstorable], resources={"broken": BrokenIO()}, raise_on_error=False)
print("stored:", result.get_step_failure_events()[0].step_failure_data.error.cls_name)

try:

    @dg.asset(deps=["loop"])
    def loop():
        return 1
except DagsterInvalidDefinitionError:
    print("self dependency raises DagsterInvalidDefinitionError")

with instance_for_test() as instance:
    print("instance_for_test gives a DagsterInstance:", isinstance(instance, dg.DagsterInstance))
    result = dg.materialize([dg.asset(name="in_test_instance")(lambda: 1)], instance=instance)
    print("run stored in it:", instance.get_run_by_id(result.run_id) is not None)
    print(
        "DagsterInstance.get() is the same storage:",
        dg.DagsterInstance.get().get_run_by_id(result.run_id) is not None,
    )

print(
    KIND_PREFIX,
    build_kind_tag("dbt"),
    build_kind_tag_key("python"),
    has_kind({"dagster/kind/dbt": ""}, "dbt"),
)

delays = exponential_delay_generator(base_delay=0.001, backoff_factor=3)
print("delays:", [round(next(delays), 4) for _ in range(3)], "max retries:", BACKOFF_MAX_RETRIES)
calls = {"n": 0}


def no_delays():
    while True:
        yield 0.0


def flaky(value: int) -> int:
    calls["n"] += 1
    if calls["n"] < 3:
        raise ConnectionError("try again")
    return value * 2


print("backoff:", backoff(flaky, retry_on=(ConnectionError,), args=[21], delay_generator=no_delays()), calls)
calls["n"] = -10
try:
    backoff(
        flaky,
        retry_on=(ConnectionError,),
        kwargs={"value": 1},
        max_retries=2,
        delay_generator=no_delays(),
    )
except ConnectionError:
    print("backoff gives up after max_retries:", calls)
try:
    backoff(flaky, retry_on=(KeyError,), args=[1])
except ConnectionError:
    print("other errors are not retried:", calls)


def raise_invariant():
    raise DagsterInvariantViolationError("broken invariant")


try:
    raise_invariant()
except DagsterError as exc:
    print("caught as DagsterError:", exc)
