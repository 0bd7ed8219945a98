"""The dbt_shop example's definitions: assets, jobs, a schedule per job and a sensor on the orders file.

cd examples/dbt_shop
headwater asset materialize --select '* - daily_order_stats' -m dbt_shop.definitions
headwater asset materialize --select daily_order_stats --partition 2026-11-03 -m dbt_shop.definitions
headwater dev -m dbt_shop.definitions     # the UI on http://127.0.0.1:3000
"""

from __future__ import annotations

import headwater as hw
from headwater.integrations.dbt import DbtCliResource, build_schedule_from_dbt_selection
from headwater.integrations.duckdb import DuckDBResource

from .assets import daily_order_stats, daily_partitions, raw_customers, raw_orders, revenue_report, shop_dbt
from .project import DATA_DIR, DATABASE, shop_project

#: Load the CSV files, run dbt, draw the report.
refresh_job = hw.define_asset_job(
    "refresh_shop", selection=hw.AssetSelection.assets(raw_orders, raw_customers, shop_dbt, revenue_report)
)
#: One day of order statistics.
daily_stats_job = hw.define_asset_job(
    "daily_order_stats_job",
    selection=hw.AssetSelection.assets(daily_order_stats),
    partitions_def=daily_partitions,
)

#: dbt's marts, rebuilt every night (the staging views follow the raw data on their own).
nightly_marts = build_schedule_from_dbt_selection(
    [shop_dbt], job_name="nightly_marts", cron_schedule="0 3 * * *", dbt_select="fqn:shop.marts.*"
)
#: Each day's statistics, computed after the day ends.
daily_stats_schedule = hw.build_schedule_from_partitioned_job(daily_stats_job, hour_of_day=1)


@hw.sensor(job=refresh_job, minimum_interval_seconds=30)
def new_orders_file(context: hw.SensorEvaluationContext) -> hw.SensorResult | hw.SkipReason:
    """Refresh the shop when data/orders.csv changes (its modification time is the cursor)."""
    mtime = str((DATA_DIR / "orders.csv").stat().st_mtime_ns)
    if context.cursor == mtime:
        return hw.SkipReason("orders.csv has not changed")
    return hw.SensorResult(run_requests=[hw.RunRequest(run_key=mtime)], cursor=mtime)


defs = hw.Definitions(
    assets=[raw_orders, raw_customers, shop_dbt, revenue_report, daily_order_stats],
    jobs=[refresh_job, daily_stats_job],
    schedules=[nightly_marts, daily_stats_schedule],
    sensors=[new_orders_file],
    resources={
        "dbt": DbtCliResource(project_dir=shop_project),
        "duckdb": DuckDBResource(database=DATABASE),
    },
)
