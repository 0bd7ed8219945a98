"""More asset checks: @multi_asset_check, checks-only jobs and selections, build_asset_check_context,
additional_ins, and the table-metadata check builders."""

import dagster as dg
from _report import show_error, show_run


@dg.asset
def orders() -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": 12,
            "dagster/column_schema": dg.TableSchema(
                columns=[dg.TableColumn("id", "int"), dg.TableColumn("amount", "float")]
            ),
        }
    )


@dg.asset
def customers() -> int:
    return 4


@dg.asset
def regions() -> list[str]:
    return ["eu", "us"]


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec("has_rows", asset="orders"),
        dg.AssetCheckSpec("few_customers", asset="customers", blocking=True),
    ]
)
def two_checks():
    yield dg.AssetCheckResult(asset_key="orders", check_name="has_rows", passed=True)
    yield dg.AssetCheckResult(
        asset_key="customers",
        check_name="few_customers",
        passed=False,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"n": 4},
    )


@dg.asset_check(asset=customers, additional_ins={"r": dg.AssetIn("regions")}, additional_deps=["orders"])
def customers_vs_regions(customers: int, r: list[str]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=customers >= len(r), description="a customer per region")


row_bounds = dg.build_metadata_bounds_checks(
    assets=[orders], metadata_key="dagster/row_count", min_value=1, max_value=10
)
schema_checks = dg.build_column_schema_change_checks(assets=[orders])


def show_checks(result) -> None:
    evaluations = result.get_asset_check_evaluations()
    for ev in sorted(evaluations, key=lambda e: (e.asset_key.to_user_string(), e.check_name)):
        key = f"{ev.asset_key.to_user_string()}:{ev.check_name}"
        meta = {k: v.value for k, v in sorted(ev.metadata.items()) if not isinstance(v.value, dg.TableSchema)}
        print(f"  check {key} passed={ev.passed} severity={ev.severity.value} meta={meta}")
        print(f"    description={ev.description!r}")


print("row_bounds keys:", sorted(k.name for d in row_bounds for k in d.check_keys))
print("schema keys:", sorted(k.name for d in schema_checks for k in d.check_keys))
print("two_checks keys:", sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in two_checks.check_keys))

instance = dg.DagsterInstance.ephemeral()
everything = [orders, customers, regions, two_checks, customers_vs_regions, *row_bounds, *schema_checks]
result = dg.materialize(everything, instance=instance)
show_run("all", result)
show_checks(result)


# a second materialization with a changed schema: the schema check sees the change
@dg.asset(name="orders")
def orders_v2() -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": 5,
            "dagster/column_schema": dg.TableSchema(
                columns=[dg.TableColumn("id", "string"), dg.TableColumn("total", "float")]
            ),
        }
    )


result = dg.materialize([orders_v2, *row_bounds, *schema_checks], instance=instance)
show_run("changed", result)
show_checks(result)

# checks only: a job of checks, and a selection of the checks of an asset
defs = dg.Definitions(
    assets=[orders, customers, regions],
    asset_checks=[customers_vs_regions, *row_bounds],
    jobs=[
        dg.define_asset_job("checks_only", selection=dg.AssetSelection.checks_for_assets(customers)),
        dg.define_asset_job("orders_checks", selection=dg.AssetSelection.checks_for_assets("orders")),
    ],
)
result = defs.get_job_def("checks_only").execute_in_process(instance=instance)
show_run("checks_only", result)
show_checks(result)
result = defs.get_job_def("orders_checks").execute_in_process(instance=instance)
show_run("orders_checks", result)
show_checks(result)
show_error(
    "selecting one check of an unsubsettable multi_asset_check",
    lambda: dg.Definitions(
        assets=[orders, customers],
        asset_checks=[two_checks],
        jobs=[dg.define_asset_job("j", selection=dg.AssetSelection.checks_for_assets(customers))],
    ).get_job_def("j"),
)
result = dg.materialize(
    [orders, customers, regions, customers_vs_regions],
    instance=instance,
    selection=dg.AssetSelection.checks(customers_vs_regions),
)
show_run("materialize checks only", result)
show_checks(result)

# build_asset_check_context and direct invocation
ctx = dg.build_asset_check_context()
print("direct:", customers_vs_regions(customers=3, r=["a"]).passed)
print("context is an AssetCheckExecutionContext:", isinstance(ctx, dg.AssetCheckExecutionContext))


@dg.asset_check(asset=customers)
def uses_context(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True, metadata={"key": context.check_specs[0].key.name})


print("with context:", uses_context(dg.build_asset_check_context()).metadata["key"].value)

show_error(
    "multi check yields an unknown check",
    lambda: dg.materialize(
        [
            orders,
            customers,
            dg.multi_asset_check(specs=[dg.AssetCheckSpec("a", asset="orders")])(
                lambda: (yield dg.AssetCheckResult(asset_key="orders", check_name="b", passed=True))
            ),
        ]
    ),
)
