"""Examples from Dagster's docstrings of names Headwater provides, completed where the docstring shows a
fragment (the helper ops and resources they assume are defined here), printing what they produce."""

import enum
from contextlib import contextmanager

import dagster as dg
from pydantic import Field

# --- build_op_context / build_asset_context / build_hook_context / build_init_resource_context:
# "with build_op_context(resources={"foo": context_manager_resource}) as context"
events = []


@dg.resource
@contextmanager
def context_manager_resource(_):
    events.append("setup")
    try:
        yield "foo-value"
    finally:
        events.append("teardown")


@dg.op(required_resource_keys={"foo"})
def op_to_invoke(context):
    return context.resources.foo


@dg.asset(required_resource_keys={"foo"})
def asset_to_invoke(context):
    return context.resources.foo


@dg.success_hook(required_resource_keys={"foo"})
def hook_to_invoke(context):
    events.append(f"hook saw {context.resources.foo}")


@dg.resource(required_resource_keys={"foo"})
def resource_to_init(init_context):
    return f"built from {init_context.resources.foo}"


with dg.build_op_context(resources={"foo": context_manager_resource}) as context:
    print("op:", op_to_invoke(context), events)
with dg.build_asset_context(resources={"foo": context_manager_resource}) as context:
    print("asset:", asset_to_invoke(context), events)
with dg.build_hook_context(resources={"foo": context_manager_resource}) as context:
    hook_to_invoke(context)
    print("hook:", events)
with dg.build_init_resource_context(resources={"foo": context_manager_resource}) as context:
    print("resource:", resource_to_init(context), events)
print("after the blocks:", events.count("setup"), "setups,", events.count("teardown"), "teardowns")
with dg.build_input_context(resources={"foo": context_manager_resource}) as context:
    print("input context resource:", context.resources.foo)
with dg.build_output_context(resources={"foo": context_manager_resource}) as context:
    print("output context resource:", context.resources.foo)


# --- GraphDefinition.alias / tag / with_hooks / with_retry_policy inside a job
@dg.op
def return_one():
    return 1


@dg.op
def add_one(x):
    return x + 1


@dg.graph
def my_graph():
    return add_one(return_one())


hook_calls = []


@dg.success_hook
def my_hook(context):
    hook_calls.append(context.op.name)


@dg.job
def do_it_all():
    my_graph.alias("my_graph_alias")()
    my_graph.tag({"my_tag": "my_value"})()
    my_graph.with_hooks({my_hook})()
    my_graph.with_retry_policy(dg.RetryPolicy(max_retries=5))()


result = do_it_all.execute_in_process()
print("graph variants:", result.success, sorted(n.name for n in do_it_all.graph.nodes))
print("hooks ran on:", sorted(hook_calls))
print("aliased output:", result.output_for_node("my_graph_alias"))


# --- DependencyDefinition / MultiDependencyDefinition / NodeInvocation with GraphDefinition
@dg.op
def node_a():
    return 1


@dg.op
def node_b(x):
    return x * 10


@dg.op(ins={"xs": dg.In(list)})
def op_c(xs):
    return sum(xs)


graph_def = dg.GraphDefinition(
    name="the_graph",
    node_defs=[node_a, node_b, op_c],
    dependencies={
        dg.NodeInvocation("node_b"): {"x": dg.DependencyDefinition("node_a")},
        dg.NodeInvocation("node_b", alias="other_b"): {"x": dg.DependencyDefinition("node_a", "result")},
        "op_c": {
            "xs": dg.MultiDependencyDefinition(
                [dg.DependencyDefinition("node_b"), dg.DependencyDefinition("other_b")]
            )
        },
    },
)
result = graph_def.to_job().execute_in_process()
print("dependency graph:", result.output_for_node("op_c"), sorted(n.name for n in graph_def.nodes))
dep = dg.DependencyDefinition("node_a")
print("DependencyDefinition:", dep.node, dep.output, dep == dg.DependencyDefinition("node_a", "result"))


# --- Enum.from_python_enum
class Color(enum.Enum):
    RED = enum.auto()
    GREEN = enum.auto()


@dg.op(config_schema={"color": dg.Field(dg.Enum.from_python_enum(Color))})
def select_color(context):
    return context.op_config["color"]


# (another name: Dagster keys config types by name, so a second "Color" would be the first one)
@dg.op(config_schema={"color": dg.Field(dg.Enum.from_python_enum_direct_values(Color, name="ColorValue"))})
def select_color_value(context):
    return context.op_config["color"]


@dg.job
def colors():
    select_color()
    select_color_value()


result = colors.execute_in_process(
    run_config={
        "ops": {
            "select_color": {"config": {"color": "RED"}},
            "select_color_value": {"config": {"color": "GREEN"}},
        }
    }
)
print("enum config:", result.output_for_node("select_color"), result.output_for_node("select_color_value"))


# --- Config / PermissiveConfig invoked directly with a config object
class MyAssetConfig(dg.Config):
    my_str: str = "my_default_string"
    my_int_list: list[int]
    my_bool_with_metadata: bool = Field(default=False, description="A bool field")


@dg.asset
def asset_with_config(config: MyAssetConfig):
    return (config.my_str, config.my_int_list, config.my_bool_with_metadata)


print("asset config:", asset_with_config(MyAssetConfig(my_int_list=[1, 2, 3], my_bool_with_metadata=True)))


class MyPermissiveOpConfig(dg.PermissiveConfig):
    my_explicit_parameter: bool
    my_other_explicit_parameter: str


@dg.op
def op_with_config(config: MyPermissiveOpConfig):
    return config.my_explicit_parameter, config.dict().get("my_implicit_parameter")


print(
    "permissive:",
    op_with_config(
        MyPermissiveOpConfig(
            my_explicit_parameter=True, my_other_explicit_parameter="foo", my_implicit_parameter="bar"
        )
    ),
)


# --- ConfigurableResource with create_resource, and ResourceParam
class Writer:
    def __init__(self, prefix):
        self.prefix = prefix

    def output(self, text):
        return f"{self.prefix}{text}"


class WriterResource(dg.ConfigurableResource):
    prefix: str

    def create_resource(self, context):
        return Writer(self.prefix)


@dg.asset
def use_preexisting_writer_as_resource(writer: dg.ResourceParam[Writer]):
    return writer.output("text")


defs = dg.Definitions(
    assets=[use_preexisting_writer_as_resource], resources={"writer": WriterResource(prefix="a_prefix:")}
)
print(
    "create_resource:",
    defs.get_implicit_global_asset_job_def()
    .execute_in_process()
    .output_for_node("use_preexisting_writer_as_resource"),
)


# --- define_asset_job variants
@dg.asset(group_name="marketing")
def campaign():
    return 1


@dg.asset(required_resource_keys={"slack_client"})
def notify(context):
    return context.resources.slack_client


defs = dg.Definitions(
    assets=[campaign, notify],
    jobs=[
        dg.define_asset_job("all_assets"),
        dg.define_asset_job("one_asset", selection=[campaign]),
        dg.define_asset_job("marketing_job", selection=dg.AssetSelection.groups("marketing")),
    ],
    resources={"slack_client": "prod_slack_client"},
)
for name in ("all_assets", "one_asset", "marketing_job"):
    job = defs.get_job_def(name)
    print("asset job", name, sorted(n.name for n in job.graph.nodes))
print("resource on the asset:", defs.get_job_def("all_assets").execute_in_process().output_for_node("notify"))


# --- Noneable, Map, Selector and Permissive config schemas
@dg.op(
    config_schema={
        "name": dg.Field(dg.Noneable(str)),
        "by_key": dg.Map(str, int),
        "pick": dg.Selector({"a": int, "b": str}),
        "extra": dg.Permissive(),
    }
)
def schemas(context):
    return context.op_config


@dg.job
def schema_job():
    schemas()


config = {"name": None, "by_key": {"x": 1}, "pick": {"b": "bee"}, "extra": {"anything": [1]}}
print(
    "schemas:",
    schema_job.execute_in_process(run_config={"ops": {"schemas": {"config": config}}}).output_for_node(
        "schemas"
    ),
)
