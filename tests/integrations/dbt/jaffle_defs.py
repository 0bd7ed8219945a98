"""Definitions over the test dbt project: a Python asset writing raw_orders into DuckDB (the dbt source),
the dbt project's models, seeds and snapshot as assets, and a daily-partitioned subset."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

import headwater as hw
from headwater.integrations.dbt import DbtCliResource, DbtProject, dbt_assets


class OrdersConfig(hw.Config):
    negative: bool = False


def raw_orders_asset() -> hw.AssetsDefinition:
    @hw.asset(name="raw_orders")
    def raw_orders(config: OrdersConfig) -> hw.MaterializeResult:
        """Orders, written into the DuckDB database dbt reads."""
        amounts = [10.0, 25.5, -3.0 if config.negative else 7.25]
        con = duckdb.connect(os.environ["JAFFLE_DUCKDB_PATH"])
        try:
            con.execute(
                "create or replace table raw_orders "
                "(order_id int, customer_id int, ordered_at date, amount double)"
            )
            con.executemany(
                "insert into raw_orders values (?, ?, ?, ?)",
                [(i + 1, (i % 3) + 1, f"2026-11-0{i + 1}", a) for i, a in enumerate(amounts)],
            )
        finally:
            con.close()
        return hw.MaterializeResult(metadata={"rows": len(amounts)})

    return raw_orders


def jaffle_assets(project_dir: Path, **kwargs: Any) -> hw.AssetsDefinition:
    project = DbtProject(project_dir)

    @dbt_assets(manifest=project.manifest_path, project=project, **kwargs)
    def jaffle_dbt(context: hw.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
        yield from dbt.cli(["build"], context=context).stream()

    return jaffle_dbt


def daily_assets(project_dir: Path) -> hw.AssetsDefinition:
    project = DbtProject(project_dir)

    @dbt_assets(
        manifest=project.manifest_path,
        select="tag:daily",
        partitions_def=hw.DailyPartitionsDefinition(start_date="2026-11-01"),
        name="daily_dbt",
    )
    def daily_dbt(context: hw.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
        window = context.partition_time_window
        dbt_vars = {
            "min_date": window.start.strftime("%Y-%m-%d"),
            "max_date": window.end.strftime("%Y-%m-%d"),
        }
        yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()

    return daily_dbt
