"""Partition mappings: the upstream partitions each downstream partition reads (context and the loaded
values: a dict keyed by partition when a mapping fans in), with every built-in mapping."""

import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-05")
hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00", end_date="2024-01-05-00:00")
letters = dg.StaticPartitionsDefinition(["a", "b", "c"])
numbers = dg.StaticPartitionsDefinition(["1", "2"])
multi = dg.MultiPartitionsDefinition({"date": daily, "letter": letters})
SEEN: list[str] = []


def show(value: object) -> object:
    return {k: value[k] for k in sorted(value)} if isinstance(value, dict) else value


@dg.asset(partitions_def=daily)
def days(context: dg.AssetExecutionContext) -> str:
    return f"d{context.partition_key}"


@dg.asset(partitions_def=hourly)
def hours(context: dg.AssetExecutionContext) -> str:
    return f"h{context.partition_key}"


@dg.asset(partitions_def=letters)
def by_letter(context: dg.AssetExecutionContext) -> str:
    return f"l{context.partition_key}"


@dg.asset(partitions_def=multi)
def grid(context: dg.AssetExecutionContext) -> str:
    return f"g{context.partition_key}"


def record(context: dg.AssetExecutionContext, name: str, value: object) -> None:
    keys = context.asset_partition_keys_for_input(name)
    SEEN.append(f"{context.asset_key.to_user_string()} reads {name} {sorted(keys)} -> {show(value)!r}")


@dg.asset(partitions_def=daily)
def same_day(context: dg.AssetExecutionContext, days: object) -> None:
    record(context, "days", days)


@dg.asset(
    partitions_def=daily,
    ins={"days": dg.AssetIn(partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1))},
)
def two_days(context: dg.AssetExecutionContext, days: object) -> None:
    record(context, "days", days)
    window = context.asset_partitions_time_window_for_input("days")
    key_range = tuple(context.asset_partition_key_range_for_input("days"))
    SEEN.append(f"  window {window.start.date()}..{window.end.date()} range {key_range}")


@dg.asset(partitions_def=daily)
def day_of_hours(context: dg.AssetExecutionContext, hours: object) -> None:
    record(context, "hours", hours)


@dg.asset(partitions_def=hourly)
def hour_of_day(context: dg.AssetExecutionContext, days: object) -> None:
    record(context, "days", days)


@dg.asset(ins={"days": dg.AssetIn(partition_mapping=dg.LastPartitionMapping())})
def latest(context: dg.AssetExecutionContext, days: object) -> None:
    record(context, "days", days)


@dg.asset
def everything(context: dg.AssetExecutionContext, days: object) -> None:
    record(context, "days", days)


@dg.asset(
    partitions_def=numbers,
    ins={
        "by_letter": dg.AssetIn(
            partition_mapping=dg.StaticPartitionMapping({"a": "1", "b": ["1", "2"], "c": "2"})
        )
    },
)
def by_number(context: dg.AssetExecutionContext, by_letter: object) -> None:
    record(context, "by_letter", by_letter)


@dg.asset(
    partitions_def=numbers,
    ins={"by_letter": dg.AssetIn(partition_mapping=dg.SpecificPartitionsPartitionMapping(["c"]))},
)
def only_c(context: dg.AssetExecutionContext, by_letter: object) -> None:
    record(context, "by_letter", by_letter)


@dg.asset(
    partitions_def=letters,
    ins={"grid": dg.AssetIn(partition_mapping=dg.MultiToSingleDimensionPartitionMapping("letter"))},
)
def letter_of_grid(context: dg.AssetExecutionContext, grid: object) -> None:
    record(context, "grid", grid)


@dg.asset(partitions_def=daily)
def day_of_grid(context: dg.AssetExecutionContext, grid: object) -> None:
    record(context, "grid", grid)


@dg.asset(partitions_def=multi)
def grid_of_days(context: dg.AssetExecutionContext, days: object) -> None:
    record(context, "days", days)


shifted = dg.MultiPartitionsDefinition({"date": daily, "number": numbers})


@dg.asset(
    partitions_def=shifted,
    ins={
        "grid": dg.AssetIn(
            partition_mapping=dg.MultiPartitionMapping(
                {
                    "date": dg.DimensionPartitionMapping(
                        "date", dg.TimeWindowPartitionMapping(start_offset=-1)
                    ),
                    "letter": dg.DimensionPartitionMapping(
                        "number", dg.StaticPartitionMapping({"a": "1", "b": "2", "c": "2"})
                    ),
                }
            )
        )
    },
)
def reshaped(context: dg.AssetExecutionContext, grid: object) -> None:
    record(context, "grid", grid)


@dg.asset(
    partitions_def=daily,
    deps=[dg.AssetDep(days, partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-2, end_offset=-1))],
)
def dep_only() -> None:
    pass


ALL = [
    days,
    hours,
    by_letter,
    grid,
    same_day,
    two_days,
    day_of_hours,
    hour_of_day,
    latest,
    everything,
    by_number,
    only_c,
    letter_of_grid,
    day_of_grid,
    grid_of_days,
    reshaped,
    dep_only,
]
resources = {"io_manager": dg.FilesystemIOManager(base_dir="storage")}
with dg.DagsterInstance.ephemeral() as instance:

    def run(selection: list, key: str | None = None) -> None:
        result = dg.materialize(
            ALL, selection=selection, partition_key=key, resources=resources, instance=instance
        )
        assert result.success

    for key in daily.get_partition_keys():
        run([days], key)
    for key in hourly.get_partition_keys()[:30]:
        run([hours], key)
    for key in letters.get_partition_keys():
        run([by_letter], key)
    for key in multi.get_partition_keys():
        run([grid], key)
    for selection, key in [
        ([same_day], "2024-01-02"),
        ([two_days], "2024-01-01"),
        ([two_days], "2024-01-03"),
        ([day_of_hours], "2024-01-01"),
        ([hour_of_day], "2024-01-02-05:00"),
        ([latest], None),
        ([everything], None),
        ([by_number], "1"),
        ([by_number], "2"),
        ([only_c], "1"),
        ([letter_of_grid], "b"),
        ([day_of_grid], "2024-01-04"),
        ([grid_of_days], "2024-01-02|c"),
        ([reshaped], "2024-01-03|2"),
    ]:
        run(selection, key)
        for line in SEEN:
            print(line)
        SEEN.clear()

print(
    "get_partition_mapping",
    two_days.get_partition_mapping(dg.AssetKey("days")),
    latest.get_partition_mapping(dg.AssetKey("days")),
    same_day.get_partition_mapping(dg.AssetKey("days")),
)
print("dep mapping", dep_only.get_partition_mapping(dg.AssetKey("days")))
print(
    "mapping attrs",
    dg.TimeWindowPartitionMapping(start_offset=-1).start_offset,
    dg.StaticPartitionMapping({"a": "1"}).downstream_partition_keys_by_upstream_partition_key,
)
