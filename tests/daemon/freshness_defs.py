"""A code location with a freshness check and its sensor (loaded by the run worker in
``test_freshness_sensor``)."""

from __future__ import annotations

from datetime import timedelta

import headwater as hw


@hw.asset(freshness_policy=hw.FreshnessPolicy.time_window(fail_window=timedelta(hours=1)))
def table() -> int:
    return 1


freshness_checks = hw.build_last_update_freshness_checks(assets=[table], lower_bound_delta=timedelta(hours=1))
freshness_sensor = hw.build_sensor_for_freshness_checks(
    freshness_checks=freshness_checks,
    minimum_interval_seconds=60,
    default_status=hw.DefaultSensorStatus.RUNNING,
)

defs = hw.Definitions(assets=[table], asset_checks=freshness_checks, sensors=[freshness_sensor])
