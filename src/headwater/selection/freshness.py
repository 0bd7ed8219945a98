"""Freshness, evaluated: where an asset stands against its ``FreshnessPolicy`` at ``now``, and the
deadlines the freshness checks measure against — pure, from specs and timestamps, so the definitions
(the checks), the webserver and the daemon share one implementation.

Dagster's rules:

* time window: ``now - last_materialization >= fail_window`` is FAIL, ``>= warn_window`` is WARN, else
  PASS;
* cron: the window ``[tick - lower_bound_delta, tick]`` of the latest tick of ``deadline_cron`` at or
  before ``now``; a materialization at or after its start is PASS, else FAIL;
* never materialized: UNKNOWN.
"""

from __future__ import annotations

import functools

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError
from headwater.selection.cron import cron_schedule
from headwater.specs.freshness import (
    AnyFreshnessPolicy,
    CronFreshnessPolicy,
    FreshnessState,
    TimeWindowFreshnessPolicy,
)

#: Ticks sampled to find the smallest interval of a cron (Dagster samples 1,000 ticks or 20 years).
_SAMPLED_TICKS = 1000
_SAMPLE_START = 1_704_067_200.0  # 2024-01-01T00:00:00Z: a fixed start keeps the check deterministic


def latest_completed_tick(cron: str, timezone: str, now: float) -> float:
    """The latest tick of ``cron`` at or before ``now`` (Dagster's ``get_latest_completed_cron_tick``)."""
    return cron_schedule(cron, timezone).prev_tick(now)


def next_tick(cron: str, timezone: str, now: float) -> float:
    """The first tick of ``cron`` at or after ``now`` (Dagster's ``get_next_cron_tick``)."""
    return cron_schedule(cron, timezone).next_tick(now)


@functools.lru_cache(maxsize=256)
def smallest_cron_interval(cron: str) -> float:
    """The smallest gap in seconds between two ticks of ``cron`` (in UTC, as Dagster measures it); tens
    of milliseconds for a daily cron, so kept per cron string."""
    ticks = cron_schedule(cron, "UTC").ticks_from(_SAMPLE_START)
    previous = next(ticks)
    smallest = float("inf")
    for _ in range(_SAMPLED_TICKS):
        tick = next(ticks)
        smallest = min(smallest, tick - previous)
        previous = tick
        if previous - _SAMPLE_START > 20 * 366 * 86400:
            break
    return smallest


def check_freshness_policy(policy: AnyFreshnessPolicy, key: AssetKey) -> None:
    """The part of a policy's validation that needs cron ticks: a cron policy's ``lower_bound_delta``
    must fit between two deadlines."""
    if isinstance(policy, CronFreshnessPolicy):
        interval = smallest_cron_interval(policy.deadline_cron)
        delta = policy.lower_bound_delta.total_seconds()
        if delta > interval:
            raise InvalidDefinitionError(
                f"Asset {key.to_user_string()!r}: the lower_bound_delta of its FreshnessPolicy.cron "
                f"({delta:g} seconds) is longer than the smallest interval between two ticks of "
                f"deadline_cron {policy.deadline_cron!r} ({interval:g} seconds). Shorten lower_bound_delta "
                "or make the deadlines further apart."
            )


def freshness_state(
    policy: AnyFreshnessPolicy | None, last_materialization: float | None, now: float
) -> FreshnessState:
    """Where an asset with ``policy``, last materialized at ``last_materialization`` (epoch seconds,
    None: never), stands at ``now``."""
    if policy is None:
        return FreshnessState.NOT_APPLICABLE
    if last_materialization is None:
        return FreshnessState.UNKNOWN
    if isinstance(policy, TimeWindowFreshnessPolicy):
        age = now - last_materialization
        if age >= policy.fail_window.total_seconds():
            return FreshnessState.FAIL
        if policy.warn_window is not None and age >= policy.warn_window.total_seconds():
            return FreshnessState.WARN
        return FreshnessState.PASS
    tick = latest_completed_tick(policy.deadline_cron, policy.timezone, now)
    window_start = tick - policy.lower_bound_delta.total_seconds()
    return FreshnessState.PASS if last_materialization >= window_start else FreshnessState.FAIL


def seconds_in_words(delta: float) -> str:
    """``93784`` → ``"1 day, 2 hours, 3 minutes, 4 seconds"`` (Dagster's wording in check descriptions)."""
    if delta == 0:
        return "0 seconds"
    parts = (
        (int(delta // 86400), "day"),
        (int(delta % 86400 // 3600), "hour"),
        (int(delta % 3600 // 60), "minute"),
        (int(delta % 60), "second"),
    )
    return ", ".join(f"{n} {unit}{'s' if n > 1 else ''}" for n, unit in parts if n > 0)


__all__ = [
    "check_freshness_policy",
    "freshness_state",
    "latest_completed_tick",
    "next_tick",
    "seconds_in_words",
    "smallest_cron_interval",
]
