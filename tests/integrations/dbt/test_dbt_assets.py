"""@dbt_assets over a real dbt project on DuckDB: specs from the manifest, runs through the real dbt."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import headwater as hw
from headwater.integrations.dbt import (
    DagsterDbtError,
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtCliRuntimeError,
    get_asset_key_for_model,
    get_asset_key_for_source,
)

from .jaffle_defs import daily_assets, jaffle_assets, raw_orders_asset

K = hw.AssetKey


def _rows(project: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(project / "jaffle.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_specs_follow_the_manifest(jaffle: Path) -> None:
    defs = jaffle_assets(jaffle)
    specs = {s.key: s for s in defs.specs}
    assert set(specs) == {
        K("raw_customers"),
        K("stg_orders"),
        K("customers"),
        K("daily_revenue"),
        K("customers_snapshot"),
    }
    stg = specs[K("stg_orders")]
    assert stg.group_name == "staging_models"
    assert stg.owners == ["team:analytics", "data@example.com"]
    assert stg.tags["staging"] == ""
    assert stg.kinds == {"dbt", "duckdb"}
    assert stg.description is not None and stg.description.startswith("Orders, typed.")
    assert "Raw SQL" in stg.description
    assert stg.code_version and len(stg.code_version) == 64
    # a model depends on the Headwater asset behind its source (meta.dagster.asset_key) ...
    assert {d.asset_key for d in stg.deps} == {K("raw_orders")}
    # ... and on the models and seeds it refs
    assert {d.asset_key for d in specs[K("customers")].deps} == {K("raw_customers"), K("stg_orders")}
    checks = {c.key.name: c.asset_key for c in defs.check_specs}
    assert checks == {
        "unique_stg_orders_order_id": K("stg_orders"),
        "not_null_stg_orders_order_id": K("stg_orders"),
        "not_null_stg_orders_amount": K("stg_orders"),
        "assert_amounts_positive": K("stg_orders"),  # a singular test on one model
        "unique_customers_customer_id": K("customers"),
        "not_null_customers_customer_id": K("customers"),
    }
    assert get_asset_key_for_model([defs], "customers") == K("customers")
    assert get_asset_key_for_source([defs], "headwater") == K("raw_orders")


def test_select_exclude_and_translator(jaffle: Path) -> None:
    class Prefixed(DagsterDbtTranslator):
        def get_asset_key(self, dbt_resource_props):  # type: ignore[no-untyped-def]
            return super().get_asset_key(dbt_resource_props).with_prefix("wh")

        def get_group_name(self, dbt_resource_props):  # type: ignore[no-untyped-def]
            return "warehouse"

    defs = jaffle_assets(
        jaffle,
        select="+customers",
        exclude="resource_type:seed",
        dagster_dbt_translator=Prefixed(DagsterDbtTranslatorSettings(enable_asset_checks=False)),
    )
    assert defs.keys == {K(["wh", "stg_orders"]), K(["wh", "customers"])}
    assert {s.group_name for s in defs.specs} == {"warehouse"}
    assert defs.check_specs == []
    with pytest.raises(hw.errors.InvalidDefinitionError, match="selects no model"):
        jaffle_assets(jaffle, select="tag:nothing_has_this")
    with pytest.raises(DagsterDbtError, match="enable_code_references=True"):
        DagsterDbtTranslatorSettings(enable_code_references=True)


def test_build_materializes_and_reports_checks(jaffle: Path) -> None:
    dbt_defs = jaffle_assets(jaffle)
    result = hw.materialize(
        [raw_orders_asset(), dbt_defs], resources={"dbt": DbtCliResource(project_dir=jaffle)}
    )
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized >= {
        K("raw_orders"),
        K("stg_orders"),
        K("customers"),
        K("raw_customers"),
        K("customers_snapshot"),
    }
    evaluations = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert evaluations["assert_amounts_positive"] is True
    assert len(evaluations) == 6 and all(evaluations.values())
    assert _rows(jaffle, "select count(*) from customers") == [(3,)]
    stg = next(e for e in result.get_asset_materialization_events() if e.asset_key == K("stg_orders"))
    assert stg.materialization.metadata["unique_id"].value == "model.jaffle.stg_orders"


def test_failing_dbt_test_is_a_failed_check(jaffle: Path) -> None:
    result = hw.materialize(
        [raw_orders_asset(), jaffle_assets(jaffle)],
        resources={"dbt": DbtCliResource(project_dir=jaffle)},
        run_config={"ops": {"raw_orders": {"config": {"negative": True}}}},
        raise_on_error=False,
    )
    assert not result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    failed = evaluations["assert_amounts_positive"]
    assert failed.passed is False and failed.asset_key == K("stg_orders")
    assert failed.metadata["dagster_dbt/failed_row_count"].value == 1
    assert evaluations["not_null_stg_orders_order_id"].passed is True
    # stg_orders was built before its test failed; customers (downstream of the failure) was skipped by dbt
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert K("stg_orders") in materialized and K("customers") not in materialized
    failure = result.failure_data_for_node("jaffle_dbt")
    assert failure is not None and "assert_amounts_positive" in str(failure)


def test_subset_runs_exactly_the_selected_models(jaffle: Path) -> None:
    resources = {"dbt": DbtCliResource(project_dir=jaffle)}
    dbt_defs = jaffle_assets(jaffle)
    assert hw.materialize([raw_orders_asset(), dbt_defs], resources=resources).success
    con = duckdb.connect(str(jaffle / "jaffle.duckdb"))
    con.execute("drop table customers")
    con.execute("insert into stg_orders values (99, 1, date '2026-11-09', 1.0)")
    con.close()
    result = hw.materialize([raw_orders_asset(), dbt_defs], resources=resources, selection=[K("customers")])
    assert result.success
    assert {e.asset_key for e in result.get_asset_materialization_events()} == {K("customers")}
    # customers was rebuilt from stg_orders, which was not rebuilt (it still holds the extra row)
    assert _rows(jaffle, "select count(*) from stg_orders") == [(4,)]
    assert _rows(jaffle, "select sum(orders) from customers") == [(4,)]
    assert {e.check_name for e in result.get_asset_check_evaluations()} == {
        "unique_customers_customer_id",
        "not_null_customers_customer_id",
    }


def test_partitioned_dbt_assets_pass_the_time_window_as_vars(jaffle: Path) -> None:
    resources = {"dbt": DbtCliResource(project_dir=jaffle)}
    assert hw.materialize(
        [raw_orders_asset(), jaffle_assets(jaffle, exclude="tag:daily")], resources=resources
    ).success
    daily = daily_assets(jaffle)
    assert daily.keys == {K("daily_revenue")}
    result = hw.materialize([daily], resources=resources, partition_key="2026-11-02")
    assert result.success
    assert [e.partition for e in result.get_asset_materialization_events()] == ["2026-11-02"]
    assert _rows(jaffle, "select cast(day as varchar), revenue from daily_revenue") == [("2026-11-02", 25.5)]


def test_cli_outside_assets_and_artifacts(jaffle: Path) -> None:
    dbt = DbtCliResource(project_dir=str(jaffle))
    invocation = dbt.cli(["seed"]).wait()
    assert invocation.is_successful()
    results = invocation.get_artifact("run_results.json")["results"]
    assert [r["unique_id"] for r in results] == ["seed.jaffle.raw_customers"]
    with pytest.raises(DbtCliRuntimeError, match="exit code"):
        dbt.cli(["run", "--select", "stg_orders"]).wait()  # its source table does not exist yet


def test_a_reader_that_stops_early_stops_dbt(jaffle: Path) -> None:
    invocation = DbtCliResource(project_dir=str(jaffle)).cli(["build"])
    events = invocation.stream_raw_events()
    assert next(events).event_name  # dbt has started and logged its first line
    events.close()
    assert invocation.process.returncode not in (None, 0)
