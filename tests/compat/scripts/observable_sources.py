"""Observable source assets: the decorators' shapes, observation jobs (alone and with a downstream
asset), the observations' tags (data versions), partitioned observations, the result's observation
events, fetch_observations paging, and the error for a wrong return value."""

import dagster as dg
from dagster._core.errors import DagsterInvalidObservationError

PARTS = dg.StaticPartitionsDefinition(["a", "b", "c"])
counter = {"n": 0}


@dg.observable_source_asset(key_prefix=["raw"], group_name="vendor", description="A feed.")
def feed(context):
    counter["n"] += 1
    return dg.DataVersion(f"v{counter['n']}")


@dg.observable_source_asset
def with_metadata():
    return dg.ObserveResult(data_version=dg.DataVersion("m1"), metadata={"rows": 3}, tags={"t": "u"})


@dg.observable_source_asset(partitions_def=PARTS)
def shards():
    return dg.DataVersionsByPartition({"a": "1", "b": dg.DataVersion("2")})


@dg.multi_observable_source_asset(specs=[dg.AssetSpec("m_one"), dg.AssetSpec("m_two")])
def both():
    yield dg.ObserveResult(asset_key="m_one", data_version=dg.DataVersion("x"))
    yield dg.ObserveResult(asset_key="m_two", data_version=dg.DataVersion("y"), tags={"k": "v"})


@dg.observable_source_asset
def broken():
    return 5


@dg.asset(deps=[feed])
def downstream():
    return 1


print("feed:", type(feed).__name__, feed.key.to_user_string(), feed.group_name, feed.description)
print("flags:", feed.is_observable, feed.is_executable, feed.op.name)
print("multi:", type(both).__name__, both.is_observable, both.is_materializable, both.is_executable)
src = dg.SourceAsset("timed", observe_fn=lambda: dg.DataVersion("t"), auto_observe_interval_minutes=2)
print("interval:", src.auto_observe_interval_minutes)

defs = dg.Definitions(
    assets=[feed, with_metadata, shards, both, broken, downstream, src],
    jobs=[
        dg.define_asset_job("observe_feed", [feed]),
        dg.define_asset_job("feed_and_downstream", [feed, downstream]),
        dg.define_asset_job("observe_rest", [with_metadata, shards, both]),
        dg.define_asset_job("observe_broken", [broken]),
        dg.define_asset_job("everything"),
    ],
)
graph = defs.resolve_asset_graph()
print("timed interval in the graph:", graph.get(dg.AssetKey("timed")).auto_observe_interval_minutes)
instance = dg.DagsterInstance.ephemeral()


def observations(result):
    out = []
    for event in result.all_events:
        if event.event_type_value == "ASSET_OBSERVATION":
            obs = event.event_specific_data.asset_observation
            meta = {k: v.value for k, v in obs.metadata.items()}
            out.append((event.step_key, obs.asset_key.to_user_string(), obs.partition, dict(obs.tags), meta))
    return out


for name in ("observe_feed", "observe_feed", "feed_and_downstream", "observe_rest", "everything"):
    result = defs.resolve_job_def(name).execute_in_process(instance=instance)
    started = [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]
    # the order of independent steps is not compared (tests/compat: differences, row 10)
    print(name, result.success, started if name == "feed_and_downstream" else sorted(started))
    for row in sorted(observations(result), key=str):
        print("  ", row)
    print("   events:", len(result.get_asset_observation_events()))
    if name == "observe_rest":
        print("   for shards:", [o.partition for o in result.asset_observations_for_node("shards")])

result = defs.resolve_job_def("observe_broken").execute_in_process(instance=instance, raise_on_error=False)
[failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
print("broken:", result.success, failure.event_specific_data.error.cls_name)
try:
    defs.resolve_job_def("observe_broken").execute_in_process(instance=instance)
except DagsterInvalidObservationError as exc:
    print("raised DagsterInvalidObservationError:", str(exc))

key = dg.AssetKey(["raw", "feed"])
page = instance.fetch_observations(key, limit=2)
print("page 1:", [r.asset_observation.tags["dagster/data_version"] for r in page.records], page.has_more)
page = instance.fetch_observations(key, limit=2, cursor=page.cursor)
print("page 2:", [r.asset_observation.tags["dagster/data_version"] for r in page.records], page.has_more)
asc = instance.fetch_observations(key, limit=5, ascending=True)
print("ascending:", [r.asset_observation.tags["dagster/data_version"] for r in asc.records])
only_a = instance.fetch_observations(
    dg.AssetRecordsFilter(asset_key=dg.AssetKey("shards"), asset_partitions=["a"]), limit=5
)
print("partition a:", [r.partition_key for r in only_a.records])
print("materializations of feed:", len(instance.fetch_materializations(key, limit=5).records))
