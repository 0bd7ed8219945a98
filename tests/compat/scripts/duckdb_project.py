"""A Dagster project on DuckDB: dagster_duckdb's DuckDBResource and dagster_duckdb_pandas's IO manager,
schema from key prefix and metadata, column selection, a partitioned asset, values read back with duckdb."""

import os

import dagster as dg
import duckdb
import pandas as pd
from _report import show_run
from dagster_duckdb import DuckDBResource
from dagster_duckdb_pandas import DuckDBPandasIOManager

DB = os.path.join(os.getcwd(), "warehouse.duckdb")


@dg.asset(key_prefix=["raw"])
def orders() -> pd.DataFrame:
    return pd.DataFrame({"id": [1, 2, 3], "customer": ["a", "b", "a"], "amount": [10.0, 5.5, 4.5]})


@dg.asset(
    metadata={"schema": "marts"},
    ins={"orders": dg.AssetIn(key=["raw", "orders"], metadata={"columns": ["customer", "amount"]})},
)
def revenue(orders: pd.DataFrame) -> pd.DataFrame:
    print("revenue sees columns", list(orders.columns))
    return orders.groupby("customer", as_index=False)["amount"].sum()


@dg.asset(deps=[revenue])
def top_customer(duckdb: DuckDBResource) -> None:
    with duckdb.get_connection() as conn:
        conn.execute(
            "CREATE OR REPLACE TABLE marts.top AS "
            "SELECT customer FROM marts.revenue ORDER BY amount DESC LIMIT 1"
        )


regions = dg.StaticPartitionsDefinition(["eu", "us"])


@dg.asset(partitions_def=regions, metadata={"partition_expr": "region"})
def sales(context: dg.AssetExecutionContext) -> pd.DataFrame:
    n = {"eu": 2, "us": 3}[context.partition_key]
    return pd.DataFrame({"region": [context.partition_key] * n, "units": list(range(n))})


@dg.asset
def units(sales: pd.DataFrame) -> pd.DataFrame:
    return sales.groupby("region", as_index=False)["units"].sum()


defs = dg.Definitions(
    assets=[orders, revenue, top_customer, sales, units],
    resources={
        "io_manager": DuckDBPandasIOManager(database=DB),
        "duckdb": DuckDBResource(database=DB),
    },
)

result = dg.materialize([orders, revenue, top_customer], resources=defs.resources)
show_run("tables", result)
for mat in result.asset_materializations_for_node("raw__orders"):
    print("orders row_count:", mat.metadata["dagster/row_count"].value)
    print("orders table:", mat.metadata["dagster/table_name"].value.rsplit("/", 1)[-1])

for key in ("eu", "us", "eu"):
    show_run(f"sales {key}", dg.materialize([sales], partition_key=key, resources=defs.resources))
show_run("units", dg.materialize([sales, units], selection=[units], resources=defs.resources))

with duckdb.connect(DB) as conn:
    for sql in (
        "SELECT customer, amount FROM marts.revenue ORDER BY customer",
        "SELECT * FROM marts.top",
        "SELECT region, count(*) FROM public.sales GROUP BY region ORDER BY region",
        "SELECT region, units FROM public.units ORDER BY region",
    ):
        print(sql, "->", conn.execute(sql).fetchall())
