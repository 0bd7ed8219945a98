"""``TimeWindowPartitionsDefinition`` and the hourly, daily, weekly and monthly ones (Dagster's names,
arguments and key formats). Keys and windows are computed from the spec
(``selection.time_window_keys``), DST-correct in the definition's time zone."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from headwater.core.partition_keys import PartitionKeyRange, TimeWindow
from headwater.definitions.partitions_definition import PartitionsDefinition, timestamp_of
from headwater.errors import InvalidDefinitionError
from headwater.selection.cron import get_timezone, is_valid_cron_schedule
from headwater.selection.partition_keys import DynamicPartitionsStore, TimeKeys
from headwater.selection.time_window_keys import parse_key
from headwater.specs.partitions import TimeWindowPartitionsSpec

DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_HOURLY_FORMAT_WITHOUT_TIMEZONE = "%Y-%m-%d-%H:%M"


class ScheduleType(enum.Enum):
    HOURLY = "HOURLY"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


def cron_schedule_from_schedule_type_and_offsets(
    schedule_type: ScheduleType, minute_offset: int, hour_offset: int, day_offset: int | None
) -> str:
    if schedule_type is ScheduleType.HOURLY:
        return f"{minute_offset} * * * *"
    if schedule_type is ScheduleType.DAILY:
        return f"{minute_offset} {hour_offset} * * *"
    if schedule_type is ScheduleType.WEEKLY:
        return f"{minute_offset} {hour_offset} * * {day_offset if day_offset is not None else 0}"
    return f"{minute_offset} {hour_offset} {day_offset if day_offset is not None else 1} * *"


class InvalidPartitionsArgumentError(InvalidDefinitionError, ValueError):
    """A start or end that does not match the format (also a ``ValueError``, as in Dagster)."""


def _timestamp(value: datetime | str | float, fmt: str, timezone: str, what: str) -> float:
    if isinstance(value, str):
        try:
            return parse_key(value, fmt, timezone)
        except ValueError:
            example = datetime(2024, 1, 1).strftime(fmt)
            raise InvalidPartitionsArgumentError(
                f"{what} {value!r} does not match the partitions' format {fmt!r}: pass a datetime or a "
                f"string like {example!r} (or set fmt=)."
            ) from None
    if isinstance(value, datetime):
        # As Dagster: the datetime is read in the definition's time zone, whatever its tzinfo.
        return value.replace(tzinfo=get_timezone(timezone)).timestamp()
    if isinstance(value, (int, float)):
        return float(value)
    raise InvalidDefinitionError(f"{what} must be a datetime or a str; got {value!r}.")


class TimeWindowPartitionsDefinition(PartitionsDefinition):
    """A partition per window between two ticks of ``cron_schedule``, from ``start`` up to ``end``
    (exclusive; without one, the last partition is the latest window that has ended, moved by
    ``end_offset``). A key is its window's start formatted with ``fmt``, in ``timezone``."""

    _spec: TimeWindowPartitionsSpec

    def __init__(
        self,
        start: datetime | str,
        fmt: str,
        end: datetime | str | None = None,
        schedule_type: ScheduleType | None = None,
        timezone: str | None = None,
        end_offset: int = 0,
        minute_offset: int | None = None,
        hour_offset: int | None = None,
        day_offset: int | None = None,
        cron_schedule: str | None = None,
        exclusions: Sequence[Any] | None = None,
    ) -> None:
        timezone = timezone or "UTC"
        if not isinstance(timezone, str):
            raise InvalidDefinitionError(f"timezone must be an IANA name (str); got {timezone!r}.")
        get_timezone(timezone)  # an unknown zone is an error here, naming it
        if exclusions:
            raise InvalidDefinitionError(
                "Headwater does not support exclusions= on time window partitions yet; leave them out."
            )
        if cron_schedule is not None:
            if schedule_type is not None or minute_offset or hour_offset or day_offset:
                raise InvalidDefinitionError(
                    "If cron_schedule argument is provided, then schedule_type, minute_offset, "
                    "hour_offset, and day_offset can't also be provided"
                )
        else:
            if schedule_type is None:
                raise InvalidDefinitionError("One of schedule_type and cron_schedule must be provided")
            cron_schedule = cron_schedule_from_schedule_type_and_offsets(
                schedule_type, minute_offset or 0, hour_offset or 0, day_offset or None
            )
        if not is_valid_cron_schedule(cron_schedule):
            raise InvalidDefinitionError(
                f"Found invalid cron schedule '{cron_schedule}' for a TimeWindowPartitionsDefinition."
            )
        start_ts = _timestamp(start, fmt, timezone, "start")
        end_ts = _timestamp(end, fmt, timezone, "end") if end else None
        if end_ts is not None and end_ts <= start_ts:
            raise InvalidDefinitionError(
                f"The end of time window partitions ({end!r}) is not after their start ({start!r}): "
                "there would be no partitions. Pass an end after the start, or no end."
            )
        if not isinstance(end_offset, int):
            raise InvalidDefinitionError(f"end_offset must be an int; got {end_offset!r}.")
        self._spec = TimeWindowPartitionsSpec(
            cron_schedule, start=start_ts, fmt=fmt, timezone=timezone, end=end_ts, end_offset=end_offset
        )
        self._check_granularity()

    def _check_granularity(self) -> None:
        windows = self._time_keys.windows
        first = windows.schedule.next_tick(self._spec.start)
        second = windows.schedule.next_tick(first, strict=True)
        if windows.key_of(first) == windows.key_of(second):
            raise InvalidDefinitionError(
                "This partition set contains multiple time ranges that map to the same partition key. "
                f"This usually indicates that the partition set's format string ({self.fmt}) is not "
                f"granular enough to produce a unique key for each time in the cron schedule "
                f"({self.cron_schedule})."
            )

    @property
    def _time_keys(self) -> TimeKeys:
        keys = self._keys
        assert isinstance(keys, TimeKeys)
        return keys

    def _now(self, current_time: datetime | float | None) -> float:
        return timestamp_of(current_time, self._spec.timezone)

    # -- attributes (Dagster's) ---------------------------------------------------------------------
    @property
    def timezone(self) -> str:
        return self._spec.timezone

    @property
    def fmt(self) -> str:
        return self._spec.fmt

    @property
    def end_offset(self) -> int:
        return self._spec.end_offset

    @property
    def cron_schedule(self) -> str:
        return self._spec.cron_schedule

    @property
    def exclusions(self) -> None:
        return None

    @property
    def start(self) -> datetime:
        return datetime.fromtimestamp(self._spec.start, get_timezone(self.timezone))

    @property
    def end(self) -> datetime | None:
        end = self._spec.end
        return None if end is None else datetime.fromtimestamp(end, get_timezone(self.timezone))

    @property
    def schedule_type(self) -> ScheduleType | None:
        cron = self.cron_schedule
        if re.fullmatch(r"\d+ \* \* \* \*", cron):
            return ScheduleType.HOURLY
        if re.fullmatch(r"\d+ \d+ \* \* \*", cron):
            return ScheduleType.DAILY
        if re.fullmatch(r"\d+ \d+ \* \* \d+", cron):
            return ScheduleType.WEEKLY
        if re.fullmatch(r"\d+ \d+ \d+ \* \*", cron):
            return ScheduleType.MONTHLY
        return None

    def _cron_field(self, index: int, what: str) -> int:
        value = self.cron_schedule.split()[index]
        if not value.isdigit():
            raise InvalidDefinitionError(f"{self.cron_schedule} has no {what}")
        return int(value)

    @property
    def minute_offset(self) -> int:
        return self._cron_field(0, "minute offset")

    @property
    def hour_offset(self) -> int:
        return self._cron_field(1, "hour offset")

    @property
    def day_offset(self) -> int:
        if self.schedule_type is ScheduleType.WEEKLY:
            return self._cron_field(4, "day offset")
        if self.schedule_type is ScheduleType.MONTHLY:
            return self._cron_field(2, "day offset")
        raise InvalidDefinitionError(f"Unsupported schedule type for day_offset: {self.schedule_type}")

    # -- windows ------------------------------------------------------------------------------------
    def time_window_for_partition_key(self, partition_key: str) -> TimeWindow:
        """The window of ``partition_key`` (the first window starting at or after the key's time)."""
        return self._time_keys.time_window(partition_key)

    def start_time_for_partition_key(self, partition_key: str) -> datetime:
        return self.time_window_for_partition_key(partition_key).start

    def end_time_for_partition_key(self, partition_key: str) -> datetime:
        return self.time_window_for_partition_key(partition_key).end

    def get_first_partition_window(self, current_time: datetime | None = None) -> TimeWindow | None:
        windows = self._time_keys.windows
        window = windows.first_window(self._now(current_time))
        return None if window is None else windows.to_time_window(window)

    def get_last_partition_window(self, current_time: datetime | None = None) -> TimeWindow | None:
        windows = self._time_keys.windows
        window = windows.last_window(self._now(current_time))
        return None if window is None else windows.to_time_window(window)

    def get_partition_keys_in_time_window(self, time_window: TimeWindow) -> Sequence[str]:
        start, end = time_window.start.timestamp(), time_window.end.timestamp()
        return self._time_keys.windows.keys_in_window(start, end)

    def get_partition_key_for_timestamp(self, timestamp: float, end_closed: bool = False) -> str:
        """The key of the window containing ``timestamp`` (ending at it, with ``end_closed``)."""
        schedule = self._time_keys.windows.schedule
        tick = schedule.prev_tick(timestamp, strict=end_closed)
        return self._time_keys.windows.key_of(tick)

    def get_next_partition_key(self, partition_key: str, current_time: datetime | None = None) -> str | None:
        keys = self.get_partition_keys(current_time)
        if partition_key not in keys:
            return None
        i = keys.index(partition_key)
        return keys[i + 1] if i + 1 < len(keys) else None

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        start, end = partition_key_range
        return self._keys.keys_in_range(start, end, self._now(None))

    # -- text ---------------------------------------------------------------------------------------
    def __str__(self) -> str:
        schedule = self.schedule_type
        what = schedule.value.capitalize() if schedule else self.cron_schedule
        out = f"{what}, starting {self.start.strftime(self.fmt)} {self.timezone}."
        if self.end_offset != 0:
            out += f" End offsetted by {self.end_offset} partition{'' if self.end_offset == 1 else 's'}."
        return out

    def __repr__(self) -> str:
        return (
            f"TimeWindowPartitionsDefinition(start={self._spec.start}, end={self._spec.end}, "
            f"timezone='{self.timezone}', fmt='{self.fmt}', end_offset={self.end_offset}, "
            f"cron_schedule='{self.cron_schedule}')"
        )


class HourlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """A partition per hour from ``start_date`` (keys ``"2024-01-01-13:00"``), ``minute_offset``
    minutes past each hour."""

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[Any] | None = None,
    ) -> None:
        super().__init__(
            start=start_date,
            fmt=fmt or DEFAULT_HOURLY_FORMAT_WITHOUT_TIMEZONE,
            end=end_date,
            schedule_type=ScheduleType.HOURLY,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
            exclusions=exclusions,
        )


class DailyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """A partition per day from ``start_date`` (keys ``"2024-01-01"``), starting at
    ``hour_offset:minute_offset``."""

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[Any] | None = None,
    ) -> None:
        super().__init__(
            start=start_date,
            fmt=fmt or DEFAULT_DATE_FORMAT,
            end=end_date,
            schedule_type=ScheduleType.DAILY,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            exclusions=exclusions,
        )


class WeeklyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """A partition per week, starting on ``day_offset`` (0 = Sunday) at ``hour_offset:minute_offset``."""

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[Any] | None = None,
    ) -> None:
        super().__init__(
            start=start_date,
            fmt=fmt or DEFAULT_DATE_FORMAT,
            end=end_date,
            schedule_type=ScheduleType.WEEKLY,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            day_offset=day_offset,
            exclusions=exclusions,
        )


class MonthlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """A partition per month, starting on day ``day_offset`` (default 1) at ``hour_offset:minute_offset``."""

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 1,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[Any] | None = None,
    ) -> None:
        super().__init__(
            start=start_date,
            fmt=fmt or DEFAULT_DATE_FORMAT,
            end=end_date,
            schedule_type=ScheduleType.MONTHLY,
            timezone=timezone,
            end_offset=end_offset,
            minute_offset=minute_offset,
            hour_offset=hour_offset,
            day_offset=day_offset,
            exclusions=exclusions,
        )


__all__ = [
    "DailyPartitionsDefinition",
    "HourlyPartitionsDefinition",
    "MonthlyPartitionsDefinition",
    "ScheduleType",
    "TimeWindowPartitionsDefinition",
    "WeeklyPartitionsDefinition",
]
