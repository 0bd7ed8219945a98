"""multi_asset: several outputs, Output with metadata, subsetting with can_subset."""

import dagster as dg
from _report import show_run


@dg.multi_asset(
    outs={
        "users": dg.AssetOut(description="people"),
        "events": dg.AssetOut(key_prefix="tracking", group_name="tracking"),
    }
)
def load_source():
    yield dg.Output([1, 2, 3], output_name="users", metadata={"rows": 3})
    yield dg.Output(["signup", "login"], output_name="events", metadata={"rows": 2})


@dg.asset(ins={"events": dg.AssetIn(key=["tracking", "events"])})
def event_count(events: list[str]) -> int:
    return len(events)


@dg.multi_asset(
    outs={"a": dg.AssetOut(is_required=False), "b": dg.AssetOut(is_required=False)},
    can_subset=True,
)
def split(context: dg.AssetExecutionContext):
    for name in sorted(context.selected_output_names):
        yield dg.Output(name.upper(), output_name=name)


@dg.asset
def after_b(b: str) -> str:
    return b + "!"


result = dg.materialize([load_source, event_count])
show_run("load", result)
print("users =", result.output_for_node("load_source", "users"))
print("events =", result.output_for_node("load_source", "events"))
print("event_count =", result.output_for_node("event_count"))
print("keys:", sorted(k.to_user_string() for k in load_source.keys))
for mat in result.asset_materializations_for_node("load_source"):
    print("metadata", mat.asset_key.to_user_string(), mat.metadata["rows"].value)

instance = dg.DagsterInstance.ephemeral()
only_b = dg.materialize([split, after_b], selection=["b", "after_b"], instance=instance)
show_run("subset b", only_b)
print("after_b =", only_b.output_for_node("after_b"))
both = dg.materialize([split, after_b], instance=instance)
show_run("both", both)
print("a =", both.output_for_node("split", "a"))
