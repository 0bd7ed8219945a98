"""Partitions definitions: keys, windows, ranges, DST edges, multi-partition keys, dynamic partitions."""

from datetime import datetime

import dagster as dg
from _report import show_error


def windows(pdef: dg.TimeWindowPartitionsDefinition) -> list[str]:
    out = []
    for key in pdef.get_partition_keys():
        window = pdef.time_window_for_partition_key(key)
        out.append(f"{key} [{window.start.isoformat()}, {window.end.isoformat()})")
    return out


static = dg.StaticPartitionsDefinition(["a", "b", "c", "d"])
print("static", static.get_partition_keys(), static.has_partition_key("b"), static.has_partition_key("z"))
print("static range", static.get_partition_keys_in_range(dg.PartitionKeyRange("b", "d")))

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-06")
print("daily", daily.get_partition_keys())
print("daily first/last", daily.get_first_partition_key(), daily.get_last_partition_key())
print("daily has", daily.has_partition_key("2024-01-03"), daily.has_partition_key("2024-01-06"))
print("daily range", daily.get_partition_keys_in_range(dg.PartitionKeyRange("2024-01-02", "2024-01-04")))
print("daily window", daily.time_window_for_partition_key("2024-01-02"))
print("daily attrs", daily.timezone, daily.fmt, daily.cron_schedule, daily.end_offset, daily.start, daily.end)
print("daily str", str(daily))
offset = dg.DailyPartitionsDefinition(
    start_date="2024-01-01", end_date="2024-01-04", hour_offset=6, minute_offset=30
)
print("daily offsets", offset.cron_schedule, windows(offset))
print(
    "hourly",
    dg.HourlyPartitionsDefinition(
        start_date="2024-01-01-22:00", end_date="2024-01-02-02:00"
    ).get_partition_keys(),
)
print(
    "hourly 15",
    dg.HourlyPartitionsDefinition(
        start_date="2024-01-01-00:00", end_date="2024-01-01-03:00", minute_offset=15
    ).get_partition_keys(),
)
weekly = dg.WeeklyPartitionsDefinition(start_date="2024-01-03", end_date="2024-02-15")
print("weekly", weekly.get_partition_keys(), weekly.cron_schedule)
print(
    "weekly monday",
    dg.WeeklyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-02-01", day_offset=1
    ).get_partition_keys(),
)
monthly = dg.MonthlyPartitionsDefinition(start_date="2023-11-15", end_date="2024-05-01")
print("monthly", monthly.get_partition_keys(), monthly.cron_schedule)
print(
    "monthly 5th",
    dg.MonthlyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-05-01", day_offset=5
    ).get_partition_keys(),
)
every_other = dg.TimeWindowPartitionsDefinition(
    start="2024-01-01", end="2024-01-12", cron_schedule="0 0 */3 * *", fmt="%Y-%m-%d"
)
print("cron", windows(every_other))
weekdays = dg.TimeWindowPartitionsDefinition(
    start=datetime(2024, 1, 4), end=datetime(2024, 1, 10), cron_schedule="0 9 * * 1-5", fmt="%Y-%m-%d %H:%M"
)
print("cron weekdays", weekdays.get_partition_keys())

# current_time and end_offset on an open-ended definition
open_daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
at = datetime(2024, 1, 4, 5)
print("open", open_daily.get_partition_keys(current_time=at))
for end_offset in (1, 2, -1):
    pdef = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_offset=end_offset)
    print("end_offset", end_offset, pdef.get_partition_keys(current_time=at))
print("nothing yet", open_daily.get_partition_keys(current_time=datetime(2024, 1, 1, 5)))

# Daylight saving time in New York: 2024-03-10 skips 02:00-03:00, 2024-11-03 repeats 01:00-02:00.
ny_daily = dg.DailyPartitionsDefinition(
    start_date="2024-03-09", end_date="2024-03-12", timezone="America/New_York"
)
print("ny daily spring", windows(ny_daily))
ny_daily_fall = dg.DailyPartitionsDefinition(
    start_date="2024-11-02", end_date="2024-11-05", timezone="America/New_York"
)
print("ny daily fall", windows(ny_daily_fall))
ny_spring = dg.HourlyPartitionsDefinition(
    start_date="2024-03-10-00:00", end_date="2024-03-10-05:00", timezone="America/New_York"
)
print("ny hourly spring", windows(ny_spring))
ny_fall = dg.HourlyPartitionsDefinition(
    start_date="2024-11-03-00:00", end_date="2024-11-03-04:00", timezone="America/New_York"
)
print("ny hourly fall", windows(ny_fall))
print(
    "ny repeated hour",
    ny_fall.has_partition_key("2024-11-03-01:00-0500"),
    ny_fall.has_partition_key("2024-11-03-01:00"),
)
at_230 = dg.TimeWindowPartitionsDefinition(
    start=datetime(2024, 3, 9),
    end=datetime(2024, 3, 12),
    cron_schedule="30 2 * * *",
    fmt="%Y-%m-%d %H:%M",
    timezone="America/New_York",
)
print("ny 02:30 spring", windows(at_230))
at_130 = dg.TimeWindowPartitionsDefinition(
    start=datetime(2024, 11, 2),
    end=datetime(2024, 11, 5),
    cron_schedule="30 1 * * *",
    fmt="%Y-%m-%d %H:%M",
    timezone="America/New_York",
)
print("ny 01:30 fall", windows(at_130))
berlin = dg.HourlyPartitionsDefinition(
    start_date="2024-10-27-01:00", end_date="2024-10-27-04:00", timezone="Europe/Berlin"
)
print("berlin fall", berlin.get_partition_keys())

# Multi-partitions: dimensions in name order, keys the product.
multi = dg.MultiPartitionsDefinition(
    {"date": dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-03"), "color": static}
)
print("multi dims", multi.partition_dimension_names)
keys = multi.get_partition_keys()
print("multi keys", len(keys), keys[:5], type(keys[0]).__name__)
print("multi key", keys[1].keys_by_dimension)
mk = dg.MultiPartitionKey({"date": "2024-01-02", "color": "c"})
print("mpk", mk, mk.keys_by_dimension, multi.has_partition_key(mk), multi.has_partition_key("2024-01-02|c"))
print("multi from str", multi.get_partition_key_from_str("b|2024-01-01").keys_by_dimension)
print("multi window", multi.time_window_for_partition_key("b|2024-01-01"))
print(
    "multi range",
    multi.get_partition_keys_in_range(dg.PartitionKeyRange("a|2024-01-01", "b|2024-01-02")),
)

# Dynamic partitions, through an instance.
fruits = dg.DynamicPartitionsDefinition(name="fruits")
with dg.DagsterInstance.ephemeral() as instance:
    instance.add_dynamic_partitions("fruits", ["apple", "banana"])
    instance.add_dynamic_partitions("fruits", ["cherry", "apple"])
    print("dynamic", list(fruits.get_partition_keys(dynamic_partitions_store=instance)))
    print("dynamic has", fruits.has_partition_key("banana", dynamic_partitions_store=instance))
    instance.delete_dynamic_partition("fruits", "banana")
    print("dynamic after delete", list(instance.get_dynamic_partitions("fruits")))
    print("dynamic has", instance.has_dynamic_partition("fruits", "banana"))
add = fruits.build_add_request(["kiwi"])
delete = fruits.build_delete_request(["apple"])
print(
    "requests", type(add).__name__, add.partitions_def_name, list(add.partition_keys), type(delete).__name__
)
print(
    "policies", dg.BackfillPolicy.single_run(), dg.BackfillPolicy.multi_run(3), dg.BackfillPolicy.multi_run()
)
print(
    "max per run",
    dg.BackfillPolicy.single_run().max_partitions_per_run,
    dg.BackfillPolicy.multi_run(4).max_partitions_per_run,
)

show_error("duplicate static keys", lambda: dg.StaticPartitionsDefinition(["a", "a"]))
show_error("range separator in a key", lambda: dg.StaticPartitionsDefinition(["a...b"]))
show_error("three dimensions", lambda: dg.MultiPartitionsDefinition({"a": static, "b": static, "c": static}))
show_error("unnamed dynamic", lambda: dg.DynamicPartitionsDefinition())
show_error(
    "bad cron",
    lambda: dg.TimeWindowPartitionsDefinition(start="2024-01-01", fmt="%Y-%m-%d", cron_schedule="not a cron"),
)
show_error("unknown key in range", lambda: static.get_partition_keys_in_range(dg.PartitionKeyRange("x", "b")))
show_error(
    "multi dimension key with a pipe",
    lambda: dg.MultiPartitionsDefinition({"a": dg.StaticPartitionsDefinition(["x|y"]), "b": static}),
)
try:
    dg.DailyPartitionsDefinition(start_date="2024-01-01", timezone="Mars/Olympus")
except KeyError:
    print("unknown timezone: KeyError")
try:
    dg.HourlyPartitionsDefinition(start_date="2024-01-01")
except ValueError:
    print("start not in the format: ValueError")
