"""A Dagster project on dagster-dbt, written as for Dagster 1.13 (imports dagster and dagster_dbt only)."""

import json
import os
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    DailyPartitionsDefinition,
    Definitions,
    MaterializeResult,
    asset,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DbtCliResource,
    DbtProject,
    build_schedule_from_dbt_selection,
    dbt_assets,
    get_asset_key_for_model,
)

jaffle_project = DbtProject(project_dir=Path(os.environ["JAFFLE_PROJECT_DIR"]))
jaffle_project.prepare_if_dev()


@asset(compute_kind="python")
def raw_orders() -> MaterializeResult:
    con = duckdb.connect(os.environ["JAFFLE_DUCKDB_PATH"])
    con.execute(
        "create or replace table raw_orders as select * from (values (1, 1, date '2026-11-01', 12.5), "
        "(2, 2, date '2026-11-02', 30.0)) t(order_id, customer_id, ordered_at, amount)"
    )
    con.close()
    return MaterializeResult(metadata={"rows": 2})


class CustomTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props):
        return "dbt_" + dbt_resource_props["resource_type"]


@dbt_assets(
    manifest=jaffle_project.manifest_path,
    exclude="tag:daily",
    dagster_dbt_translator=CustomTranslator(),
)
def jaffle_dbt(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=jaffle_project.manifest_path,
    select="tag:daily",
    partitions_def=DailyPartitionsDefinition(start_date="2026-11-01"),
)
def jaffle_daily(context: AssetExecutionContext, dbt: DbtCliResource):
    start, end = context.partition_time_window
    dbt_vars = {"min_date": start.isoformat(), "max_date": end.isoformat()}
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


@asset(deps=[get_asset_key_for_model([jaffle_dbt], "customers")])
def customer_count() -> MaterializeResult:
    con = duckdb.connect(os.environ["JAFFLE_DUCKDB_PATH"], read_only=True)
    (count,) = con.execute("select count(*) from customers").fetchone()
    con.close()
    return MaterializeResult(metadata={"customers": count})


defs = Definitions(
    assets=[raw_orders, jaffle_dbt, jaffle_daily, customer_count],
    schedules=[
        build_schedule_from_dbt_selection(
            [jaffle_dbt], job_name="staging_job", cron_schedule="0 * * * *", dbt_select="tag:staging"
        )
    ],
    resources={"dbt": DbtCliResource(project_dir=jaffle_project)},
)

assert AssetKey("customers") == get_asset_key_for_model([jaffle_dbt], "customers")
