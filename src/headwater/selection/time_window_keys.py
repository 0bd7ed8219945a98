"""Keys and windows of a time-window partitions spec: which windows exist at a given time, each one's
key, and back from a key to its window — Dagster's semantics, computed fast.

The windows run between consecutive ticks of the spec's cron schedule (``selection.cron``). The
first starts at the first tick at or after ``start``; the last is the latest that has ended by now
(or by ``end``), moved by ``end_offset`` windows — ported from Dagster's
``TimeWindowPartitionsDefinition``. A key is the window's start formatted with ``fmt``; when the
schedule repeats every hour, the second instance of a repeated local hour gets its UTC offset
appended (``2024-11-03-01:00-0500``), as Dagster does.

Formatting 87,600 hourly keys one ``strftime`` at a time takes about a third of a second; here a key
is the day's part of the format (formatted once per day) joined to the time-of-day part (formatted
once per distinct time), so generating them costs little more than building the strings.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from headwater.core.partition_keys import TimeWindow
from headwater.selection.cron import CronSchedule, cron_schedule
from headwater.specs.partitions import TimeWindowPartitionsSpec

_DIRECTIVE = re.compile(r"%[-#]?[a-zA-Z%]")
_TIME = set("HIMSpfTRrXklP")
_OFFSET = set("z")
_MIXED = set("csZ")  # date and time in one directive, or a zone name: formatted per key


def _kind(directive: str) -> str:
    letter = directive[-1]
    if letter in _MIXED:
        return "mixed"
    if letter in _TIME:
        return "time"
    if letter in _OFFSET:
        return "offset"
    return "date"  # "%%" counts as date: it never changes


class KeyFormatter:
    """Formats window starts (timestamps) as partition keys, with Dagster's DST suffix."""

    def __init__(self, fmt: str, schedule: CronSchedule) -> None:
        self.fmt = fmt
        self.schedule = schedule
        self.tz = schedule.tz
        # A suffix "%z" for the second instance of a repeated hour (Dagster's dst_safe_strftime).
        self.dst_suffix = "%z" not in fmt and schedule.every_hour and schedule.tz is not UTC
        spans = [(m.start(), m.end(), _kind(m.group())) for m in _DIRECTIVE.finditer(fmt)]
        times = [s for s in spans if s[2] == "time"]
        self.fast = not any(s[2] == "mixed" for s in spans)
        if times:
            first, last = times[0][0], times[-1][1]
            if any(first < s[0] < last and s[2] != "time" for s in spans):
                self.fast = False  # a date part between time parts: format each key whole
            self.prefix, self.middle, self.suffix = fmt[:first], fmt[first:last], fmt[last:]
        else:
            self.prefix, self.middle, self.suffix = fmt, "", ""
        self._middles: dict[tuple[int, int, int], str] = {}
        self._days: dict[tuple[int, float], tuple[str, str]] = {}
        # "%Y-%m-%d-" and the like: str.format templates of (year, month, day), cheaper than strftime.
        self._quick = _quick_date_template(self.prefix), _quick_date_template(self.suffix)

    def format(self, timestamp: float) -> str:
        dt = datetime.fromtimestamp(timestamp, self.tz)
        if self.dst_suffix and dt.fold == 1 and self._is_second_instance(dt):
            return dt.strftime(self.fmt + "%z")
        return dt.strftime(self.fmt)

    def _is_second_instance(self, dt: datetime) -> bool:
        before = self.tz.utcoffset(dt.replace(fold=0))
        after = self.tz.utcoffset(dt)
        return before is not None and after is not None and before > after

    def day_formatter(self, day: date, offset: float) -> tuple[str, str] | None:
        """(formatted prefix, formatted suffix) of keys on ``day`` at UTC offset ``offset`` seconds."""
        if not self.fast:
            return None
        cache_key = (day.toordinal(), offset)
        parts = self._days.get(cache_key)
        if parts is None:
            quick_prefix, quick_suffix = self._quick
            if quick_prefix is not None and quick_suffix is not None:
                parts = (
                    quick_prefix.format(day.year, day.month, day.day),
                    quick_suffix.format(day.year, day.month, day.day) if self.suffix else "",
                )
            else:
                tzinfo = self.tz if self.tz is UTC else _fixed(offset)
                dt = datetime(day.year, day.month, day.day, tzinfo=tzinfo)
                parts = (dt.strftime(self.prefix), dt.strftime(self.suffix) if self.suffix else "")
            if len(self._days) > 8192:
                self._days.clear()
            self._days[cache_key] = parts
        return parts

    def middle_of(self, hour: int, minute: int, second: int = 0) -> str:
        key = (hour, minute, second)
        text = self._middles.get(key)
        if text is None:
            text = datetime(2000, 1, 1, hour, minute, second).strftime(self.middle) if self.middle else ""
            self._middles[key] = text
        return text


_QUICK = {"%Y": "{0:04d}", "%m": "{1:02d}", "%d": "{2:02d}", "%%": "%"}


def _quick_date_template(part: str) -> str | None:
    """``part`` as a str.format template of (year, month, day) when it only uses %Y, %m, %d, %%."""
    out = []
    pos = 0
    for match in _DIRECTIVE.finditer(part):
        template = _QUICK.get(match.group())
        if template is None:
            return None
        out.append(part[pos : match.start()].replace("{", "{{").replace("}", "}}"))
        out.append(template)
        pos = match.end()
    out.append(part[pos:].replace("{", "{{").replace("}", "}}"))
    return "".join(out)


@functools.lru_cache(maxsize=64)
def _fixed(offset: float) -> tzinfo:
    return timezone(timedelta(seconds=offset))


def parse_key(key: str, fmt: str, timezone: str) -> float:
    """The timestamp of a key (Dagster's dst_safe_strptime): ``fmt``, else ``fmt`` + ``%z``; a key
    without an offset is read in ``timezone``, at the first instance of a repeated time."""
    return _parse(key, fmt, timezone)


@functools.lru_cache(maxsize=8192)
def _parse(key: str, fmt: str, timezone: str) -> float:
    try:
        dt = datetime.strptime(key, fmt)
    except ValueError:
        dt = datetime.strptime(key, fmt + "%z")
    if dt.tzinfo is not None:
        return dt.timestamp()
    return dt.replace(tzinfo=cron_schedule("0 0 * * *", timezone).tz).timestamp()


class _KeysAt:
    """The keys at a time, valid while "now" stays strictly between the ticks ``low`` and ``high``
    around it; the key set is built when a membership test first needs it."""

    __slots__ = ("high", "key_set", "keys", "last_start", "low")

    def __init__(self, low: float, high: float, keys: list[str], last_start: float | None) -> None:
        self.low, self.high, self.keys, self.last_start = low, high, keys, last_start
        self.key_set: frozenset[str] | None = None


class TimeWindowKeys:
    """Windows and keys of one ``TimeWindowPartitionsSpec``."""

    def __init__(self, spec: TimeWindowPartitionsSpec) -> None:
        self.spec = spec
        self.schedule = cron_schedule(spec.cron_schedule, spec.timezone)
        self.formatter = KeyFormatter(spec.fmt, self.schedule)
        self._first_tick = self.schedule.next_tick(spec.start)
        self._cached: _KeysAt | None = None

    # -- windows -------------------------------------------------------------------------------------
    def window_at(self, start_tick: float) -> tuple[float, float]:
        return start_tick, self.schedule.next_tick(start_tick, strict=True)

    def first_window(self, now: float) -> tuple[float, float] | None:
        """Dagster's ``_get_first_partition_window``."""
        spec, sched = self.spec, self.schedule
        first = self.window_at(self._first_tick)
        if spec.end is not None and spec.end <= spec.start:
            return None
        if spec.end_offset == 0:
            return first if first[1] <= now else None
        if spec.end_offset > 0:
            ticks = sched.ticks_from(now)
            start = next(ticks)
            for _ in range(spec.end_offset):
                start = next(ticks)
            return first if first[1] <= start else None
        back = sched.ticks_back_from(now)
        next(back)
        end_start = now
        for _ in range(-spec.end_offset):
            end_start = next(back)
        return first if first[1] <= end_start else None

    def last_window(self, now: float) -> tuple[float, float] | None:
        """Dagster's ``_get_last_partition_window``."""
        spec, sched = self.spec, self.schedule
        first = self.first_window(now)
        if first is None:
            return None
        if spec.end_offset == 0:
            limit = min(now, spec.end) if spec.end is not None else now
            end = sched.prev_tick(limit)
            return sched.prev_tick(end, strict=True), end
        before_end = None
        if spec.end is not None:
            end = sched.prev_tick(spec.end)
            before_end = (sched.prev_tick(end, strict=True), end)
        zero_end = sched.prev_tick(now)
        if spec.end_offset < 0:
            back = sched.ticks_back_from(zero_end)
            end = next(back)
            start = next(back)
            for _ in range(-spec.end_offset):
                end, start = start, next(back)
            current = (start, end)
        else:
            ticks = sched.ticks_from(zero_end)
            start = next(ticks)
            end = next(ticks)
            for _ in range(spec.end_offset - 1):
                start, end = end, next(ticks)
            current = (start, end)
        if before_end is not None and before_end[0] <= current[0]:
            return before_end
        if current[0] < first[0]:
            return first
        return current

    # -- keys ----------------------------------------------------------------------------------------
    def keys(self, now: float) -> list[str]:
        """Every key at ``now`` (a new list)."""
        return list(self._entry(now).keys)

    def has_key(self, key: str, now: float) -> bool:
        entry = self._entry(now)
        if entry.key_set is None:
            entry.key_set = frozenset(entry.keys)
        return key in entry.key_set

    def _entry(self, now: float) -> _KeysAt:
        cached = self._cached
        if cached is not None and cached.low < now < cached.high:
            return cached
        last = self.last_window(now)
        keys = [] if last is None else self._keys_between(self._first_tick, last[0], always_first=True)
        low = self.schedule.prev_tick(now)
        high = self.schedule.next_tick(now, strict=True)
        self._cached = _KeysAt(low, high, keys, None if last is None else last[0])
        return self._cached

    def tick_of_key(self, key: str, now: float) -> float | None:
        """The start tick of ``key`` when it is a key at ``now`` (None if not), without a key set."""
        try:
            tick = self.schedule.next_tick(parse_key(key, self.spec.fmt, self.spec.timezone))
        except ValueError:
            return None
        last = self._entry(now).last_start
        if last is None or not self._first_tick <= tick <= last or self.key_of(tick) != key:
            return None
        return tick

    def keys_between(self, first: float, last: float) -> list[str]:
        """Keys of the windows starting at ticks from ``first`` through ``last``."""
        return self._keys_between(first, last)

    def _keys_between(self, first: float, last: float, *, always_first: bool = False) -> list[str]:
        """Keys of the windows starting at ticks from ``first`` through ``last`` (Dagster yields the
        first one even when it starts after ``last``)."""
        sched, fmt = self.schedule, self.formatter
        if always_first and first > last:
            return [fmt.format(first)]
        out: list[str] = []
        day = sched.local_date(first)
        end_day = sched.local_date(last)
        middles = [fmt.middle_of(h, m) for h, m in sched.times]
        one_day = timedelta(days=1)
        ticks_on, day_offset, day_formatter = sched.ticks_on, sched.day_offset, fmt.day_formatter
        while day <= end_day:
            ticks = ticks_on(day)
            if ticks:
                offset = day_offset(day) if ticks[0] >= first and ticks[-1] <= last else None
                parts = day_formatter(day, offset) if offset is not None else None
                if parts is not None:
                    prefix, suffix = parts
                    if suffix:
                        out.extend([prefix + middle + suffix for middle in middles])
                    else:
                        out.extend([prefix + middle for middle in middles])
                else:
                    out.extend(fmt.format(tick) for tick in ticks if first <= tick <= last)
            day += one_day
        return out

    def time_window(self, key: str) -> TimeWindow:
        """The window of ``key``: the first window starting at or after the key's time."""
        start = self.schedule.next_tick(parse_key(key, self.spec.fmt, self.spec.timezone))
        return self.to_time_window(self.window_at(start))

    def to_time_window(self, window: tuple[float, float]) -> TimeWindow:
        tz = self.schedule.tz
        return TimeWindow(datetime.fromtimestamp(window[0], tz), datetime.fromtimestamp(window[1], tz))

    def key_of(self, tick: float) -> str:
        return self.formatter.format(tick)

    def keys_in_window(self, start: float, end: float) -> list[str]:
        """Keys of the windows starting in [start, end)."""
        out = []
        for tick in self.schedule.ticks_from(start):
            if tick >= end:
                break
            out.append(self.formatter.format(tick))
        return out


__all__ = ["KeyFormatter", "TimeWindowKeys", "parse_key"]
