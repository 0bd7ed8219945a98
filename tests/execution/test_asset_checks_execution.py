"""Running asset checks: results, evaluations, severities, and blocking checks (events as in Dagster 1.13)."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey


def step_types(result: Any, step: str) -> list[str]:
    return [e.event_type_value for e in result.all_events if e.step_key == step]


@hw.asset
def up() -> int:
    return 3


@hw.asset(check_specs=[hw.AssetCheckSpec("positive", asset="checked", blocking=True)])
def checked(up: int) -> Any:
    yield hw.Output(up)
    yield hw.AssetCheckResult(passed=False, metadata={"v": up})


@hw.asset
def after(checked: int) -> int:
    return checked + 1


@hw.asset
def base() -> int:
    return 10


@hw.asset_check(asset=base, blocking=True)
def base_check(base: int) -> hw.AssetCheckResult:
    return hw.AssetCheckResult(passed=base > 100, metadata={"val": base})


@hw.asset
def child(base: int) -> int:
    return base + 1


def test_blocking_check_in_check_specs_fails_the_step_after_materializing() -> None:
    result = hw.materialize_to_memory([up, checked, after], raise_on_error=False)
    assert not result.success
    assert step_types(result, "checked") == [
        "STEP_START",
        "LOADED_INPUT",
        "STEP_INPUT",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "HANDLED_OUTPUT",
        "STEP_OUTPUT",
        "ASSET_CHECK_EVALUATION",
        "STEP_FAILURE",
    ]
    assert step_types(result, "after") == []
    (evaluation,) = result.get_asset_check_evaluations()
    assert (evaluation.asset_key, evaluation.check_name, evaluation.passed, evaluation.blocking) == (
        AssetKey("checked"),
        "positive",
        False,
        True,
    )
    assert evaluation.metadata["v"].value == 3


def test_blocking_check_in_check_specs_raises() -> None:
    with pytest.raises(
        hw.AssetCheckFailedError,
        match=r"^1 blocking asset check failed with ERROR severity:\nchecked: positive$",
    ):
        hw.materialize_to_memory([up, checked, after])


def test_separate_blocking_check_leaves_downstream_unrun() -> None:
    result = hw.materialize_to_memory([base, base_check, child], raise_on_error=False)
    assert not result.success
    assert step_types(result, "base") == [
        "STEP_START",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    assert step_types(result, "base_base_check") == [
        "STEP_START",
        "LOADED_INPUT",
        "STEP_INPUT",
        "STEP_OUTPUT",
        "ASSET_CHECK_EVALUATION",
        "STEP_FAILURE",
    ]
    assert step_types(result, "child") == []
    assert [(e.check_name, e.passed) for e in result.get_asset_check_evaluations()] == [("base_check", False)]
    with pytest.raises(
        hw.AssetCheckFailedError,
        match=r"^1 blocking asset check failed with ERROR severity:\nbase: base_check$",
    ):
        hw.materialize_to_memory([base, base_check, child])


def test_passing_blocking_check_lets_downstream_run() -> None:
    ok = hw.asset_check(asset=base, blocking=True, name="ok")(lambda base: hw.AssetCheckResult(passed=True))
    result = hw.materialize_to_memory([base, ok, child])
    assert result.asset_value("child") == 11
    order = [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]
    assert order.index("base_ok") < order.index("child")


def test_non_blocking_warning_check() -> None:
    @hw.asset_check(asset=base)
    def warns(base: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=False, severity=hw.AssetCheckSeverity.WARN, description="d")

    result = hw.materialize_to_memory([base, warns, child])
    assert result.success and result.asset_value("child") == 11
    (evaluation,) = result.get_asset_check_evaluations()
    assert (evaluation.severity, evaluation.description, evaluation.passed) == (
        hw.AssetCheckSeverity.WARN,
        "d",
        False,
    )
    assert step_types(result, "base_warns") == [
        "STEP_START",
        "LOADED_INPUT",
        "STEP_INPUT",
        "STEP_OUTPUT",
        "ASSET_CHECK_EVALUATION",
        "STEP_SUCCESS",
    ]


def test_check_without_parameter_and_check_only_selections() -> None:
    @hw.asset_check(asset="base")
    def bare() -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=True)

    result = hw.materialize_to_memory([base, bare])
    assert step_types(result, "base_bare") == [
        "STEP_START",
        "STEP_OUTPUT",
        "ASSET_CHECK_EVALUATION",
        "STEP_SUCCESS",
    ]
    only = hw.materialize_to_memory([base, bare], selection=hw.AssetSelection.checks_for_assets(base))
    assert {e.step_key for e in only.all_events if e.step_key} == {"base_bare"}
    none = hw.materialize_to_memory([base, bare], selection=hw.AssetSelection.assets(base).without_checks())
    assert none.get_asset_check_evaluations() == []


def test_materialize_result_carrying_check_results() -> None:
    @hw.asset(check_specs=[hw.AssetCheckSpec("c1", asset="mrc")])
    def mrc() -> hw.MaterializeResult:
        return hw.MaterializeResult(check_results=[hw.AssetCheckResult(passed=True)])

    result = hw.materialize_to_memory([mrc])
    assert step_types(result, "mrc") == [
        "STEP_START",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "STEP_OUTPUT",
        "ASSET_CHECK_EVALUATION",
        "STEP_SUCCESS",
    ]
    assert [(e.check_name, e.passed) for e in result.get_asset_check_evaluations()] == [("c1", True)]


def test_missing_check_result_fails_the_step() -> None:
    @hw.asset(check_specs=[hw.AssetCheckSpec("c1", asset="missing")])
    def missing() -> int:
        return 1

    result = hw.materialize_to_memory([missing], raise_on_error=False)
    assert not result.success
    assert step_types(result, "missing")[-1] == "STEP_FAILURE"


def test_asset_with_checks_cannot_be_selected_without_them() -> None:
    @hw.asset(check_specs=[hw.AssetCheckSpec("c1", asset="x")])
    def x() -> Any:
        yield hw.Output(1)
        yield hw.AssetCheckResult(passed=True)

    with pytest.raises(hw.InvalidDefinitionError, match=r"Failed to resolve asset job") as info:
        hw.materialize_to_memory([x], selection=hw.AssetSelection.assets(x).without_checks())
    assert isinstance(info.value.__cause__, hw.InvalidSubsetError)


def test_check_result_for_an_unknown_check() -> None:
    @hw.asset_check(asset=base)
    def confused() -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=True, check_name="other")

    with pytest.raises(hw.InvalidInvocationError, match=r"matches 0 of its checks"):
        hw.materialize_to_memory([base, confused])
