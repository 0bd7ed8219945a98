"""A Dagster project on DuckDB: dagster_duckdb's DuckDBResource and dagster_duckdb_pandas's IO manager,
schema from key prefix and metadata, column selection, a partitioned asset, a custom type handler on
DuckDBIOManager, values read back with duckdb."""

import os

import dagster as dg
import duckdb
import pandas as pd
from _report import show_run
from dagster._core.storage.db_io_manager import DbTypeHandler, TableSlice
from dagster_duckdb import DuckDBIOManager, DuckDBResource
from dagster_duckdb_pandas import DuckDBPandasIOManager, DuckDBPandasTypeHandler

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


class ColumnsHandler(DbTypeHandler[dict]):
    """dict of column name -> values, stored through a DataFrame."""

    def handle_output(self, context, table_slice: TableSlice, obj: dict, connection):
        frame = pd.DataFrame(obj)
        connection.register("columns_frame", frame)
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {table_slice.schema}.{table_slice.table} AS "
            "SELECT * FROM columns_frame WHERE false"
        )
        table = f"{table_slice.schema}.{table_slice.table}"
        connection.execute(f"INSERT INTO {table} SELECT * FROM columns_frame")
        return {"n": len(frame)}

    def load_input(self, context, table_slice: TableSlice, connection) -> dict:
        frame = connection.execute(f"SELECT * FROM {table_slice.schema}.{table_slice.table}").fetchdf()
        return {c: frame[c].tolist() for c in frame.columns}

    @property
    def supported_types(self):
        return [dict]


class MixedIOManager(DuckDBIOManager):
    @staticmethod
    def type_handlers():
        return [DuckDBPandasTypeHandler(), ColumnsHandler()]

    @staticmethod
    def default_load_type():
        return pd.DataFrame


@dg.asset
def as_columns() -> dict:
    return {"k": ["x", "y"], "v": [1, 2]}


@dg.asset
def from_columns(as_columns: dict) -> pd.DataFrame:
    print("from_columns got", as_columns)
    return pd.DataFrame(as_columns)


for _ in range(2):  # the second run replaces the tables the custom handler inserts into
    mixed = dg.materialize(
        [as_columns, from_columns], resources={"io_manager": MixedIOManager(database=DB, schema="mixed")}
    )
show_run("custom handler", mixed)
print("custom metadata n:", mixed.asset_materializations_for_node("as_columns")[0].metadata["n"].value)

with duckdb.connect(DB) as conn:
    for sql in (
        "SELECT customer, amount FROM marts.revenue ORDER BY customer",
        "SELECT * FROM marts.top",
        "SELECT region, count(*) FROM public.sales GROUP BY region ORDER BY region",
        "SELECT region, units FROM public.units ORDER BY region",
        "SELECT k, v FROM mixed.from_columns ORDER BY k",
        "SELECT count(*) FROM mixed.as_columns",
    ):
        print(sql, "->", conn.execute(sql).fetchall())
