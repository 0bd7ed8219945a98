"""Freshness policies (Dagster's classes) as data the webserver and the daemon read from an asset's spec.

* ``FreshnessPolicy.time_window(fail_window=, warn_window=)``: the asset must have been materialized
  within ``fail_window`` (and is WARN past ``warn_window``);
* ``FreshnessPolicy.cron(deadline_cron=, lower_bound_delta=, timezone=)``: by each tick of
  ``deadline_cron``, the asset must have been materialized after ``tick - lower_bound_delta``;
* ``LegacyFreshnessPolicy(maximum_lag_minutes=, cron_schedule=, cron_schedule_timezone=)``: Dagster's
  older policy, carried and shown (``legacy_freshness_policy=`` on an asset) but not evaluated.

How a policy is evaluated against the asset index is ``selection.freshness`` (pure, no user code).
"""

from __future__ import annotations

import enum
import zoneinfo
from datetime import timedelta

import msgspec
from croniter import croniter

from headwater.errors import InvalidDefinitionError

_MINUTE = timedelta(minutes=1)

#: The name of the checks ``build_*_freshness_checks`` make (one per asset).
FRESHNESS_CHECK_NAME = "freshness_check"


class FreshnessState(enum.Enum):
    """Where an asset stands against its freshness policy (Dagster's enum)."""

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"  # never materialized: the state cannot be told
    NOT_APPLICABLE = "NOT_APPLICABLE"  # the asset has no freshness policy


def is_valid_cron(cron: str) -> bool:
    """A five-field cron string that croniter reads (what Dagster accepts for a deadline)."""
    return isinstance(cron, str) and len(cron.split()) == 5 and bool(croniter.is_valid(cron))


def check_timezone(name: str, what: str) -> None:
    if name in ("UTC", "utc"):
        return
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidDefinitionError(
            f"{what}: invalid IANA timezone {name!r}; use a name such as 'UTC' or 'America/New_York'."
        ) from None


class FreshnessPolicy(msgspec.Struct, frozen=True, omit_defaults=True, gc=False, tag_field="kind"):
    """Base of the freshness policies; build one with ``FreshnessPolicy.time_window(...)`` or
    ``FreshnessPolicy.cron(...)`` and attach it with ``@asset(freshness_policy=...)`` or
    ``AssetSpec(freshness_policy=...)``."""

    @staticmethod
    def time_window(
        fail_window: timedelta, warn_window: timedelta | None = None
    ) -> TimeWindowFreshnessPolicy:
        """The asset must be materialized at least every ``fail_window`` (WARN when older than
        ``warn_window``)."""
        return TimeWindowFreshnessPolicy.from_timedeltas(fail_window, warn_window)

    @staticmethod
    def cron(deadline_cron: str, lower_bound_delta: timedelta, timezone: str = "UTC") -> CronFreshnessPolicy:
        """By each tick of ``deadline_cron`` (in ``timezone``), the asset must have been materialized
        no earlier than ``lower_bound_delta`` before the tick."""
        return CronFreshnessPolicy(
            deadline_cron=deadline_cron, lower_bound_delta=lower_bound_delta, timezone=timezone
        )


class TimeWindowFreshnessPolicy(FreshnessPolicy, frozen=True, tag="time_window"):
    fail_window: timedelta
    warn_window: timedelta | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.fail_window, timedelta) or self.fail_window < _MINUTE:
            raise InvalidDefinitionError(
                f"FreshnessPolicy.time_window: fail_window must be a timedelta of at least 1 minute; got "
                f"{self.fail_window!r}."
            )
        warn = self.warn_window
        if warn is not None:
            if not isinstance(warn, timedelta) or warn < _MINUTE:
                raise InvalidDefinitionError(
                    f"FreshnessPolicy.time_window: warn_window must be a timedelta of at least 1 minute; got "
                    f"{warn!r}."
                )
            if warn >= self.fail_window:
                raise InvalidDefinitionError(
                    f"FreshnessPolicy.time_window: warn_window ({warn}) must be less than fail_window "
                    f"({self.fail_window})."
                )

    @classmethod
    def from_timedeltas(
        cls, fail_window: timedelta, warn_window: timedelta | None = None
    ) -> TimeWindowFreshnessPolicy:
        return cls(fail_window=fail_window, warn_window=warn_window or None)

    def __repr__(self) -> str:
        warn = f", warn_window={self.warn_window!r}" if self.warn_window is not None else ""
        return f"FreshnessPolicy.time_window(fail_window={self.fail_window!r}{warn})"


class CronFreshnessPolicy(FreshnessPolicy, frozen=True, tag="cron"):
    """``lower_bound_delta`` must also be at most the smallest interval between two ticks of
    ``deadline_cron``: that is checked when the definitions load (``selection.freshness``), naming the
    asset."""

    deadline_cron: str
    lower_bound_delta: timedelta
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        if not is_valid_cron(self.deadline_cron):
            raise InvalidDefinitionError(
                f"FreshnessPolicy.cron: invalid cron string {self.deadline_cron!r} for deadline_cron; "
                "expected 5 fields (minute hour day-of-month month day-of-week), e.g. '0 9 * * *'."
            )
        if not isinstance(self.lower_bound_delta, timedelta) or self.lower_bound_delta < _MINUTE:
            raise InvalidDefinitionError(
                "FreshnessPolicy.cron: lower_bound_delta must be a timedelta of at least 1 minute; got "
                f"{self.lower_bound_delta!r}."
            )
        check_timezone(self.timezone, "FreshnessPolicy.cron")

    def __repr__(self) -> str:
        return (
            f"FreshnessPolicy.cron(deadline_cron={self.deadline_cron!r}, "
            f"lower_bound_delta={self.lower_bound_delta!r}, timezone={self.timezone!r})"
        )


class LegacyFreshnessPolicy(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """Dagster's older policy: the asset's data should be at most ``maximum_lag_minutes`` old (at each
    tick of ``cron_schedule``, when given). Headwater carries and shows it; it does not evaluate it."""

    maximum_lag_minutes: float
    cron_schedule: str | None = None
    cron_schedule_timezone: str | None = None

    def __post_init__(self) -> None:
        lag = self.maximum_lag_minutes
        if isinstance(lag, bool) or not isinstance(lag, (int, float)):
            raise InvalidDefinitionError(
                f"LegacyFreshnessPolicy: maximum_lag_minutes must be a number; got {lag!r}."
            )
        msgspec.structs.force_setattr(self, "maximum_lag_minutes", float(lag))
        if self.cron_schedule is not None and not is_valid_cron(self.cron_schedule):
            raise InvalidDefinitionError(f"Invalid cron schedule '{self.cron_schedule}'.")
        if self.cron_schedule_timezone is not None:
            if self.cron_schedule is None:
                raise InvalidDefinitionError(
                    "LegacyFreshnessPolicy: cannot specify cron_schedule_timezone without a cron_schedule."
                )
            check_timezone(self.cron_schedule_timezone, "LegacyFreshnessPolicy")


#: What ``freshness_policy=`` holds on an asset's spec.
AnyFreshnessPolicy = TimeWindowFreshnessPolicy | CronFreshnessPolicy


__all__ = [
    "AnyFreshnessPolicy",
    "FRESHNESS_CHECK_NAME",
    "CronFreshnessPolicy",
    "FreshnessPolicy",
    "FreshnessState",
    "LegacyFreshnessPolicy",
    "TimeWindowFreshnessPolicy",
]
