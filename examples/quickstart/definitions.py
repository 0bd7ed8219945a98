"""A small shop's data: raw orders and customers → cleaned orders → revenue per day and per country.

Runs offline: the raw data is generated deterministically. Materialize it all with

    headwater asset materialize --select '*' -m examples.quickstart.definitions
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import headwater as hw


class WarehouseResource(hw.ConfigurableResource):
    """Where reports are published: a directory of JSON files."""

    directory: str = ".headwater/warehouse"

    def publish(self, name: str, rows: list[dict[str, object]]) -> Path:
        path = Path(self.directory) / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows, indent=2, sort_keys=True))
        return path


class OrdersConfig(hw.Config):
    """How many days of orders to generate."""

    days: int = 14
    seed: int = 7


@hw.asset(group_name="raw", kinds={"python"}, owners=["team:data"])
def raw_customers(context: hw.AssetExecutionContext) -> list[dict[str, object]]:
    """Customers with their country."""
    countries = ["NL", "DE", "FR", "US", "JP"]
    rows: list[dict[str, object]] = [
        {"id": i, "country": countries[i % len(countries)]} for i in range(1, 41)
    ]
    context.log.info(f"generated {len(rows)} customers")
    return rows


@hw.asset(group_name="raw", kinds={"python"}, owners=["team:data"])
def raw_orders(context: hw.AssetExecutionContext, config: OrdersConfig) -> list[dict[str, object]]:
    """Orders as they arrive from the shop, some of them duplicated or with a missing amount."""
    rng = random.Random(config.seed)
    start = date(2026, 11, 1)
    rows: list[dict[str, object]] = []
    for day in range(config.days):
        for _ in range(rng.randint(20, 40)):
            order_id = len(rows) + 1
            amount = None if rng.random() < 0.03 else round(rng.uniform(5, 250), 2)
            rows.append(
                {
                    "id": order_id,
                    "customer_id": rng.randint(1, 40),
                    "day": (start + timedelta(days=day)).isoformat(),
                    "amount": amount,
                }
            )
            if rng.random() < 0.02:
                rows.append(dict(rows[-1]))
    context.add_output_metadata({"rows": len(rows)})
    return rows


@hw.asset(group_name="clean", kinds={"python"})
def orders(raw_orders: list[dict[str, object]]) -> list[dict[str, object]]:
    """Orders without duplicates and without rows that lack an amount."""
    seen: set[object] = set()
    clean = []
    for row in raw_orders:
        if row["id"] in seen or row["amount"] is None:
            continue
        seen.add(row["id"])
        clean.append(row)
    return clean


@hw.asset_check(asset=orders, blocking=True, description="Every order has a positive amount.")
def orders_have_positive_amounts(orders: list[dict[str, object]]) -> hw.AssetCheckResult:
    bad = [row["id"] for row in orders if not isinstance(row["amount"], float) or row["amount"] <= 0]
    return hw.AssetCheckResult(passed=not bad, metadata={"bad_rows": len(bad)})


@hw.asset(group_name="reports", kinds={"python"})
def daily_revenue(orders: list[dict[str, object]]) -> hw.MaterializeResult:
    """Revenue per day, published to the warehouse."""
    totals: dict[str, float] = defaultdict(float)
    for row in orders:
        totals[str(row["day"])] += float(row["amount"])  # type: ignore[arg-type]
    return hw.MaterializeResult(
        metadata={"days": len(totals), "total": round(sum(totals.values()), 2)},
        value=[{"day": d, "revenue": round(v, 2)} for d, v in sorted(totals.items())],
    )


@hw.asset(group_name="reports", kinds={"python"})
def revenue_by_country(
    orders: list[dict[str, object]], raw_customers: list[dict[str, object]], warehouse: WarehouseResource
) -> hw.MaterializeResult:
    """Revenue per customer country, published to the warehouse."""
    country = {c["id"]: c["country"] for c in raw_customers}
    totals: dict[str, float] = defaultdict(float)
    for row in orders:
        totals[str(country[row["customer_id"]])] += float(row["amount"])  # type: ignore[arg-type]
    rows: list[dict[str, object]] = [
        {"country": k, "revenue": round(v, 2)} for k, v in sorted(totals.items())
    ]
    path = warehouse.publish("revenue_by_country", rows)
    return hw.MaterializeResult(metadata={"path": hw.MetadataValue.path(str(path)), "countries": len(rows)})


reports_job = hw.define_asset_job("reports", selection="group:reports")

defs = hw.Definitions(
    assets=[raw_customers, raw_orders, orders, daily_revenue, revenue_by_country],
    asset_checks=[orders_have_positive_amounts],
    jobs=[reports_job],
    resources={"warehouse": WarehouseResource()},
)
