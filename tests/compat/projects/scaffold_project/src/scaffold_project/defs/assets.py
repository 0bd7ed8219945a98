import dagster as dg


@dg.asset(deps=["raw_customers"])
def orders(context: dg.AssetExecutionContext, raw_orders: list[dict]) -> dg.MaterializeResult:
    clean = [o for o in raw_orders if o["amount"] is not None]
    context.log.info(f"kept {len(clean)} orders")
    return dg.MaterializeResult(metadata={"rows": len(clean)})
