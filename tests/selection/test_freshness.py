"""Freshness policies: how they are built, checked, carried in specs and evaluated at boundaries
(Dagster's rules), cron deadlines across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import headwater as hw
from headwater.core import codec
from headwater.selection.freshness import (
    freshness_state,
    latest_completed_tick,
    next_tick,
    seconds_in_words,
    smallest_cron_interval,
)
from headwater.specs.asset_graph import AssetNodeSpec
from headwater.specs.freshness import FreshnessPolicy, FreshnessState, LegacyFreshnessPolicy

H = 3600.0
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC).timestamp()
PASS, WARN, FAIL, UNKNOWN = (
    FreshnessState.PASS,
    FreshnessState.WARN,
    FreshnessState.FAIL,
    FreshnessState.UNKNOWN,
)


def _at(year: int, month: int, day: int, hour: int, minute: int = 0, tz: str = "UTC") -> float:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).timestamp()


def test_time_window_boundaries() -> None:
    policy = FreshnessPolicy.time_window(fail_window=timedelta(hours=2), warn_window=timedelta(hours=1))
    assert freshness_state(policy, None, T0) is UNKNOWN
    assert freshness_state(policy, T0, T0 + H - 1) is PASS
    assert freshness_state(policy, T0, T0 + H) is WARN  # at the warn window: WARN, as Dagster (>=)
    assert freshness_state(policy, T0, T0 + 2 * H - 1) is WARN
    assert freshness_state(policy, T0, T0 + 2 * H) is FAIL
    no_warn = FreshnessPolicy.time_window(fail_window=timedelta(hours=2))
    assert freshness_state(no_warn, T0, T0 + 2 * H - 1) is PASS
    assert freshness_state(None, T0, T0) is FreshnessState.NOT_APPLICABLE


def test_cron_window_is_the_latest_completed_tick() -> None:
    # Expected between 08:00 and 09:00 every day.
    policy = FreshnessPolicy.cron(deadline_cron="0 9 * * *", lower_bound_delta=timedelta(hours=1))
    on_time = _at(2026, 3, 2, 8, 30)
    assert freshness_state(policy, on_time, _at(2026, 3, 2, 9)) is PASS
    assert freshness_state(policy, on_time, _at(2026, 3, 3, 8, 59)) is PASS  # still yesterday's window
    assert freshness_state(policy, on_time, _at(2026, 3, 3, 9)) is FAIL  # today's deadline passed
    early = _at(2026, 3, 2, 7, 59)
    assert freshness_state(policy, early, _at(2026, 3, 2, 9)) is FAIL
    assert freshness_state(policy, _at(2026, 3, 2, 8), _at(2026, 3, 2, 9)) is PASS  # the window's start
    late = _at(2026, 3, 2, 9, 30)
    assert freshness_state(policy, _at(2026, 3, 1, 8, 30), _at(2026, 3, 2, 9, 29)) is FAIL  # late...
    assert freshness_state(policy, late, _at(2026, 3, 2, 9, 30)) is PASS  # ...until it lands


def test_cron_deadline_in_a_timezone_across_dst() -> None:
    """09:00 New York is 14:00 UTC in winter and 13:00 UTC after the spring change (2026-03-08)."""
    ny = "America/New_York"
    policy = FreshnessPolicy.cron(
        deadline_cron="0 9 * * *", lower_bound_delta=timedelta(hours=1), timezone=ny
    )
    assert latest_completed_tick("0 9 * * *", ny, _at(2026, 3, 7, 14, 0, "UTC")) == _at(2026, 3, 7, 9, 0, ny)
    assert latest_completed_tick("0 9 * * *", ny, _at(2026, 3, 8, 13, 30, "UTC")) == _at(2026, 3, 8, 9, 0, ny)
    assert _at(2026, 3, 8, 9, 0, ny) == _at(2026, 3, 8, 13, 0, "UTC")
    assert next_tick("0 9 * * *", ny, _at(2026, 3, 7, 14, 1, "UTC")) == _at(2026, 3, 8, 13, 0, "UTC")
    # Materialized at 08:15 New York time on the day of the change: fresh from its 09:00 deadline on...
    mat = _at(2026, 3, 8, 8, 15, ny)
    assert freshness_state(policy, mat, _at(2026, 3, 8, 13, 0, "UTC")) is PASS
    # ...the window is [08:00, 09:00] New York summer time, i.e. [12:00, 13:00] UTC that day (a fixed
    # winter offset would put it at [13:00, 14:00] UTC and still look at the day before at 13:00 UTC).
    assert freshness_state(policy, _at(2026, 3, 8, 12, 0, "UTC"), _at(2026, 3, 8, 13, 0, "UTC")) is PASS
    assert freshness_state(policy, _at(2026, 3, 8, 11, 59, "UTC"), _at(2026, 3, 8, 13, 0, "UTC")) is FAIL
    # Autumn (2026-11-01): 09:00 local is 14:00 UTC again.
    assert latest_completed_tick("0 9 * * *", ny, _at(2026, 11, 1, 13, 59, "UTC")) == _at(
        2026, 10, 31, 9, 0, ny
    )
    assert latest_completed_tick("0 9 * * *", ny, _at(2026, 11, 1, 14, 0, "UTC")) == _at(
        2026, 11, 1, 9, 0, ny
    )


def test_policies_are_checked_when_built() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError, match="fail_window must be a timedelta of at least 1 minute"
    ):
        FreshnessPolicy.time_window(fail_window=timedelta(seconds=30))
    with pytest.raises(hw.InvalidDefinitionError, match=r"warn_window .* must be less than fail_window"):
        FreshnessPolicy.time_window(fail_window=timedelta(hours=1), warn_window=timedelta(hours=1))
    with pytest.raises(hw.InvalidDefinitionError, match="invalid cron string 'nope'"):
        FreshnessPolicy.cron(deadline_cron="nope", lower_bound_delta=timedelta(hours=1))
    with pytest.raises(hw.InvalidDefinitionError, match="invalid IANA timezone 'Mars/Base'"):
        FreshnessPolicy.cron(
            deadline_cron="0 9 * * *", lower_bound_delta=timedelta(hours=1), timezone="Mars/Base"
        )
    with pytest.raises(hw.InvalidDefinitionError, match="lower_bound_delta must be a timedelta of at least"):
        FreshnessPolicy.cron(deadline_cron="0 9 * * *", lower_bound_delta=timedelta(seconds=59))
    with pytest.raises(hw.InvalidDefinitionError, match="cron_schedule_timezone without a cron_schedule"):
        LegacyFreshnessPolicy(maximum_lag_minutes=5, cron_schedule_timezone="UTC")
    with pytest.raises(hw.InvalidDefinitionError, match="Invalid cron schedule 'x'"):
        LegacyFreshnessPolicy(maximum_lag_minutes=5, cron_schedule="x")
    assert smallest_cron_interval("0 9 * * *") == 86400
    assert smallest_cron_interval("0 9,10 * * 1-5") == 3600


def test_policies_ride_in_the_asset_spec() -> None:
    time_window = FreshnessPolicy.time_window(fail_window=timedelta(hours=2), warn_window=timedelta(hours=1))
    cron = FreshnessPolicy.cron(
        deadline_cron="0 9 * * *", lower_bound_delta=timedelta(minutes=45), timezone="Europe/Paris"
    )
    legacy = LegacyFreshnessPolicy(maximum_lag_minutes=30, cron_schedule="0 * * * *")

    @hw.asset(freshness_policy=time_window)
    def a() -> int:
        return 1

    @hw.asset(freshness_policy=cron, legacy_freshness_policy=legacy)
    def b() -> int:
        return 1

    @hw.multi_asset(outs={"m1": hw.AssetOut(freshness_policy=cron), "m2": hw.AssetOut()})
    def pair() -> tuple[int, int]:
        return 1, 2

    external = hw.apply_freshness_policy(hw.AssetSpec("c"), time_window)
    kept = hw.apply_freshness_policy(external, cron, overwrite_existing=False)
    assert kept.freshness_policy == time_window
    graph = hw.Definitions(assets=[a, b, pair, external]).resolve_asset_graph()
    nodes = {k.to_user_string(): n for k, n in graph.nodes.items()}
    assert nodes["a"].freshness_policy == time_window and nodes["c"].freshness_policy == time_window
    assert nodes["b"].freshness_policy == cron and nodes["b"].legacy_freshness_policy == legacy
    assert nodes["m1"].freshness_policy == cron and nodes["m2"].freshness_policy is None
    for node in nodes.values():
        assert codec.decode(codec.encode(node), AssetNodeSpec) == node
    assert b'"kind":"cron"' in codec.encode(nodes["b"])
    assert legacy.maximum_lag_minutes == 30.0 and isinstance(legacy.maximum_lag_minutes, float)


def test_wrong_policies_name_the_asset() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError, match="Pass a LegacyFreshnessPolicy with legacy_freshness_policy="
    ):

        @hw.asset(freshness_policy=LegacyFreshnessPolicy(maximum_lag_minutes=5))  # type: ignore[arg-type]
        def a() -> int:
            return 1

    @hw.asset(
        freshness_policy=FreshnessPolicy.cron(deadline_cron="0 * * * *", lower_bound_delta=timedelta(hours=2))
    )
    def hourly() -> int:
        return 1

    with pytest.raises(hw.InvalidDefinitionError, match="Asset 'hourly': the lower_bound_delta of its Fresh"):
        hw.Definitions(assets=[hourly]).resolve_asset_graph()


def test_seconds_in_words() -> None:
    assert seconds_in_words(0) == "0 seconds"
    assert seconds_in_words(93784) == "1 day, 2 hours, 3 minutes, 4 seconds"
    assert seconds_in_words(3601) == "1 hour, 1 second"
