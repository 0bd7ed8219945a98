"""Partition status and backfills at scale (Headwater only; see RESULTS.md for why not Dagster).

* the status of an hourly asset with 100,000 partitions (90,000 materialized in 10 stretches, 5,000
  failed, 1,000 in progress, the rest missing), from storage to the compact ranges
  (``Instance.get_partition_status_ranges``): median of 5 calls after a first one, which also lists
  the keys of the definition; the storage read alone and the CPU time of this process (what the
  wall time would be on an idle machine, the database's own work aside) are reported too;
  target < 100 ms;
* a backfill of 1,000 partitions of a trivial asset on a SQLite instance: the launch (plan + store),
  the submission of its 1,000 runs by the backfill tick through the queued coordinator (runs/s;
  target >= 20), and, with real run workers and ``max_concurrent_runs=4``, the time until the
  backfill is COMPLETED_SUCCESS (the backfill tick and the queue's dequeue tick every 0.2 s).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from benchmarks._harness import Case, Outcome, main
from benchmarks.bench_storage import _storage

HOURS = 100_000  # 2014-01-01-00:00 + 100,000 hours = 2025-05-29-16:00
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def partition_status(backend: str) -> Callable[[ModuleType, str], Outcome]:
    def case(dg: ModuleType, lib: str) -> Outcome:
        from headwater.core.asset_events import AssetMaterialization
        from headwater.core.asset_key import AssetKey
        from headwater.events.event import Event, EventLogEntry
        from headwater.events.event_type import EventType
        from headwater.events.payloads import AssetMaterializationPlannedData
        from headwater.instance import Instance
        from headwater.storage.runs import Run

        pdef = dg.HourlyPartitionsDefinition(start_date="2014-01-01-00:00", end_date="2025-05-29-16:00")
        key = AssetKey("hourly")
        keys = pdef.get_partition_keys()
        assert len(keys) == HOURS, len(keys)
        with _storage(backend) as storage:
            storage.run_store.add_run(Run(job_name="job", run_id="live"))
            now = time.time()

            def entry(et: EventType, data: Any, run_id: str = "r") -> EventLogEntry:
                return EventLogEntry(run_id, now, Event(et, "job", "s", event_specific_data=data))

            mats = [k for s in range(10) for k in keys[s * 9_100 : s * 9_100 + 9_000]]  # gaps of 100
            for start in range(0, len(mats), 2000):
                storage.event_store.store_events(
                    [entry(EventType.ASSET_MATERIALIZATION, AssetMaterialization(key, partition=k))
                     for k in mats[start : start + 2000]]
                )  # fmt: skip
            storage.event_store.store_events(
                [entry(EventType.ASSET_FAILED_TO_MATERIALIZE, AssetMaterializationPlannedData(key, k))
                 for k in keys[92_000:97_000]]
            )  # fmt: skip
            storage.event_store.store_events(
                [entry(EventType.ASSET_MATERIALIZATION_PLANNED, AssetMaterializationPlannedData(key, k),
                       "live") for k in keys[97_000:98_000]]
            )  # fmt: skip
            instance = Instance(storage)
            t = time.perf_counter()
            first = instance.get_partition_status_ranges(key, pdef)
            first_ms = (time.perf_counter() - t) * 1000
            times, store_times, cpu_times = [], [], []
            for _ in range(5):
                t, c = time.perf_counter(), time.process_time()
                ranges = instance.get_partition_status_ranges(key, pdef)
                times.append((time.perf_counter() - t) * 1000)
                cpu_times.append((time.process_time() - c) * 1000)
                t = time.perf_counter()
                storage.event_store.get_status_by_partition(key)
                store_times.append((time.perf_counter() - t) * 1000)
            assert ranges == first and ranges.total == HOURS
            assert ranges.failed == 5_000 and ranges.in_progress == 1_000, ranges
        return {
            "value": statistics.median(times),
            "first call ms": first_ms,
            "storage ms": statistics.median(store_times),
            "CPU ms": statistics.median(cpu_times),
            "ranges": len(ranges.ranges),
        }

    return case


def _instance(home: str) -> Any:
    os.environ["HEADWATER_HOME"] = home
    from headwater.instance import Instance
    from headwater.runs.coordinator import QueuedRunCoordinator

    instance = Instance.get()
    instance.configure_runs(coordinator=QueuedRunCoordinator(max_concurrent_runs=4))
    return instance


def _launch(instance: Any) -> Any:
    from headwater.cli.backfill_launch import launch_backfill

    module = "benchmarks._backfill_defs"
    return launch_backfill(
        "*", all_partitions=True, module_name=module, working_directory=ROOT, instance=instance
    )


def backfill_submission(dg: ModuleType, lib: str) -> Outcome:
    from headwater.daemon.backfill_tick import BackfillDaemon

    home = tempfile.mkdtemp(prefix="bench-backfill-")
    try:
        instance = _instance(home)
        t = time.perf_counter()
        backfill = _launch(instance)
        launch_ms = (time.perf_counter() - t) * 1000
        assert backfill.num_runs == 1000
        daemon = BackfillDaemon(instance.storage, instance.run_coordinator, instance.run_launcher)
        t = time.perf_counter()
        submitted = 0
        while submitted < 1000:
            daemon.tick(time.time())
            submitted += daemon.last_result.num_submitted
        seconds = time.perf_counter() - t
        instance.dispose()
        return {"value": submitted / seconds, "launch ms": launch_ms, "submit s": seconds}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def backfill_all_done(dg: ModuleType, lib: str) -> Outcome:
    from headwater.daemon.backfill_tick import BackfillDaemon
    from headwater.runs.queue import dequeue_tick
    from headwater.storage.backfills import BulkActionStatus

    home = tempfile.mkdtemp(prefix="bench-backfill-")
    try:
        instance = _instance(home)
        backfill = _launch(instance)
        daemon = BackfillDaemon(instance.storage, instance.run_coordinator, instance.run_launcher)
        t = time.perf_counter()
        while True:
            now = time.time()
            daemon.tick(now)
            settings, launcher = instance.runs_settings, instance.run_launcher
            dequeue_tick(instance.storage, now, settings=settings, launcher=launcher)
            status = instance.get_backfill(backfill.backfill_id).status
            if status is not BulkActionStatus.REQUESTED:
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - t
        assert status is BulkActionStatus.COMPLETED_SUCCESS, status
        instance.dispose()
        return {"value": seconds, "runs/s": 1000 / seconds}
    finally:
        shutil.rmtree(home, ignore_errors=True)


HW = ("headwater",)
CASES = [
    Case("status of 100k hourly partitions -> ranges, SQLite", unit="ms", fn=partition_status("sqlite"),
         libs=HW, extras=("CPU ms", "first call ms", "storage ms", "ranges")),
    Case("status of 100k hourly partitions -> ranges, PostgreSQL", unit="ms", fn=partition_status("postgres"),
         libs=HW, extras=("CPU ms", "first call ms", "storage ms", "ranges")),
    Case("backfill 1,000 partitions: runs submitted (queued coordinator)", unit="runs/s",
         fn=backfill_submission, libs=HW, extras=("launch ms", "submit s")),
    Case("backfill 1,000 trivial runs, 4 concurrent: until all done", unit="s", fn=backfill_all_done,
         libs=HW, timeout=3600.0, extras=("runs/s",)),
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_backfills", "Partition status and backfills", CASES))
