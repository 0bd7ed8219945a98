"""The assets: CSV ingestion into DuckDB, the dbt project, a revenue report and daily order statistics."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import Any

import headwater as hw
from headwater.integrations.dbt import DbtCliResource, dbt_assets, get_asset_key_for_model
from headwater.integrations.duckdb import DuckDBResource

from .project import DATA_DIR, REPORTS_DIR, shop_project


def _load_csv(duckdb: DuckDBResource, table: str, file_name: str) -> hw.MaterializeResult:
    path = DATA_DIR / file_name
    with duckdb.get_connection() as conn:
        conn.execute("create schema if not exists raw")
        conn.execute(f"create or replace table raw.{table} as select * from read_csv_auto(?)", [str(path)])
        rows = conn.execute(f"select count(*) from raw.{table}").fetchone()
        preview = conn.execute(f"select * from raw.{table} limit 5").fetchall()
        columns = [d[0] for d in conn.description or ()]
    table_md = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    table_md += "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in preview)
    return hw.MaterializeResult(
        metadata={
            "rows": rows[0] if rows else 0,
            "source": hw.MetadataValue.path(str(path)),
            "preview": hw.MetadataValue.md(table_md),
        }
    )


@hw.asset(group_name="raw", kinds={"duckdb", "csv"}, owners=["team:data"])
def raw_orders(duckdb: DuckDBResource) -> hw.MaterializeResult:
    """The shop's orders, loaded from data/orders.csv into raw.orders."""
    return _load_csv(duckdb, "orders", "orders.csv")


@hw.asset(group_name="raw", kinds={"duckdb", "csv"}, owners=["team:data"])
def raw_customers(duckdb: DuckDBResource) -> hw.MaterializeResult:
    """The shop's customers, loaded from data/customers.csv into raw.customers."""
    return _load_csv(duckdb, "customers", "customers.csv")


@dbt_assets(manifest=shop_project.manifest_path, project=shop_project)
def shop_dbt(context: hw.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """The dbt project in transform/: staging views, marts and their tests."""
    yield from dbt.cli(["build"], context=context).stream()


@hw.asset(
    group_name="reports",
    kinds={"python", "matplotlib"},
    deps=[get_asset_key_for_model([shop_dbt], "revenue_by_country")],
)
def revenue_report(duckdb: DuckDBResource) -> hw.MaterializeResult:
    """A bar chart of revenue per country, as a PNG file and as an image in the asset's metadata."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with duckdb.get_connection() as conn:
        rows = conn.execute("select country_name, revenue from marts.revenue_by_country").fetchall()
    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=100)
    ax.bar([r[0] for r in rows], [float(r[1]) for r in rows], color="#2f7ed8")
    ax.set_title("Revenue of completed orders by country")
    ax.set_ylabel("revenue")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    png = buffer.getvalue()
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORTS_DIR / "revenue_by_country.png"
    path.write_bytes(png)
    image = base64.b64encode(png).decode("ascii")
    return hw.MaterializeResult(
        metadata={
            "plot": hw.MetadataValue.md(f"![Revenue by country](data:image/png;base64,{image})"),
            "path": hw.MetadataValue.path(str(path)),
            "countries": len(rows),
            "total_revenue": round(sum(float(r[1]) for r in rows), 2),
        }
    )


daily_partitions = hw.DailyPartitionsDefinition(start_date="2026-11-01")


@hw.asset(
    group_name="reports",
    kinds={"python", "duckdb"},
    partitions_def=daily_partitions,
    deps=[get_asset_key_for_model([shop_dbt], "stg_orders")],
)
def daily_order_stats(context: hw.AssetExecutionContext, duckdb: DuckDBResource) -> hw.MaterializeResult:
    """Orders, returns and revenue of one day (a partition), kept in marts.daily_order_stats."""
    day = context.partition_key
    with duckdb.get_connection() as conn:
        conn.execute(
            "create table if not exists marts.daily_order_stats "
            "(day date primary key, orders integer, returned integer, revenue decimal(12, 2))"
        )
        conn.execute("delete from marts.daily_order_stats where day = cast(? as date)", [day])
        conn.execute(
            """
            insert into marts.daily_order_stats
            select cast(? as date), count(*), count(*) filter (where status = 'returned'),
                   coalesce(sum(amount) filter (where status = 'completed'), 0)
            from staging.stg_orders where ordered_at = cast(? as date)
            """,
            [day, day],
        )
        row = conn.execute(
            "select orders, returned, revenue from marts.daily_order_stats where day = cast(? as date)", [day]
        ).fetchone()
    orders, returned, revenue = row if row else (0, 0, 0)
    return hw.MaterializeResult(
        metadata={"orders": int(orders), "returned": int(returned), "revenue": float(revenue)}
    )
