"""The ticks of a cron schedule in a time zone, with Dagster's daylight-saving rules — pure and fast.

A schedule is read with croniter (parsing and validation only) into the minutes and hours of a day
and a test of which days match. Its ticks are then computed day by day: on a day without a
daylight-saving change every tick is plain arithmetic; on the (two yearly) days with one, each local
time is resolved as Dagster resolves it:

* a schedule whose hour field is ``*`` ("repeats every hour") skips a local time that does not exist
  (the spring-forward gap) and fires twice at a local time that happens twice (the fall-back hour);
* any other schedule fires at the end of the gap for a time inside it (``02:30`` → ``03:00``) and once,
  at the later instance, for a time that happens twice.
"""

from __future__ import annotations

import calendar
import difflib
import functools
import zoneinfo
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

from croniter import croniter

from headwater.errors import InvalidDefinitionError

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MAX_DAYS_WITHOUT_TICK = 366 * 8 + 2  # "0 0 29 2 1" may wait for a Monday Feb 29th


class UnknownTimezoneError(InvalidDefinitionError, zoneinfo.ZoneInfoNotFoundError):
    """A time zone name that the IANA database does not have (also a ``ZoneInfoNotFoundError``)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@functools.lru_cache(maxsize=256)
def get_timezone(name: str) -> tzinfo:
    """The tzinfo of an IANA name ("UTC" is ``datetime.UTC``); an unknown name is an error that says so."""
    if name in ("UTC", "utc"):
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=3)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownTimezoneError(
            f"Unknown time zone {name!r}: not in the IANA time zone database.{hint} Use a name such as "
            "'UTC', 'Europe/Paris' or 'America/New_York'."
        ) from None


def is_valid_cron_schedule(cron: str) -> bool:
    """True for a 5-field cron string that croniter accepts and that can fire (not ``30 2 30 2 *``)."""
    if not isinstance(cron, str) or not croniter.is_valid(cron):
        return False
    expanded = croniter.expand(cron)[0]
    if len(expanded) != 5:
        return False
    return not (expanded[3] == [2] and len(expanded[2]) == 1 and expanded[2][0] in (30, 31))


def _ints(field: Sequence[object], low: int, high: int) -> frozenset[int] | None:
    """The values of one expanded field; None for ``*``."""
    if list(field) == ["*"]:
        return None
    return frozenset(v for v in field if isinstance(v, int) and low <= v <= high)


class CronSchedule:
    """The ticks (UNIX timestamps) of one cron schedule in one time zone."""

    __slots__ = (
        "_cache",
        "_dom",
        "_dom_last",
        "_dow",
        "_dow_nth",
        "_fixed_offset",
        "_months",
        "cron",
        "every_hour",
        "times",
        "timezone",
        "tz",
    )

    def __init__(self, cron: str, timezone: str) -> None:
        if not is_valid_cron_schedule(cron):
            raise InvalidDefinitionError(
                f"Found invalid cron schedule '{cron}' for a TimeWindowPartitionsDefinition: expected 5 "
                "fields (minute hour day-of-month month day-of-week), e.g. '0 0 * * *'."
            )
        self.cron = cron
        self.timezone = timezone
        self.tz = get_timezone(timezone)
        expanded, nth, *_ = croniter.expand(cron)
        minutes = sorted(_ints(expanded[0], 0, 59) or range(60))
        hours_field = _ints(expanded[1], 0, 23)
        hours = sorted(hours_field) if hours_field is not None else list(range(24))
        self.every_hour = hours_field is None
        self.times = tuple((h, m) for h in hours for m in minutes)
        self._dom = _ints(expanded[2], 1, 31)
        self._dom_last = "l" in expanded[2]
        if self._dom_last and self._dom is None:
            self._dom = frozenset()
        self._months = _ints(expanded[3], 1, 12)
        dow = expanded[4]
        self._dow = None if dow == ["*"] else frozenset(int(v) % 7 for v in dow if isinstance(v, int))
        self._dow_nth: dict[int, frozenset[int | str]] = {int(k) % 7: frozenset(v) for k, v in nth.items()}
        offset = self.tz.utcoffset(None) if self.tz is UTC else None
        self._fixed_offset = offset.total_seconds() if offset is not None else None
        # Per day (ordinal): its ticks and its UTC offset (None on a day with a DST change).
        self._cache: dict[int, tuple[tuple[float, ...], float | None]] = {}

    # -- days ---------------------------------------------------------------------------------------
    def day_matches(self, day: date) -> bool:
        if self._months is not None and day.month not in self._months:
            return False
        dom_ok = self._dom is None or day.day in self._dom
        if self._dom_last and day.day == calendar.monthrange(day.year, day.month)[1]:
            dom_ok = True
        if self._dow is None:
            return dom_ok
        weekday = (day.weekday() + 1) % 7  # cron: 0 = Sunday
        dow_ok = weekday in self._dow
        nth = self._dow_nth.get(weekday)
        if dow_ok and nth:
            n = (day.day - 1) // 7 + 1
            last = day.day + 7 > calendar.monthrange(day.year, day.month)[1]
            dow_ok = n in nth or ("l" in nth and last)
        if self._dom is None:
            return dow_ok
        return dom_ok or dow_ok  # both restricted: either matches (Vixie cron, croniter's default)

    def ticks_on(self, day: date) -> tuple[float, ...]:
        """The day's ticks in time order (empty when the day does not match)."""
        cached = self._cache.get(day.toordinal())
        return cached[0] if cached is not None else self._compute_day(day)[0]

    def day_offset(self, day: date) -> float | None:
        """The UTC offset (seconds) of every tick of a matching day; None on a day with a DST change."""
        cached = self._cache.get(day.toordinal())
        return (cached if cached is not None else self._compute_day(day))[1]

    def _compute_day(self, day: date) -> tuple[tuple[float, ...], float | None]:
        ordinal = day.toordinal()
        offset: float | None = None
        if not self.day_matches(day):
            ticks: tuple[float, ...] = ()
        else:
            base = (ordinal - _EPOCH_ORDINAL) * 86400
            offset = self._fixed_offset if self._fixed_offset is not None else self._day_offset(day)
            if offset is not None:
                ticks = tuple(base + h * 3600 + m * 60 - offset for h, m in self.times)
            else:
                ticks = self._resolve_day(day, base)
        if len(self._cache) > 8192:
            self._cache.clear()
        entry = (ticks, offset)
        self._cache[ordinal] = entry
        return entry

    def _day_offset(self, day: date) -> float | None:
        """The day's UTC offset in seconds when it is the same all day; None on a day with a change."""
        tz = self.tz
        first = datetime(day.year, day.month, day.day)
        last = first.replace(hour=23, minute=59, second=59)
        offset = tz.utcoffset(first)
        if (
            offset is None
            or tz.utcoffset(first.replace(fold=1)) != offset
            or tz.utcoffset(last) != offset
            or tz.utcoffset(last.replace(fold=1)) != offset
        ):
            return None
        return offset.total_seconds()

    def _resolve_day(self, day: date, base: int) -> tuple[float, ...]:
        """Ticks of a day with a daylight-saving change, by Dagster's rules (module docstring)."""
        tz = self.tz
        out: list[float] = []
        for h, m in self.times:
            wall = datetime(day.year, day.month, day.day, h, m)
            before = tz.utcoffset(wall)
            after = tz.utcoffset(wall.replace(fold=1))
            assert before is not None and after is not None
            seconds = base + h * 3600 + m * 60
            if before == after:
                out.append(seconds - before.total_seconds())
            elif before > after:  # the local time happens twice
                if self.every_hour:
                    out.append(seconds - before.total_seconds())
                out.append(seconds - after.total_seconds())
            elif not self.every_hour:  # inside the gap: the first instant after it
                out.append(base + h * 3600 - before.total_seconds())
        return tuple(sorted(set(out)))

    def local_date(self, timestamp: float) -> date:
        return datetime.fromtimestamp(timestamp, self.tz).date()

    # -- ticks around an instant --------------------------------------------------------------------
    def next_tick(self, timestamp: float, *, strict: bool = False) -> float:
        """The first tick at or after ``timestamp`` (after it, with ``strict``)."""
        day = self.local_date(timestamp)
        for _ in range(_MAX_DAYS_WITHOUT_TICK):
            for tick in self.ticks_on(day):
                if tick > timestamp or (tick == timestamp and not strict):
                    return tick
            day += timedelta(days=1)
        raise InvalidDefinitionError(f"Cron schedule '{self.cron}' has no tick after {timestamp}.")

    def prev_tick(self, timestamp: float, *, strict: bool = False) -> float:
        """The last tick at or before ``timestamp`` (before it, with ``strict``)."""
        day = self.local_date(timestamp)
        for _ in range(_MAX_DAYS_WITHOUT_TICK):
            for tick in reversed(self.ticks_on(day)):
                if tick < timestamp or (tick == timestamp and not strict):
                    return tick
            day -= timedelta(days=1)
        raise InvalidDefinitionError(f"Cron schedule '{self.cron}' has no tick before {timestamp}.")

    def ticks_from(self, timestamp: float) -> Iterator[float]:
        """Every tick at or after ``timestamp``, in order (endless)."""
        day = self.local_date(timestamp)
        ticks = self.ticks_on(day)
        for tick in ticks:
            if tick >= timestamp:
                yield tick
        while True:
            day += timedelta(days=1)
            yield from self.ticks_on(day)

    def ticks_back_from(self, timestamp: float) -> Iterator[float]:
        """Every tick at or before ``timestamp``, latest first (endless)."""
        day = self.local_date(timestamp)
        for tick in reversed(self.ticks_on(day)):
            if tick <= timestamp:
                yield tick
        while True:
            day -= timedelta(days=1)
            yield from reversed(self.ticks_on(day))


@functools.lru_cache(maxsize=128)
def cron_schedule(cron: str, timezone: str) -> CronSchedule:
    return CronSchedule(cron, timezone)


__all__ = ["CronSchedule", "UnknownTimezoneError", "cron_schedule", "get_timezone", "is_valid_cron_schedule"]
