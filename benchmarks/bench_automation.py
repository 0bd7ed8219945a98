"""Declarative automation at scale (Headwater only; see RESULTS.md): one tick of the daemon's
automation loop over 1,000 daily-partitioned assets with 365 partitions each, every asset
``AutomationCondition.eager()``.

The assets form 100 chains of 10 (each depends on the one before it, identity partition mapping);
every partition of every asset is materialized (365,000 materializations, stored through the event
store before timing). Two ticks are timed, each a full ``AutomationTick.tick(now)`` (read state,
evaluate, store 1,000 evaluations with their reason trees, plan and launch):

* the first evaluation (no cursor: every condition's initial evaluation);
* a later one, after the latest partition of the 100 chain roots was materialized again: the
  assets below them are requested (900 runs, one per asset partition group, submitted through the
  queued coordinator).

Target: one tick under 5 s.
"""

from __future__ import annotations

import datetime
import time
from types import ModuleType
from typing import Any

from benchmarks._harness import Case, Outcome, main
from benchmarks._locations import InProcessLocation
from benchmarks.bench_storage import _storage

ASSETS = 1_000
CHAIN = 10
DAYS = 365
NOW = datetime.datetime(2025, 1, 1, 6, tzinfo=datetime.UTC)


def _defs(dg: ModuleType) -> Any:
    daily = dg.DailyPartitionsDefinition(
        start_date=(NOW - datetime.timedelta(days=DAYS)).strftime("%Y-%m-%d")
    )
    specs = []
    for i in range(ASSETS):
        deps = [f"a{i - 1}"] if i % CHAIN else []
        specs.append(
            dg.AssetSpec(
                f"a{i}", deps=deps, partitions_def=daily, automation_condition=dg.AutomationCondition.eager()
            )
        )

    @dg.multi_asset(specs=specs, can_subset=True)
    def everything() -> None: ...

    return dg.Definitions(assets=[everything]), daily


def one_tick(dg: ModuleType, lib: str) -> Outcome:
    from headwater.core.asset_events import AssetMaterialization
    from headwater.core.asset_key import AssetKey
    from headwater.daemon.automation_tick import AutomationTick
    from headwater.daemon.tick_runs import submitter
    from headwater.events.event import Event, EventLogEntry
    from headwater.events.event_type import EventType
    from headwater.runs.coordinator import QueuedRunCoordinator

    defs, daily = _defs(dg)
    keys = daily.get_partition_keys(current_time=NOW)
    assert len(keys) == DAYS, len(keys)
    with _storage("sqlite") as storage:
        stamp = NOW.timestamp()

        def entry(asset: str, partition: str) -> EventLogEntry:
            data = AssetMaterialization(AssetKey(asset), partition=partition)
            return EventLogEntry(
                "seed", stamp, Event(EventType.ASSET_MATERIALIZATION, "job", "s", event_specific_data=data)
            )

        t = time.perf_counter()
        batch: list[EventLogEntry] = []
        for i in range(ASSETS):
            batch.extend(entry(f"a{i}", k) for k in keys)
            if len(batch) >= 5_000:
                storage.event_store.store_events(batch)
                batch = []
        if batch:
            storage.event_store.store_events(batch)
        seed_s = time.perf_counter() - t
        locations = InProcessLocation(defs, "benchmarks.bench_automation")
        loop = AutomationTick(storage, locations, submitter(storage, QueuedRunCoordinator(), None))
        t, c = time.perf_counter(), time.process_time()
        loop.tick(stamp)
        first_ms = (time.perf_counter() - t) * 1000
        first_cpu = (time.process_time() - c) * 1000
        storage.event_store.store_events([entry(f"a{i}", keys[-1]) for i in range(0, ASSETS, CHAIN)])
        t, c = time.perf_counter(), time.process_time()
        loop.tick(stamp + 60)
        second_ms = (time.perf_counter() - t) * 1000
        second_cpu = (time.process_time() - c) * 1000
        runs = storage.run_store.get_runs_count()
        evaluations = len(storage.automation.get_latest_evaluations())
    assert evaluations == ASSETS, evaluations
    assert runs == 1, runs  # one run: the 900 downstream assets of one partition key together
    return {
        "value": second_ms,
        "first tick ms": first_ms,
        "first tick CPU ms": first_cpu,
        "CPU ms": second_cpu,
        "seed s": seed_s,
        "runs": runs,
    }


HW = ("headwater",)
CASES = [
    Case("automation tick: 1,000 assets x 365 daily partitions, eager, SQLite", unit="ms", fn=one_tick,
         libs=HW, timeout=1800.0, extras=("CPU ms", "first tick ms", "first tick CPU ms", "seed s", "runs")),
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_automation", "Declarative automation", CASES))
