"""Freshness: policies on assets, the freshness check factories (names, specs, results and their
metadata keys) and the freshness checks sensor's requests, evaluated with the real clock (only facts
that do not depend on the time are printed)."""

from datetime import timedelta

import dagster as dg

policy = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=2), warn_window=timedelta(hours=1))
cron = dg.FreshnessPolicy.cron(
    deadline_cron="0 9 * * *", lower_bound_delta=timedelta(hours=1), timezone="Europe/Paris"
)


@dg.asset(freshness_policy=policy)
def table() -> int:
    return 1


daily = dg.DailyPartitionsDefinition(start_date="2020-01-01")


@dg.asset(partitions_def=daily, freshness_policy=cron)
def events() -> int:
    return 1


print("policy on spec:", table.specs_by_key[dg.AssetKey("table")].freshness_policy == policy)
print("cron timezone:", cron.timezone, cron.deadline_cron, cron.lower_bound_delta)
legacy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=30, cron_schedule="0 * * * *")
print("legacy:", legacy.maximum_lag_minutes, legacy.cron_schedule, legacy.cron_schedule_timezone)
spec = dg.apply_freshness_policy(dg.AssetSpec("external"), policy)
print("applied:", spec.freshness_policy == policy)
print("kept:", dg.apply_freshness_policy(spec, cron, overwrite_existing=False).freshness_policy == policy)

last_update = dg.build_last_update_freshness_checks(assets=[table], lower_bound_delta=timedelta(hours=1))
partitions = dg.build_time_partition_freshness_checks(
    assets=[events], deadline_cron="0 9 * * *", severity=dg.AssetCheckSeverity.ERROR
)
for checks in (last_update, partitions):
    (definition,) = checks
    print("op:", definition.node_def.name)
    for s in definition.check_specs:
        print("  spec:", s.key.to_user_string(), s.description, s.blocking, dict(s.metadata))

sensor = dg.build_sensor_for_freshness_checks(freshness_checks=[*last_update, *partitions])
print("sensor:", sensor.name, sensor.minimum_interval_seconds, sensor.default_status)

with dg.instance_for_test() as instance:

    def run_checks(label):
        checks = [*last_update, *partitions]
        result = dg.materialize(
            [table, events, *checks], instance=instance, selection=dg.AssetSelection.checks(*checks)
        )
        for e in sorted(result.get_asset_check_evaluations(), key=lambda e: e.asset_key.to_user_string()):
            print(f"{label}: {e.asset_key.to_user_string()}:{e.check_name} passed={e.passed} {e.severity}")
            print("  metadata:", sorted(e.metadata))
            if e.description.startswith(("Asset has never", "The asset has never")):
                print("  ", e.description.split(". We currently")[0])

    context = dg.build_sensor_context(instance=instance)
    request = sensor(context)
    print("first tick:", sorted(k.to_user_string() for k in request.asset_check_keys))
    run_checks("never materialized")
    print("after failures:", sensor(dg.build_sensor_context(instance=instance)).skip_message)
    dg.materialize([table], instance=instance)
    again = sensor(dg.build_sensor_context(instance=instance))
    print("after a materialization:", sorted(k.to_user_string() for k in again.asset_check_keys))
    run_checks("materialized")
