"""The stored form of events, without a database (Headwater only; compare commits with ``--src``).

* encoding the 10 entries of one step of an asset job as the SQL store writes them
  (``entry_to_json(entry, in_row=True)``), per step, and the bytes of those row bodies;
* decoding one stored ``AssetMaterialization`` row with a path metadata value, as a cold read of the
  asset index does (``entry_from_json`` with the row's columns), per row.

Each figure is the median of 5 passes over 2,000 steps / 10,000 rows in the worker process.
"""

from __future__ import annotations

import gc
import statistics
import time
from types import ModuleType

from benchmarks._harness import Case, Outcome, main
from benchmarks.bench_storage import _step_batch

STEPS = 2_000
ROWS = 10_000


def encode_steps(dg: ModuleType, lib: str) -> Outcome:
    from headwater.storage.serde import entry_to_json

    batches = [_step_batch("0f9c2b1e-5d7a-4c3e-9b8f-1a2b3c4d5e6f", s, 1.7e9) for s in range(STEPS)]

    def one_pass() -> float:
        t = time.perf_counter()
        for batch in batches:
            for entry in batch:
                entry_to_json(entry, in_row=True)
        return (time.perf_counter() - t) / STEPS * 1e6

    size = statistics.median(sum(len(entry_to_json(e, in_row=True)) for e in b) for b in batches)
    return {"value": statistics.median(one_pass() for _ in range(5)), "row bytes/step": size}


def decode_materializations(dg: ModuleType, lib: str) -> Outcome:
    from headwater.core.asset_events import AssetMaterialization
    from headwater.core.asset_key import AssetKey
    from headwater.core.metadata import PathMetadataValue
    from headwater.events.event import Event, EventLogEntry
    from headwater.events.event_type import EventType
    from headwater.storage.serde import RowColumns, entry_from_json, entry_to_json

    rows = []
    for i in range(ROWS):
        key = f"asset_{i}"
        data = AssetMaterialization(AssetKey(key), metadata={"path": PathMetadataValue(f"/data/{key}")})
        event = Event(
            EventType.ASSET_MATERIALIZATION, "__ASSET_JOB", key, f"Materialized {key}.", data, None, 1
        )
        entry = EventLogEntry("r", 1.7e9, event, job_name="__ASSET_JOB", step_key=key)
        rows.append((entry_to_json(entry, in_row=True), RowColumns("r", 1.7e9, key, "ASSET_MATERIALIZATION")))

    def one_pass() -> float:
        gc.collect()
        t = time.perf_counter()
        for storage_id, (text, columns) in enumerate(rows):
            entry_from_json(text, storage_id, columns)
        return (time.perf_counter() - t) / ROWS * 1e6

    return {"value": statistics.median(one_pass() for _ in range(5))}


HW = ("headwater",)
CASES = [
    Case("encode a step's 10 entries for their rows", unit="µs/step", fn=encode_steps, libs=HW,
         extras=("row bytes/step",)),
    Case("decode a stored AssetMaterialization row", unit="µs/row", fn=decode_materializations, libs=HW),
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_serde", "Stored events: encoding and decoding", CASES))
