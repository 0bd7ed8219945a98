"""Partitioned runs: assets materialized per partition (FS IO manager layout, tags, context), a range in
one run, multi-partitions, partitioned op jobs with partitioned config, unknown keys."""

import os

import dagster as dg
from _report import error_names, show_error

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-05")
colors = dg.StaticPartitionsDefinition(["red", "blue"])
multi = dg.MultiPartitionsDefinition({"date": daily, "color": colors})
SEEN: list[str] = []


@dg.asset(partitions_def=daily)
def events(context: dg.AssetExecutionContext) -> str:
    SEEN.append(
        f"events key={context.partition_key} keys={context.partition_keys} "
        f"range={tuple(context.partition_key_range)} "
        f"window={context.partition_time_window.start.date()}..{context.partition_time_window.end.date()} "
        f"has={context.has_partition_key} out={context.asset_partition_key_for_output()}"
    )
    return f"events@{context.partition_key}"


@dg.asset(partitions_def=daily)
def cleaned(context: dg.AssetExecutionContext, events: str) -> str:
    SEEN.append(
        f"cleaned {context.partition_key} <- {events} ({context.asset_partition_key_for_input('events')})"
    )
    return events.upper()


@dg.asset(partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run())
def ranged(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    window = context.partition_time_window
    SEEN.append(
        f"ranged keys={context.partition_keys} range={tuple(context.partition_key_range)} "
        f"window={window.start.date()}..{window.end.date()} has_key={context.has_partition_key}"
    )
    try:
        SEEN.append(f"ranged partition_key: {context.partition_key}")
    except Exception as exc:
        SEEN.append(f"ranged partition_key: {error_names(exc)}")
    return dg.MaterializeResult()


@dg.asset(partitions_def=multi)
def grid(context: dg.AssetExecutionContext) -> str:
    key = context.partition_key
    SEEN.append(f"grid {key} {type(key).__name__} {sorted(key.keys_by_dimension.items())}")
    return str(key)


@dg.asset
def unpartitioned() -> int:
    return 1


def files(root: str) -> list[str]:
    out = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if not name.startswith("."):
                out.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(out)


def report(label: str, result: dg.ExecuteInProcessResult) -> None:
    tags = {k: v for k, v in result.dagster_run.tags.items() if k.startswith("dagster/")}
    mats = sorted(
        (e.asset_key.to_user_string(), e.partition) for e in result.get_asset_materialization_events()
    )
    print(f"== {label}: success={result.success} tags={sorted(tags.items())} materialized={mats}")
    for line in SEEN:
        print("  ", line)
    SEEN.clear()


base = os.path.abspath("storage")
resources = {"io_manager": dg.FilesystemIOManager(base_dir=base)}
with dg.DagsterInstance.ephemeral() as instance:
    for key in ["2024-01-01", "2024-01-02"]:
        report(
            key, dg.materialize([events, cleaned], partition_key=key, resources=resources, instance=instance)
        )
    report(
        "range",
        dg.materialize(
            [ranged],
            resources=resources,
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": "2024-01-02",
                "dagster/asset_partition_range_end": "2024-01-04",
            },
        ),
    )
    report(
        "multi",
        dg.materialize([grid], partition_key="blue|2024-01-03", resources=resources, instance=instance),
    )
    report(
        "multi key",
        dg.materialize(
            [grid],
            partition_key=dg.MultiPartitionKey({"color": "red", "date": "2024-01-01"}),
            resources=resources,
            instance=instance,
        ),
    )
    report(
        "with an unpartitioned asset",
        dg.materialize(
            [events, unpartitioned], partition_key="2024-01-03", resources=resources, instance=instance
        ),
    )
    print("materialized partitions", sorted(instance.get_materialized_partitions(dg.AssetKey("events"))))
    print("files", files(base))
    show_error(
        "unknown key",
        lambda: dg.materialize([events], partition_key="2023-12-31", resources=resources, instance=instance),
    )
    show_error(
        "range with a key",
        lambda: dg.materialize(
            [ranged],
            partition_key="2024-01-01",
            resources=resources,
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": "2024-01-02",
                "dagster/asset_partition_range_end": "2024-01-03",
            },
        ),
    )
    show_error(
        "range without an end",
        lambda: dg.materialize(
            [ranged],
            resources=resources,
            instance=instance,
            tags={"dagster/asset_partition_range_start": "2024-01-02"},
        ),
    )
    show_error(
        "two partitions definitions",
        lambda: dg.materialize(
            [events, grid], partition_key="2024-01-01", resources=resources, instance=instance
        ),
    )
    show_error(
        "job with other partitions",
        lambda: dg.Definitions(
            assets=[events], jobs=[dg.define_asset_job("j", selection=[events], partitions_def=colors)]
        ).resolve_job_def("j"),
    )


@dg.op(config_schema={"date": str})
def process(context: dg.OpExecutionContext) -> str:
    SEEN.append(f"process config={context.op_config} key={context.partition_key}")
    return context.op_config["date"]


@dg.daily_partitioned_config(start_date="2024-01-01", end_offset=0)
def daily_config(start, end):
    return {"ops": {"process": {"config": {"date": start.strftime("%Y-%m-%d")}}}}


@dg.job(config=daily_config)
def daily_job():
    process()


@dg.static_partitioned_config(partition_keys=["us", "eu"], tags_for_partition_key_fn=lambda k: {"region": k})
def region_config(key):
    return {"ops": {"process": {"config": {"date": key}}}}


@dg.job(config=region_config)
def region_job():
    process()


@dg.op
def plain(context: dg.OpExecutionContext) -> None:
    SEEN.append(f"plain key={context.partition_key}")


@dg.job(partitions_def=colors)
def color_job():
    plain()


print(
    "daily job partitions",
    type(daily_job.partitions_def).__name__,
    daily_job.partitions_def.get_partition_keys()[:3],
)
print("daily config", daily_config.get_run_config_for_partition_key("2024-01-02"))
print("region tags", sorted(region_config.get_tags_for_partition_key("eu", "region_job").items()))
print("call the config", region_config("us"))
for job, key in [(daily_job, "2024-01-03"), (region_job, "eu"), (color_job, "blue")]:
    result = job.execute_in_process(partition_key=key)
    tags = sorted((k, v) for k, v in result.dagster_run.tags.items())
    print(f"== {job.name}[{key}]: success={result.success} tags={tags}")
    for line in SEEN:
        print("  ", line)
    SEEN.clear()
show_error("op job unknown key", lambda: color_job.execute_in_process(partition_key="green"))
show_error("op job config unknown key", lambda: region_job.execute_in_process(partition_key="asia"))
show_error(
    "undecorated config called",
    lambda: dg.PartitionedConfig(colors, run_config_for_partition_key_fn=lambda k: {})("red"),
)
