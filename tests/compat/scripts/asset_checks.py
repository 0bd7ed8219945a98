"""Asset checks: @asset_check, check_specs on an asset, severities, blocking checks, failures."""

import dagster as dg
from _report import show_run


@dg.asset
def prices() -> list[float]:
    return [1.5, 2.0, -1.0]


@dg.asset_check(asset=prices)
def no_negative_prices(prices: list[float]) -> dg.AssetCheckResult:
    bad = [p for p in prices if p < 0]
    return dg.AssetCheckResult(passed=not bad, metadata={"bad_count": len(bad)})


@dg.asset_check(asset=prices, description="at least one row")
def not_empty(prices: list[float]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=len(prices) > 0)


@dg.asset_check(asset=prices)
def warn_only(prices: list[float]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)


@dg.asset(
    check_specs=[
        dg.AssetCheckSpec("positive_total", asset="orders"),
        dg.AssetCheckSpec("small", asset="orders"),
    ]
)
def orders(prices: list[float]):
    total = sum(prices)
    yield dg.Output(total)
    yield dg.AssetCheckResult(check_name="positive_total", passed=total > 0)
    yield dg.AssetCheckResult(check_name="small", passed=total < 1, metadata={"total": total})


def show_checks(result) -> None:
    evaluations = result.get_asset_check_evaluations()
    for ev in sorted(evaluations, key=lambda e: (e.asset_key.to_user_string(), e.check_name)):
        key = f"{ev.asset_key.to_user_string()}:{ev.check_name}"
        print(f"  check {key} passed={ev.passed} severity={ev.severity.value}")


result = dg.materialize([prices, orders, no_negative_prices, not_empty, warn_only])
show_run("checks", result)
show_checks(result)
print("orders =", result.output_for_node("orders"))
print("check keys:", sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in orders.check_keys))


# a blocking check that fails stops the downstream asset
@dg.asset
def raw() -> int:
    return -5


@dg.asset_check(asset=raw, blocking=True)
def raw_positive(raw: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=raw > 0)


@dg.asset
def downstream(raw: int) -> int:
    return raw * 2


blocked = dg.materialize([raw, raw_positive, downstream], raise_on_error=False)
show_run("blocking", blocked)
show_checks(blocked)
print("failed steps:", sorted(blocked.get_failed_step_keys()))


# a check whose function raises
@dg.asset_check(asset=raw)
def broken(raw: int) -> dg.AssetCheckResult:
    raise RuntimeError("boom")


errored = dg.materialize([raw, broken], raise_on_error=False)
show_run("check raises", errored)
