"""The freshness check factories, run as ordinary checks on a real (in-memory SQLite) instance whose
clock is a FakeClock: pass and fail at the boundaries, cron deadlines in a time zone across a
daylight-saving change, observations, and time-partitioned assets missing their latest partition."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import headwater as hw
from headwater.instance import Instance
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock

H = 3600.0
NY = "America/New_York"


def _at(year: int, month: int, day: int, hour: int, minute: int = 0, tz: str = "UTC") -> float:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz) if tz != "UTC" else UTC).timestamp()


@hw.asset
def table() -> int:
    return 1


daily = hw.DailyPartitionsDefinition(start_date="2026-02-01")


@hw.asset(partitions_def=daily)
def events() -> int:
    return 1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(_at(2026, 3, 2, 12))


@pytest.fixture
def instance(clock: FakeClock) -> Instance:
    return Instance(SqlStorage.in_memory(clock=clock))


def _run_checks(instance: Instance, assets: Sequence[Any], checks: Sequence[Any]) -> dict[str, Any]:
    """Run only the checks (a checks-only run); their evaluations by asset."""
    result = hw.materialize(
        [*assets, *checks], instance=instance, selection=hw.AssetSelection.checks(*checks)
    )
    return {e.asset_key.to_user_string(): e for e in result.get_asset_check_evaluations()}


def _meta(evaluation: Any) -> dict[str, Any]:
    return {k: getattr(v, "value", getattr(v, "data", v)) for k, v in evaluation.metadata.items()}


def test_last_update_without_a_deadline_passes_until_lower_bound_delta_has_passed(
    instance: Instance, clock: FakeClock
) -> None:
    checks = hw.build_last_update_freshness_checks(assets=[table], lower_bound_delta=timedelta(hours=1))
    assert [s.name for s in checks[0].check_specs] == ["freshness_check"]
    never = _run_checks(instance, [table], checks)["table"]
    assert (never.passed, never.description) == (False, "Asset has never been observed/materialized.")
    assert never.severity is hw.AssetCheckSeverity.WARN
    updated = clock()
    hw.materialize([table], instance=instance)
    clock.advance(H)  # exactly lower_bound_delta later: still fresh (>=)
    fresh = _run_checks(instance, [table], checks)["table"]
    assert fresh.passed
    assert fresh.description == (
        "Asset is currently fresh. The last update was 1 hour ago, within the allowed time range of 1 hour."
    )
    assert _meta(fresh) == {
        "dagster/freshness_params": {"timezone": "UTC", "lower_bound_delta_seconds": 3600.0},
        "dagster/freshness_lower_bound_timestamp": updated,
        "dagster/fresh_until_timestamp": updated + H,
        "dagster/last_updated_timestamp": updated,
    }
    clock.advance(1)
    overdue = _run_checks(instance, [table], checks)["table"]
    assert not overdue.passed
    assert overdue.description == (
        "Asset is overdue for an update. The last update was 1 hour, 1 second ago, which is past the allowed "
        "distance of 1 hour ago."
    )
    assert "dagster/fresh_until_timestamp" not in _meta(overdue)
    assert _meta(overdue)["dagster/freshness_lower_bound_timestamp"] == updated + 1


def test_a_deadline_cron_in_new_york_across_the_spring_change(instance: Instance, clock: FakeClock) -> None:
    """Expected between 08:15 and 09:00 New York time; 2026-03-08 is the day clocks go forward."""
    checks = hw.build_last_update_freshness_checks(
        assets=[table],
        lower_bound_delta=timedelta(minutes=45),
        deadline_cron="0 9 * * *",
        timezone=NY,
        severity=hw.AssetCheckSeverity.ERROR,
    )
    clock.set(_at(2026, 3, 7, 8, 30, NY))  # 13:30 UTC (winter, UTC-5)
    hw.materialize([table], instance=instance)
    clock.set(_at(2026, 3, 7, 9, 0, NY))
    first = _run_checks(instance, [table], checks)["table"]
    assert first.passed and first.severity is hw.AssetCheckSeverity.ERROR
    assert _meta(first)["dagster/latest_cron_tick_timestamp"] == _at(2026, 3, 7, 14, 0)
    assert _meta(first)["dagster/fresh_until_timestamp"] == _at(
        2026, 3, 7, 14, 0
    )  # Dagster: next tick >= now
    assert _meta(first)["dagster/freshness_params"]["deadline_cron"] == "0 9 * * *"
    # The next deadline is 09:00 summer time: 13:00 UTC, an hour earlier in UTC than the day before.
    clock.set(_at(2026, 3, 8, 12, 59))
    assert _run_checks(instance, [table], checks)["table"].passed  # still the 7th's deadline
    clock.set(_at(2026, 3, 8, 13, 0))
    late = _run_checks(instance, [table], checks)["table"]
    assert not late.passed
    assert _meta(late)["dagster/freshness_lower_bound_timestamp"] == _at(2026, 3, 8, 12, 15)
    clock.set(_at(2026, 3, 8, 13, 5))
    hw.materialize([table], instance=instance)  # late, but a materialization after the window's start
    back = _run_checks(instance, [table], checks)["table"]
    assert back.passed and _meta(back)["dagster/fresh_until_timestamp"] == _at(2026, 3, 9, 9, 0, NY)


def test_an_observation_counts_with_its_last_updated_timestamp(instance: Instance, clock: FakeClock) -> None:
    source = hw.AssetSpec("source")
    checks = hw.build_last_update_freshness_checks(assets=["source"], lower_bound_delta=timedelta(hours=3))
    instance.report_runless_asset_event(hw.AssetObservation("source"))  # no timestamp: does not count
    result = _run_checks(instance, [source], checks)["source"]
    assert (result.passed, result.description) == (False, "Asset has never been observed/materialized.")
    instance.report_runless_asset_event(
        hw.AssetObservation(
            "source", metadata={"dagster/last_updated_timestamp": hw.MetadataValue.timestamp(clock() - 2 * H)}
        )
    )
    result = _run_checks(instance, [source], checks)["source"]
    assert result.passed and _meta(result)["dagster/last_updated_timestamp"] == clock() - 2 * H
    clock.advance(H + 1)
    assert not _run_checks(instance, [source], checks)["source"].passed


def test_time_partition_check_wants_the_latest_completed_partition(
    instance: Instance, clock: FakeClock
) -> None:
    checks = hw.build_time_partition_freshness_checks(assets=[events], deadline_cron="0 9 * * *")
    clock.set(_at(2026, 3, 3, 8, 59))  # before today's deadline: yesterday's, for the partition of the 1st
    never = _run_checks(instance, [events], checks)["events"]
    assert (never.passed, never.description) == (
        False,
        "The asset has never been observed/materialized. We currently expect partition 2026-03-01 to have "
        "arrived.",
    )
    hw.materialize([events], instance=instance, partition_key="2026-03-01")
    assert _run_checks(instance, [events], checks)["events"].passed
    clock.set(_at(2026, 3, 3, 9, 0))  # today's deadline: the partition of the 2nd is due, and missing
    missing = _run_checks(instance, [events], checks)["events"]
    assert not missing.passed
    assert (
        missing.description
        == "Asset is overdue. We expected partition 2026-03-02 to have arrived, and it has not."
    )
    assert _meta(missing)["dagster/last_updated_timestamp"] == _at(2026, 3, 3, 8, 59)
    assert _meta(missing)["dagster/latest_cron_tick_timestamp"] == _at(2026, 3, 3, 9, 0)
    hw.materialize([events], instance=instance, partition_key="2026-03-02")
    arrived = _run_checks(instance, [events], checks)["events"]
    assert arrived.passed
    assert (
        arrived.description
        == "Asset is currently fresh, since partition 2026-03-02 has been observed/materialized."
    )
    assert _meta(arrived)["dagster/fresh_until_timestamp"] == _at(2026, 3, 3, 9, 0)


def test_time_partition_check_of_an_unpartitioned_asset_says_what_to_use(instance: Instance) -> None:
    checks = hw.build_time_partition_freshness_checks(assets=[table], deadline_cron="0 9 * * *")
    result = hw.materialize(
        [table, *checks], instance=instance, selection=hw.AssetSelection.checks(*checks), raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "Use build_last_update_freshness_checks" in failure.event_specific_data.error.message


def test_factory_arguments_and_names_follow_dagster() -> None:
    @hw.asset(key=["x", "b"])
    def b() -> int:
        return 1

    checks = hw.build_last_update_freshness_checks(assets=["a", b], lower_bound_delta=timedelta(hours=1))
    assert checks[0].node_def.name == "freshness_check_db6f9abd"  # Dagster's name for these keys
    assert {k.to_user_string() for k in checks[0].check_keys} == {"a:freshness_check", "x/b:freshness_check"}
    with pytest.raises(hw.InvalidDefinitionError, match="found duplicate assets"):
        hw.build_last_update_freshness_checks(assets=["a", "a"], lower_bound_delta=timedelta(hours=1))
    with pytest.raises(hw.InvalidDefinitionError, match="invalid cron string"):
        hw.build_time_partition_freshness_checks(assets=["a"], deadline_cron="every day")
    with pytest.raises(hw.InvalidDefinitionError, match="Unknown time zone 'Mars/Base'"):
        hw.build_last_update_freshness_checks(
            assets=["a"], lower_bound_delta=timedelta(hours=1), timezone="Mars/Base"
        )
