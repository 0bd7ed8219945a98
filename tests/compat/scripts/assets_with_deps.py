"""Assets with data deps, non-data deps, AssetIn, key prefixes and groups; materialize a graph."""

import dagster as dg
from _report import show_run


@dg.asset(group_name="raw")
def orders() -> list[dict[str, int]]:
    return [{"id": 1, "amount": 30}, {"id": 2, "amount": 12}, {"id": 3, "amount": 58}]


@dg.asset(group_name="raw", key_prefix=["warehouse"])
def customers() -> dict[int, str]:
    return {1: "ada", 2: "grace", 3: "linus"}


@dg.asset(ins={"people": dg.AssetIn(key=dg.AssetKey(["warehouse", "customers"]))}, group_name="clean")
def enriched_orders(orders: list[dict[str, int]], people: dict[int, str]) -> list[tuple[str, int]]:
    return [(people[o["id"]], o["amount"]) for o in orders]


@dg.asset(deps=[orders], group_name="clean")
def audit_log() -> None:
    # a non-data dependency: runs after orders, loads nothing
    return None


@dg.asset(group_name="marts")
def revenue(enriched_orders: list[tuple[str, int]]) -> int:
    return sum(amount for _, amount in enriched_orders)


@dg.asset(group_name="marts")
def top_customer(context: dg.AssetExecutionContext, enriched_orders: list[tuple[str, int]]) -> str:
    context.log.info("picking the top customer")
    return max(enriched_orders, key=lambda pair: pair[1])[0]


all_assets = [orders, customers, enriched_orders, audit_log, revenue, top_customer]
result = dg.materialize(all_assets)
show_run("all", result)
print("revenue =", result.output_for_node("revenue"))
print("top_customer =", result.output_for_node("top_customer"))
print("enriched =", result.output_for_node("enriched_orders"))
mats = result.get_asset_materialization_events()
print("materialized:", sorted(e.asset_key.to_user_string() for e in mats))
print("customers key:", customers.key.path, customers.key.to_user_string())
print("enriched deps:", sorted(k.to_user_string() for k in enriched_orders.dependency_keys))
print("audit deps:", sorted(k.to_user_string() for k in audit_log.dependency_keys))
print("group of revenue:", revenue.group_names_by_key[dg.AssetKey("revenue")])

# a subset, with the upstream values loaded through the same instance's IO manager
instance = dg.DagsterInstance.ephemeral()
dg.materialize(all_assets, instance=instance)
subset = dg.materialize(all_assets, instance=instance, selection=["revenue", "top_customer"])
show_run("subset", subset)
print("subset revenue =", subset.output_for_node("revenue"))
