"""graph_asset and graph_multi_asset built from ops, downstream of a plain asset."""

import dagster as dg
from _report import show_run


@dg.asset
def numbers() -> list[int]:
    return [3, 1, 2]


@dg.op
def sort_them(values: list[int]) -> list[int]:
    return sorted(values)


@dg.op
def double(values: list[int]) -> list[int]:
    return [v * 2 for v in values]


@dg.graph_asset
def doubled_sorted(numbers: list[int]) -> list[int]:
    return double(sort_them(numbers))


@dg.op(out={"low": dg.Out(), "high": dg.Out()})
def split_half(values: list[int]):
    mid = len(values) // 2
    return values[:mid], values[mid:]


@dg.op
def total(values: list[int]) -> int:
    return sum(values)


@dg.graph_multi_asset(outs={"low_sum": dg.AssetOut(), "high_sum": dg.AssetOut()})
def halves(doubled_sorted: list[int]):
    low, high = split_half(doubled_sorted)
    return {"low_sum": total(low), "high_sum": total.alias("total_high")(high)}


result = dg.materialize([numbers, doubled_sorted, halves])
show_run("graph assets", result)
print("doubled_sorted =", result.output_for_node("doubled_sorted"))
print("low_sum =", result.output_for_node("halves", "low_sum"))
print("high_sum =", result.output_for_node("halves", "high_sum"))
print("keys:", sorted(k.to_user_string() for k in halves.keys))
print(
    "materialized:", sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events())
)
