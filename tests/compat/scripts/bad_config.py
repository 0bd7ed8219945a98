"""Bad run config raises DagsterInvalidConfigError before anything runs; bad values fail type checks."""

import dagster as dg
from _report import show_error, show_run


class Settings(dg.Config):
    rows: int
    mode: str = "fast"


@dg.op
def configured(config: Settings) -> int:
    return config.rows


@dg.op(config_schema={"limit": dg.Field(int, is_required=True), "tags": [str]})
def legacy(context: dg.OpExecutionContext) -> int:
    return context.op_config["limit"] + len(context.op_config["tags"])


@dg.job
def settings_job():
    configured()
    legacy()


good = {"ops": {"configured": {"config": {"rows": 3}}, "legacy": {"config": {"limit": 1, "tags": ["a"]}}}}
r = settings_job.execute_in_process(run_config=good)
show_run("good config", r)
print("configured =", r.output_for_node("configured"), "legacy =", r.output_for_node("legacy"))


def run(config):
    return lambda: settings_job.execute_in_process(run_config=config)


show_error("missing required field", run({"ops": {"legacy": {"config": {"limit": 1, "tags": []}}}}))
show_error("wrong type", run({"ops": {**good["ops"], "configured": {"config": {"rows": "many"}}}}))
show_error(
    "unknown field", run({"ops": {**good["ops"], "configured": {"config": {"rows": 1, "colour": "red"}}}})
)
show_error("unknown op", run({"ops": {**good["ops"], "nope": {"config": {}}}}))
show_error(
    "list of wrong items", run({"ops": {**good["ops"], "legacy": {"config": {"limit": 1, "tags": [1]}}}})
)
show_error("no config at all", run(None))

try:
    settings_job.execute_in_process(run_config={"ops": {"legacy": {"config": {"limit": "x", "tags": []}}}})
except dg.DagsterInvalidConfigError as exc:
    print("caught DagsterInvalidConfigError with", len(exc.errors), "errors")


class AssetConfig(dg.Config):
    factor: int = 2


@dg.asset
def scaled(config: AssetConfig) -> int:
    return 10 * config.factor


print("scaled default =", dg.materialize([scaled]).output_for_node("scaled"))
print(
    "scaled configured =",
    dg.materialize([scaled], run_config=dg.RunConfig({"scaled": AssetConfig(factor=5)})).output_for_node(
        "scaled"
    ),
)
show_error(
    "asset bad config",
    lambda: dg.materialize([scaled], run_config={"ops": {"scaled": {"config": {"factor": "x"}}}}),
)


@dg.op
def returns_str() -> int:
    return "not an int"  # type: ignore[return-value]


@dg.job
def typed():
    returns_str()


show_error("output type check", typed.execute_in_process)
tr = typed.execute_in_process(raise_on_error=False)
show_run("type check, no raise", tr)


@dg.op(ins={"n": dg.In(int)})
def takes_int(n) -> int:
    return n


@dg.op
def gives_str() -> str:
    return "x"


@dg.job
def typed_input():
    takes_int(gives_str())


show_error("input type check", typed_input.execute_in_process)
