"""What a run stores: its run config (as passed), its tags (normalized as Dagster does) and the errors
for tags that cannot be stored."""

import json

import dagster as dg
from _report import show_error


class Settings(dg.Config):
    x: int = 1


@dg.op
def configured(config: Settings) -> int:
    return config.x


@dg.job
def plain():
    configured()


@dg.job(config={"ops": {"configured": {"config": {"x": 7}}}}, tags={"team": "data", "n": 1})
def with_defaults():
    configured()


def stored(label, result):
    run = result.dagster_run  # dict order is not compared: Dagster's storage sorts keys
    config = json.dumps(run.run_config, sort_keys=True)
    print(f"{label}: run_config={config} tags={dict(sorted(run.tags.items()))}")


stored("no run config", plain.execute_in_process())
stored("dict", plain.execute_in_process(run_config={"ops": {"configured": {"config": {"x": 2}}}}))
stored(
    "dict with sections", plain.execute_in_process(run_config={"ops": {"configured": {}}, "resources": {}})
)
stored("RunConfig", plain.execute_in_process(run_config=dg.RunConfig(ops={"configured": Settings(x=3)})))
stored("job defaults", with_defaults.execute_in_process())
print("job tags:", dict(sorted(with_defaults.tags.items())))
stored(
    "run tags", plain.execute_in_process(tags={"a": 1, "b": None, "c": [1, 2], "d": {"e": "f"}, "s": "str"})
)


@dg.asset
def one() -> int:
    return 1


class Conn(dg.ConfigurableResource):
    url: str = "x"


@dg.asset
def uses_conn(conn: Conn) -> str:
    return conn.url


stored("materialize", dg.materialize([one], tags={"n": 2}))
stored("materialize with resources", dg.materialize([uses_conn], resources={"conn": Conn(url="y")}))
stored(
    "configure at launch",
    dg.materialize(
        [uses_conn],
        resources={"conn": Conn.configure_at_launch()},
        run_config={"resources": {"conn": {"config": {"url": "z"}}}},
    ),
)
asset_job = dg.define_asset_job("asset_job", tags={"n": 3}, run_tags={"m": False})
print("asset job tags:", asset_job.tags, asset_job.run_tags)


@dg.op(tags={"a": 1, "b": {"c": 2}})
def tagged_op():
    return 1


print("op tags:", tagged_op.tags)

show_error("run tag object()", lambda: plain.execute_in_process(tags={"a": object()}))
show_error("run tag tuple", lambda: plain.execute_in_process(tags={"a": (1, 2)}))
show_error("materialize tag object()", lambda: dg.materialize([one], tags={"a": object()}))
show_error("job tag object()", lambda: dg.job(tags={"a": object()}, name="bad_tags")(lambda: None))
show_error("asset tag int", lambda: dg.asset(tags={"a": 1}, name="int_tag")(lambda: 1))
show_error("asset tag with a space", lambda: dg.asset(tags={"owner": "data team"}, name="spaced")(lambda: 1))
show_error("asset tag key with a space", lambda: dg.AssetSpec("spec", tags={"my key": "x"}))
print("asset kinds:", dg.AssetSpec("kinded", kinds={"python"}, tags={"tier": "gold"}).tags)


seen = {}


@dg.op
def reads_context(context: dg.OpExecutionContext, config: Settings) -> int:
    seen.update(run_config=context.run_config, job=context.job_def.name, partitioned=context.has_partitions)
    return config.x


@dg.job
def context_job():
    reads_context()


ran = context_job.execute_in_process(run_config={"ops": {"reads_context": {"config": {"x": 4}}}})
print("context:", seen)
FLAGS = ("is_engine_event", "is_handled_output", "is_loaded_input", "is_step_up_for_retry", "is_hook_event")
print("event flags:", sorted({flag for e in ran.all_events for flag in FLAGS if getattr(e, flag)}))
print("fan-in:", dg.DependencyDefinition("a").is_fan_in(), dg.MultiDependencyDefinition([]).is_fan_in())
show_error("run_config of a directly invoked op", lambda: dg.build_op_context().run_config)
