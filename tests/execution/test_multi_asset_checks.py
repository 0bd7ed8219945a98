"""@multi_asset_check, checks-only runs, check history, build_asset_check_context and the table-metadata
check builders, on a persistent instance (SQLite file)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_check_key import AssetCheckKey


def _schema(**columns: str) -> hw.TableSchema:
    return hw.TableSchema(columns=[hw.TableColumn(n, t) for n, t in columns.items()])


def _table(rows: int, schema: hw.TableSchema) -> hw.AssetsDefinition:
    @hw.asset(name="table")
    def table() -> hw.MaterializeResult:
        return hw.MaterializeResult(metadata={"headwater/row_count": rows, "dagster/column_schema": schema})

    return table


@hw.asset
def other() -> int:
    return 1


@hw.multi_asset_check(
    specs=[hw.AssetCheckSpec("a", asset="table"), hw.AssetCheckSpec("b", asset="other")], can_subset=True
)
def pair(context: hw.AssetCheckExecutionContext) -> Iterator[hw.AssetCheckResult]:
    for spec in context.check_specs:
        yield hw.AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, passed=spec.name == "a")


def _evaluations(result: Any) -> dict[str, tuple[bool, str | None]]:
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": (e.passed, e.description)
        for e in result.get_asset_check_evaluations()
    }


def test_multi_asset_check_runs_only_the_selected_checks_when_it_can_subset() -> None:
    table = _table(3, _schema(id="int"))
    result = hw.materialize([table, other, pair], selection=hw.AssetSelection.checks_for_assets("other"))
    assert _evaluations(result) == {"other:b": (False, None)}
    assert {e.step_key for e in result.all_events if e.step_key} == {"pair"}


def test_an_unsubsettable_multi_asset_check_refuses_a_partial_selection() -> None:
    @hw.multi_asset_check(
        specs=[hw.AssetCheckSpec("a", asset="table"), hw.AssetCheckSpec("b", asset="other")]
    )
    def whole() -> Iterator[hw.AssetCheckResult]:
        yield hw.AssetCheckResult(asset_key="table", check_name="a", passed=True)
        yield hw.AssetCheckResult(asset_key="other", check_name="b", passed=True)

    defs = hw.Definitions(
        assets=[_table(1, _schema()), other],
        asset_checks=[whole],
        jobs=[hw.define_asset_job("j", selection=hw.AssetSelection.checks_for_assets("other"))],
    )
    with pytest.raises(hw.InvalidDefinitionError, match="Failed to resolve asset job j") as caught:
        defs.get_job_def("j")
    assert "does not support subsetting" in str(caught.value.__cause__)


def test_check_history_and_the_metadata_checks() -> None:
    bounds = hw.build_metadata_bounds_checks(
        assets=["table"], metadata_key="dagster/row_count", min_value=1, max_value=10
    )
    schema = hw.build_column_schema_change_checks(assets=["table"])
    with hw.Instance.ephemeral() as instance:
        first = hw.materialize(
            [_table(12, _schema(id="int", v="float")), *bounds, *schema], instance=instance
        )
        assert _evaluations(first) == {
            "table:dagster_row_count_bounds_check": (False, "Value `12` is greater than 10"),
            "table:column_schema_change": (True, "The asset has been materialized fewer than 2 times"),
        }
        second = hw.materialize([_table(5, _schema(id="str", w="int")), *bounds, *schema], instance=instance)
        evaluations = _evaluations(second)
        assert evaluations["table:dagster_row_count_bounds_check"] == (True, "Value `5` is within range")
        assert evaluations["table:column_schema_change"] == (
            False,
            "Column schema changed between previous and latest materialization.\n\nAdded columns: w\n\n"
            "Removed columns: v\n\nColumn type changes:\n- id: int -> str",
        )
        history = instance.get_asset_check_execution_history(
            AssetCheckKey(hw.AssetKey("table"), "column_schema_change"), limit=10
        )
        assert [r.run_id for r in history] == [second.run_id, first.run_id]


def test_bounds_need_a_bound() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="At least one of `min_value` or `max_value`"):
        hw.build_metadata_bounds_checks(assets=["t"], metadata_key="k")


def test_build_asset_check_context_binds_the_specs_on_a_direct_call() -> None:
    assert [s.name for s in hw.build_asset_check_context().check_specs] == []
    results = list(pair(hw.build_asset_check_context()))
    assert [(r.check_name, r.passed) for r in results] == [("a", True), ("b", False)]


def test_a_blocking_check_of_a_multi_check_stops_what_is_downstream_of_its_asset() -> None:
    @hw.asset
    def raw() -> int:
        return -1

    @hw.asset
    def cleaned(raw: int) -> int:
        return raw

    @hw.multi_asset_check(specs=[hw.AssetCheckSpec("positive", asset="raw", blocking=True)])
    def raw_checks(raw: int) -> Iterator[hw.AssetCheckResult]:
        yield hw.AssetCheckResult(asset_key="raw", check_name="positive", passed=raw > 0)

    result = hw.materialize_to_memory([raw, cleaned, raw_checks], raise_on_error=False)
    assert not result.success and result.is_node_untouched("cleaned")
    assert _evaluations(result) == {"raw:positive": (False, None)}


def test_a_multi_check_parameter_must_name_a_checked_or_declared_asset() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"loads \['zzz'\], which no spec checks"):

        @hw.multi_asset_check(specs=[hw.AssetCheckSpec("c", asset="raw")])
        def bad(zzz: int) -> Iterator[hw.AssetCheckResult]:
            yield hw.AssetCheckResult(asset_key="raw", check_name="c", passed=True)


def test_a_subset_sees_only_the_checks_of_its_selected_assets() -> None:
    seen: list[set[hw.AssetCheckKey]] = []

    @hw.multi_asset(
        specs=[hw.AssetSpec("a", skippable=True), hw.AssetSpec("b", skippable=True)],
        check_specs=[hw.AssetCheckSpec("ca", asset="a"), hw.AssetCheckSpec("cb", asset="b")],
        can_subset=True,
    )
    def ab(context: hw.AssetExecutionContext):  # type: ignore[no-untyped-def]
        seen.append(context.selected_asset_check_keys)
        for key in context.selected_asset_keys:
            yield hw.Output(None, output_name=key.to_python_identifier())
        for check in context.selected_asset_check_keys:
            yield hw.AssetCheckResult(passed=True, asset_key=check.asset_key, check_name=check.name)

    result = hw.materialize([ab], selection=[hw.AssetKey("b")])
    assert result.success
    assert seen == [{hw.AssetCheckKey(hw.AssetKey("b"), "cb")}]
    assert [e.check_name for e in result.get_asset_check_evaluations()] == ["cb"]
