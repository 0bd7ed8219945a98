"""Partition keys at 100,000 partitions, with the same API under Headwater and Dagster.

* the keys of an hourly partitions definition over 10 years (2014-01-01 to 2024-01-01: 87,648 keys),
  cold: the first call on a new definition in the process (UTC, and America/New_York with its DST
  changes);
* the same call again on the same definition (warm);
* ``has_partition_key`` on that definition, per call, over 2,000 keys spread across the 10 years
  (after one call has listed the keys, and one has tested a key: Headwater builds its key set of the
  definition then, about 10 ms once);
* ``get_partition_keys_in_range`` of one month of hours.

Each worker builds the definitions after its imports, so imports are not timed.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime
from types import ModuleType

from benchmarks._harness import Case, Outcome, main

START, END = datetime(2014, 1, 1), datetime(2024, 1, 1)


def _hourly(dg: ModuleType, timezone: str | None = None) -> object:
    return dg.HourlyPartitionsDefinition(
        start_date=START.strftime("%Y-%m-%d-%H:%M"),
        end_date=END.strftime("%Y-%m-%d-%H:%M"),
        timezone=timezone,
    )


def keys_cold(dg: ModuleType, lib: str, timezone: str | None = None) -> Outcome:
    pdef = _hourly(dg, timezone)
    t = time.perf_counter()
    keys = pdef.get_partition_keys()  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - t) * 1e3
    assert len(keys) == 87_648, len(keys)
    return {"value": elapsed, "keys": len(keys)}


def keys_cold_new_york(dg: ModuleType, lib: str) -> Outcome:
    return keys_cold(dg, lib, "America/New_York")


def keys_warm(dg: ModuleType, lib: str) -> Outcome:
    pdef = _hourly(dg)
    pdef.get_partition_keys()  # type: ignore[attr-defined]
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        pdef.get_partition_keys()  # type: ignore[attr-defined]
        runs.append((time.perf_counter() - t) * 1e3)
    return {"value": statistics.median(runs)}


def has_key(dg: ModuleType, lib: str) -> Outcome:
    pdef = _hourly(dg)
    keys = pdef.get_partition_keys()  # type: ignore[attr-defined]
    sample = keys[:: len(keys) // 2000][:2000]
    pdef.has_partition_key(keys[0])  # type: ignore[attr-defined]  # (Headwater builds its key set here)
    t = time.perf_counter()
    found = sum(1 for key in sample if pdef.has_partition_key(key))  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - t) / len(sample) * 1e6
    assert found == len(sample)
    return {"value": elapsed}


def key_range(dg: ModuleType, lib: str) -> Outcome:
    pdef = _hourly(dg)
    pdef.get_partition_keys()  # type: ignore[attr-defined]
    t = time.perf_counter()
    keys = pdef.get_partition_keys_in_range(dg.PartitionKeyRange("2020-02-01-00:00", "2020-02-29-23:00"))  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - t) * 1e3
    assert len(keys) == 29 * 24, len(keys)
    return {"value": elapsed}


CASES = [
    Case("hourly keys, 10 years, cold (UTC)", unit="ms", fn=keys_cold, extras=("keys",)),
    Case("hourly keys, 10 years, cold (America/New_York)", unit="ms", fn=keys_cold_new_york),
    Case("hourly keys, 10 years, warm", unit="ms", fn=keys_warm),
    Case("has_partition_key, 10 years of hours", unit="µs/call", fn=has_key),
    Case("keys in a one-month range of hours", unit="ms", fn=key_range),
]

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_partitions", "Partition keys at 100,000 partitions", CASES))
