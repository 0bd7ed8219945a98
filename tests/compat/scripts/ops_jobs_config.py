"""Ops, graphs and jobs with Config classes, legacy config_schema, RunConfig and dict run config."""

import dagster as dg
from _report import show_run


class GreetConfig(dg.Config):
    name: str
    times: int = 1


@dg.op
def greet(config: GreetConfig) -> str:
    return " ".join([f"hello {config.name}"] * config.times)


@dg.op(config_schema={"suffix": dg.Field(str, default_value="!"), "upper": bool})
def decorate(context: dg.OpExecutionContext, text: str) -> str:
    out = text + context.op_config["suffix"]
    return out.upper() if context.op_config["upper"] else out


@dg.op
def length(text: str) -> int:
    return len(text)


@dg.job
def greeting_job():
    length(decorate(greet()))


r1 = greeting_job.execute_in_process(
    run_config={"ops": {"greet": {"config": {"name": "ada"}}, "decorate": {"config": {"upper": True}}}}
)
show_run("dict config", r1)
print("decorate =", r1.output_for_node("decorate"), "length =", r1.output_for_node("length"))

r2 = greeting_job.execute_in_process(
    run_config=dg.RunConfig(
        ops={
            "greet": GreetConfig(name="bob", times=2),
            "decorate": {"config": {"suffix": "?", "upper": False}},
        }
    )
)
print("decorate =", r2.output_for_node("decorate"), "length =", r2.output_for_node("length"))


@dg.graph
def inner(text: str) -> int:
    return length(decorate(text))


@dg.op
def seed() -> str:
    return "abc"


@dg.job(config={"ops": {"inner": {"ops": {"decorate": {"config": {"upper": False}}}}}})
def nested_job():
    inner(seed())


r3 = nested_job.execute_in_process()
show_run("nested", r3)
print("inner.length =", r3.output_for_node("inner.length"))
print("inner output =", r3.output_for_node("inner"))


# the same graph turned into two jobs
@dg.graph
def pipeline():
    length(decorate(greet()))


local = pipeline.to_job(
    name="local",
    config={"ops": {"greet": {"config": {"name": "x"}}, "decorate": {"config": {"upper": True}}}},
)
r4 = local.execute_in_process()
print("local job:", local.name, r4.success, r4.output_for_node("decorate"))
print("job names:", greeting_job.name, nested_job.name)
print("op names:", sorted(node.name for node in greeting_job.graph.nodes))
