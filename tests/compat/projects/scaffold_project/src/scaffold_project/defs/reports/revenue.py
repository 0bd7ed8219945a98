import dagster as dg

from scaffold_project.defs.ingest.resources import Currency


@dg.asset(group_name="reports", deps=["orders"])
def revenue(currency: Currency) -> str:
    return f"{currency.symbol} 19.5"


@dg.asset_check(asset=revenue)
def revenue_has_currency(revenue: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=revenue.startswith("USD"))


revenue_job = dg.define_asset_job("revenue_job", selection=["orders", "revenue"])
