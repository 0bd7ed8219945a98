"""Binding and configuring resources from Python: with_resources (config by key, conflicts, missing
keys), the top-level configured over resources, ops, executors and loggers, make_values_resource."""

import dagster as dg
from _report import show_error, show_run


@dg.resource(config_schema={"bar": str})
def foo_resource(context):
    return context.resource_config["bar"]


@dg.asset(required_resource_keys={"foo"})
def asset1(context):
    return context.resources.foo


@dg.asset(required_resource_keys={"foo"})
def asset2(context, asset1):
    return asset1 + context.resources.foo


@dg.resource(config_schema={"a": int, "b": int})
def ab(context):
    return context.resource_config


@dg.configured(ab, {"x": int})
def ab_from_x(config):
    return {"a": config["x"], "b": config["x"] * 10}


@dg.op(config_schema={"n": int})
def emit_n(context):
    return context.op_config["n"]


@dg.configured(emit_n)
def emit_seven(_):
    return {"n": 7}


@dg.op(required_resource_keys={"values"})
def read_values(context):
    return context.resources.values


@dg.job
def values_job():
    read_values()


if __name__ == "__main__":
    a1, a2 = dg.with_resources(
        [asset1, asset2], {"foo": foo_resource}, resource_config_by_key={"foo": {"config": {"bar": "x"}}}
    )
    print("bound", type(a1).__name__, sorted(a1.resource_defs))
    result = dg.materialize([a1, a2])
    show_run("with_resources", result)
    print("value", result.output_for_node("asset2"))
    (source,) = dg.with_resources([dg.SourceAsset("src", io_manager_key="foo")], {"foo": dg.mem_io_manager})
    print("source asset", sorted(source.resource_defs))
    show_error(
        "config not under 'config'",
        lambda: dg.with_resources([asset1], {"foo": foo_resource}, {"foo": {"bar": "x"}}),
    )
    show_error(
        "bad config",
        lambda: dg.with_resources([asset1], {"foo": foo_resource}, {"foo": {"config": {"bar": 1}}}),
    )
    show_error("missing resource", lambda: dg.with_resources([asset1], {"other": foo_resource}))
    one, two = dg.ResourceDefinition.hardcoded_resource(1), dg.ResourceDefinition.hardcoded_resource(2)
    show_error("conflict", lambda: dg.with_resources(dg.with_resources([asset1], {"foo": one}), {"foo": two}))

    fixed = dg.configured(ab)({"a": 1, "b": 2})
    with dg.build_resources(
        {"fixed": fixed, "mapped": ab_from_x}, resource_config={"mapped": {"config": {"x": 3}}}
    ) as res:
        print("configured resources", res.fixed, res.mapped)
    five = dg.configured(emit_n, name="emit_five")({"n": 5})
    print("configured ops", five.name, emit_seven.name)

    @dg.job
    def configured_ops():
        five()
        emit_seven()

    done = configured_ops.execute_in_process()
    print("op outputs", done.output_for_node("emit_five"), done.output_for_node("emit_seven"))
    mp = dg.configured(dg.multiprocess_executor, name="two_workers")({"max_concurrent": 2})
    print("configured executor", isinstance(mp, dg.ExecutorDefinition), mp.name)
    print(
        "configured logger",
        isinstance(dg.configured(dg.colored_console_logger)({"log_level": "DEBUG"}), dg.LoggerDefinition),
    )

    values = dg.make_values_resource(table=str, limit=dg.Field(int, default_value=10))
    out = values_job.execute_in_process(
        resources={"values": values}, run_config={"resources": {"values": {"config": {"table": "t"}}}}
    )
    print("values", sorted(out.output_for_node("read_values").items()))
    anything = dg.make_values_resource()
    with dg.build_resources({"v": anything}, resource_config={"v": {"config": {"q": [1]}}}) as res:
        print("any values", res.v)
    show_error(
        "values missing",
        lambda: values_job.execute_in_process(
            resources={"values": values}, run_config={"resources": {"values": {"config": {}}}}
        ),
    )
