"""The storage hot paths, on SQLite and PostgreSQL (Headwater only).

* writing 100,000 events in batches of 10 through ``Instance.handle_new_events`` -- one batch per
  step, as the executor writes them (7 engine events with one asset materialization, 3 log lines);
  target >= 20,000 events/s on SQLite;
* ``get_materialized_partitions`` of an asset with 100,000 materialized partitions; target < 50 ms;
* ``get_latest_materialization_events`` for 10,000 asset keys in one call; target < 100 ms.

Read figures are the median of 5 calls in each process after a first call (reported too: the first
call decodes every row; later ones find the asset index's rows in the store's entry cache); the
driver reports medians over processes. Writes also report the median batch and events per CPU second,
which say more than wall time on a busy machine. PostgreSQL comes from HEADWATER_TEST_POSTGRES_URL
(a fresh schema per run).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from benchmarks._harness import Case, Outcome, main

EVENTS = 100_000
BATCH = 10
PARTITIONS = 100_000
ASSET_KEYS = 10_000
POSTGRES_URL = os.environ.get(
    "HEADWATER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def _storage(backend: str) -> Iterator[Any]:
    """A fresh SQL store: a new SQLite file or a new PostgreSQL schema (removed afterwards)."""
    import sqlalchemy as sa

    from headwater.storage.sql import SqlStorage

    if backend == "sqlite":
        home = tempfile.mkdtemp(prefix="bench-storage-")
        storage = SqlStorage.sqlite(os.path.join(home, "headwater.db"))
        try:
            yield storage
        finally:
            storage.dispose()
            shutil.rmtree(home, ignore_errors=True)
        return
    admin = sa.create_engine(POSTGRES_URL, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    storage = SqlStorage(url)
    try:
        yield storage
    finally:
        storage.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _step_batch(run_id: str, step: int, now: float) -> list[Any]:
    """The 10 entries of one step of an asset job."""
    from headwater.core.asset_events import AssetMaterialization
    from headwater.core.asset_key import AssetKey
    from headwater.core.metadata import PathMetadataValue
    from headwater.events.event import Event, EventLogEntry
    from headwater.events.event_type import EventType as E
    from headwater.events.payloads import (
        HandledOutputData,
        LoadedInputData,
        StepInputData,
        StepOutputData,
        StepSuccessData,
        TypeCheckData,
    )

    key = f"asset_{step}"
    job = "__ASSET_JOB"
    mat = AssetMaterialization(AssetKey(key), metadata={"path": PathMetadataValue(f"/data/storage/{key}")})
    events = [
        (E.STEP_START, None, f'Started execution of step "{key}".'),
        (E.LOADED_INPUT, LoadedInputData("x", "io_manager", "result", f"asset_{step - 1}"), "Loaded input."),
        (E.STEP_INPUT, StepInputData("x", TypeCheckData(True, "x")), 'Got input "x" of type "Any".'),
        (E.STEP_OUTPUT, StepOutputData("result", None, TypeCheckData(True, "result"), {}), "Yielded output."),
        (E.ASSET_MATERIALIZATION, mat, f"Materialized value {key}."),
        (E.HANDLED_OUTPUT, HandledOutputData("result", "io_manager"), "Handled output."),
        (E.STEP_SUCCESS, StepSuccessData(0.5), f'Finished execution of step "{key}" in 0.5ms.'),
    ]
    entries = [
        EventLogEntry(run_id, now, Event(t, job, key, msg, data, None, 1234), job_name=job, step_key=key)
        for t, data, msg in events
    ]
    for i in range(BATCH - len(entries)):
        entries.insert(
            2, EventLogEntry(run_id, now, None, job_name=job, step_key=key, user_message=f"log {i}")
        )
    return entries


def write_events(backend: str) -> Callable[[ModuleType, str], Outcome]:
    def case(dg: ModuleType, lib: str) -> Outcome:
        from headwater.instance import Instance

        with _storage(backend) as storage:
            instance = Instance(storage)
            steps_per_run = 100
            runs = [
                instance.create_run(job_name="__ASSET_JOB").run_id
                for _ in range(EVENTS // BATCH // steps_per_run)
            ]
            now = time.time()
            batches = [_step_batch(run_id, s, now) for run_id in runs for s in range(steps_per_run)]
            per_batch = []
            cpu, t = time.process_time(), time.perf_counter()
            for batch in batches:
                started = time.perf_counter()
                instance.handle_new_events(batch)
                per_batch.append(time.perf_counter() - started)
            elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
            assert storage.info().events == EVENTS
        return {
            "value": EVENTS / elapsed,
            "median ms/batch": statistics.median(per_batch) * 1000,
            "events/CPU-s": EVENTS / cpu,
        }

    return case


def _median_ms(call: Callable[[], Any], check: Callable[[Any], bool]) -> tuple[float, float]:
    """(first call, median of the next 5) in ms."""
    t = time.perf_counter()
    assert check(call())
    first = time.perf_counter() - t
    times = []
    for _ in range(5):
        t = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - t)
        assert check(result)
    return first * 1000, statistics.median(times) * 1000


def materialized_partitions(backend: str) -> Callable[[ModuleType, str], Outcome]:
    def case(dg: ModuleType, lib: str) -> Outcome:
        from headwater.core.asset_events import AssetMaterialization
        from headwater.core.asset_key import AssetKey
        from headwater.events.event import Event, EventLogEntry
        from headwater.events.event_type import EventType

        key = AssetKey("daily")
        with _storage(backend) as storage:
            now = time.time()
            for start in range(0, PARTITIONS, 1000):
                storage.event_store.store_events([
                    EventLogEntry("r", now, Event(EventType.ASSET_MATERIALIZATION, "job", "s",
                                  event_specific_data=AssetMaterialization(key, partition=f"p{i:06d}")))
                    for i in range(start, start + 1000)
                ])  # fmt: skip
            store = storage.event_store
            first, ms = _median_ms(
                lambda: store.get_materialized_partitions(key), lambda r: len(r) == PARTITIONS
            )
        return {"value": ms, "first call ms": first}

    return case


def latest_materializations(backend: str) -> Callable[[ModuleType, str], Outcome]:
    def case(dg: ModuleType, lib: str) -> Outcome:
        from headwater.core.asset_events import AssetMaterialization
        from headwater.core.asset_key import AssetKey
        from headwater.core.metadata import PathMetadataValue
        from headwater.events.event import Event, EventLogEntry
        from headwater.events.event_type import EventType

        keys = [AssetKey(["warehouse", f"table_{i}"]) for i in range(ASSET_KEYS)]
        with _storage(backend) as storage:
            now = time.time()
            for start in range(0, ASSET_KEYS, 1000):
                storage.event_store.store_events([
                    EventLogEntry("r", now, Event(EventType.ASSET_MATERIALIZATION, "job", "s",
                                  event_specific_data=AssetMaterialization(
                                      k, metadata={"path": PathMetadataValue(f"/data/{k.path[-1]}")})))
                    for k in keys[start : start + 1000]
                ])  # fmt: skip
            store = storage.event_store

            def check(result: Any) -> bool:
                return len(result) == ASSET_KEYS and all(v is not None for v in result.values())

            first, ms = _median_ms(lambda: store.get_latest_materialization_events(keys), check)
        return {"value": ms, "first call ms": first}

    return case


HW = ("headwater",)
CASES = [
    Case("write 100k events, batches of 10, SQLite", unit="events/s", fn=write_events("sqlite"), libs=HW,
         extras=("median ms/batch", "events/CPU-s")),
    Case("write 100k events, batches of 10, PostgreSQL", unit="events/s", fn=write_events("postgres"),
         libs=HW, extras=("median ms/batch", "events/CPU-s")),
    Case("materialized partitions of a 100k-partition asset, SQLite", unit="ms",
         fn=materialized_partitions("sqlite"), libs=HW, extras=("first call ms",)),
    Case("materialized partitions of a 100k-partition asset, PostgreSQL", unit="ms",
         fn=materialized_partitions("postgres"), libs=HW, extras=("first call ms",)),
    Case("latest materialization of 10k asset keys, SQLite", unit="ms", fn=latest_materializations("sqlite"),
         libs=HW, extras=("first call ms",)),
    Case("latest materialization of 10k asset keys, PostgreSQL", unit="ms",
         fn=latest_materializations("postgres"), libs=HW, extras=("first call ms",)),
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main("benchmarks.bench_storage", "Storage: event writes and asset reads", CASES))
