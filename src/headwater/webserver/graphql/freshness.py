"""An asset's freshness: its policies (from its spec) and where it stands now (evaluated from the asset
index and the storage's clock by ``selection.freshness``, the code the checks use too)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from headwater.selection.freshness import freshness_state
from headwater.specs.asset_graph import AssetNodeSpec
from headwater.specs.freshness import CronFreshnessPolicy as CronPolicySpec
from headwater.specs.freshness import LegacyFreshnessPolicy
from headwater.specs.freshness import TimeWindowFreshnessPolicy as TimeWindowPolicySpec
from headwater.webserver.context import RequestContext


@strawberry.enum(description="Where an asset stands against its freshness policy.")
class FreshnessState(Enum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"
    NOT_APPLICABLE = "NOT_APPLICABLE"


@strawberry.type(description="FreshnessPolicy.time_window: materialized at least every failWindowSeconds.")
class TimeWindowFreshnessPolicy:
    fail_window_seconds: int
    warn_window_seconds: int | None


@strawberry.type(
    description="FreshnessPolicy.cron: by each tick of deadlineCron, materialized after the tick minus "
    "lowerBoundDeltaSeconds."
)
class CronFreshnessPolicy:
    deadline_cron: str
    lower_bound_delta_seconds: int
    timezone: str


InternalFreshnessPolicy = Annotated[
    TimeWindowFreshnessPolicy | CronFreshnessPolicy, strawberry.union("InternalFreshnessPolicy")
]


@strawberry.type(description="A LegacyFreshnessPolicy (shown, not evaluated).")
class FreshnessPolicy:
    maximum_lag_minutes: float
    cron_schedule: str | None
    cron_schedule_timezone: str | None


@strawberry.type(description="Where the asset stands against its freshness policy, evaluated now.")
class FreshnessStatusInfo:
    freshness_status: FreshnessState
    last_materialized_timestamp: float | None
    evaluated_at: float


def internal_policy(spec: AssetNodeSpec) -> TimeWindowFreshnessPolicy | CronFreshnessPolicy | None:
    policy = spec.freshness_policy
    if isinstance(policy, TimeWindowPolicySpec):
        warn = policy.warn_window
        return TimeWindowFreshnessPolicy(
            fail_window_seconds=int(policy.fail_window.total_seconds()),
            warn_window_seconds=int(warn.total_seconds()) if warn is not None else None,
        )
    if isinstance(policy, CronPolicySpec):
        return CronFreshnessPolicy(
            deadline_cron=policy.deadline_cron,
            lower_bound_delta_seconds=int(policy.lower_bound_delta.total_seconds()),
            timezone=policy.timezone,
        )
    return None


def legacy_policy(policy: LegacyFreshnessPolicy | None) -> FreshnessPolicy | None:
    if policy is None:
        return None
    return FreshnessPolicy(
        maximum_lag_minutes=policy.maximum_lag_minutes,
        cron_schedule=policy.cron_schedule,
        cron_schedule_timezone=policy.cron_schedule_timezone,
    )


def status_info(ctx: RequestContext, spec: AssetNodeSpec) -> FreshnessStatusInfo:
    entry = ctx.asset_entry(spec.key) if spec.freshness_policy is not None else None
    record = entry.last_materialization_record if entry is not None else None
    last = record.timestamp if record is not None else None
    now = ctx.storage.clock()
    state = freshness_state(spec.freshness_policy, last, now)
    return FreshnessStatusInfo(
        freshness_status=FreshnessState(state.value), last_materialized_timestamp=last, evaluated_at=now
    )


__all__ = [
    "CronFreshnessPolicy",
    "FreshnessPolicy",
    "FreshnessState",
    "FreshnessStatusInfo",
    "InternalFreshnessPolicy",
    "TimeWindowFreshnessPolicy",
    "internal_policy",
    "legacy_policy",
    "status_info",
]
