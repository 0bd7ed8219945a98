"""The Celery and Dask executors: per-step overhead and parallel sleeps, on a shared PostgreSQL store.

- ``200 trivial steps, 4 workers``: 200 independent trivial ops; wall time / 200 is the per-step
  overhead of the executor as a whole (target for Celery on Redis: < 15 ms/step).
- ``32 x 1 s sleeps, 8 workers``: ideal 4 s; "x ideal" is the ratio (target: within 1.3x).

Each run: a fresh PostgreSQL schema and ``$HEADWATER_HOME``; ``headwater celery worker -c N`` on a
Redis broker/backend (or a Dask LocalCluster of N single-thread worker processes) started and warmed
up with one small run before the measured one.

Dagster's side (the Celery cases, ``--dagster PY`` with ``dagster-celery`` and ``dagster-postgres``
installed there): the same jobs on ``dagster_celery.celery_executor`` (``_dagster_celery_jobs``), Redis
DB 5 as broker and backend and a queue of its own per run, a fresh PostgreSQL database per run as
the instance's storage (``dagster.yaml`` in a fresh ``$DAGSTER_HOME``, which the workers share), and
``dagster-celery worker start -A dagster_celery.app -y <config> -q <queue> -- --concurrency N``; one
warm-up run, then the measured ``execute_job(reconstructable(job), instance)``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks._harness import ROOT, Case, Outcome, main

PG = os.environ.get("HEADWATER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _setup_home() -> tuple[str, str, Any]:
    import sqlalchemy as sa
    import yaml

    engine = sa.create_engine(PG, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT")
    schema = f"hw_bench_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(PG).update_query_dict({"options": f"-csearch_path={schema}"})
    home = tempfile.mkdtemp(prefix="bench-dist-")
    config = {"storage": {"postgres": {"postgres_url": url.render_as_string(hide_password=False)}}}
    Path(home, "headwater.yaml").write_text(yaml.safe_dump(config))

    def drop() -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        shutil.rmtree(home, ignore_errors=True)

    return home, schema, drop


def _run(engine: str, scenario: str, workers: int, lib: str = "headwater") -> float:
    if lib == "dagster":
        return _run_dagster(scenario, workers)
    home, _, drop = _setup_home()
    os.environ["HEADWATER_HOME"] = home
    os.environ["HEADWATER_BENCH_QUEUE"] = f"bench-{uuid.uuid4().hex[:8]}"
    stop: Callable[[], None]
    if engine == "celery":
        from benchmarks import _distributed_jobs as jobs

        proc = subprocess.Popen(
            [sys.executable, "-m", "headwater.cli.main", "celery", "worker", "-m",
             "benchmarks._distributed_jobs", "--broker", jobs.REDIS_URL, "--backend", jobs.REDIS_URL,
             "--config-source", f'{{"task_default_queue": "{jobs.QUEUE}"}}', "-q", jobs.QUEUE,
             "-c", str(workers)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def stop() -> None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
    else:
        from distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
            env={"HEADWATER_HOME": home, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        os.environ["HEADWATER_BENCH_DASK"] = cluster.scheduler_address
        stop = cluster.close
        from benchmarks import _distributed_jobs as jobs
    try:
        from headwater.compat import dagster as dg
        from headwater.definitions.reconstructable import ReconstructableJob

        instance = dg.DagsterInstance.get()
        for name in ("warm", scenario):
            target = ReconstructableJob("benchmarks._distributed_jobs", "defs", jobs.JOBS[engine][name].name)
            t = time.perf_counter()
            with dg.execute_job(target, instance=instance) as result:
                elapsed = time.perf_counter() - t
                assert result.success
        instance.dispose()
        return elapsed
    finally:
        stop()
        drop()


def _run_dagster(scenario: str, workers: int) -> float:
    """One Dagster run on its Celery executor (see the module's docstring)."""
    import psycopg2  # type: ignore[import-not-found,import-untyped,unused-ignore]
    import redis  # type: ignore[import-not-found,import-untyped,unused-ignore]
    import yaml

    database = f"dg_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{database}"')
    home = tempfile.mkdtemp(prefix="bench-dist-dagster-")
    os.environ["DAGSTER_HOME"] = home
    os.environ["HEADWATER_BENCH_QUEUE"] = f"dagster-bench-{uuid.uuid4().hex[:8]}"
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}"
    Path(home, "dagster.yaml").write_text(yaml.safe_dump({"storage": {"postgres": {"postgres_url": url}}}))
    from benchmarks import _dagster_celery_jobs as jobs

    worker_yaml = Path(home, "celery.yaml")
    worker_yaml.write_text(yaml.safe_dump({"execution": {"config": jobs.CELERY_CONFIG}}))
    bin_dir = str(Path(sys.executable).parent)
    proc = subprocess.Popen(
        [str(Path(bin_dir, "dagster-celery")), "worker", "start", "-A", "dagster_celery.app",
         "-y", str(worker_yaml), "-q", jobs.QUEUE, "-l", "WARNING", "--", f"--concurrency={workers}"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
    )  # fmt: skip
    try:
        import dagster as dg

        with dg.DagsterInstance.get() as instance:
            for name in ("warm", scenario):
                target = dg.reconstructable(_dagster_job(name))
                t = time.perf_counter()
                with dg.execute_job(target, instance=instance) as result:
                    elapsed = time.perf_counter() - t
                    assert result.success, f"Dagster's {name} run failed"
        return elapsed
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        redis.Redis.from_url(jobs.REDIS_URL).flushdb()
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(home, ignore_errors=True)


def _dagster_job(name: str) -> Any:
    from benchmarks import _dagster_celery_jobs as jobs

    return jobs.JOBS[name]


def trivial(engine: str) -> Callable[[ModuleType, str], Outcome]:
    def case(dg: ModuleType, lib: str) -> Outcome:
        elapsed = _run(engine, "trivial", 4, lib)
        return {"value": elapsed / 200 * 1000, "total_s": elapsed}

    return case


def sleeps(engine: str) -> Callable[[ModuleType, str], Outcome]:
    def case(dg: ModuleType, lib: str) -> Outcome:
        elapsed = _run(engine, "sleeps", 8, lib)
        return {"value": elapsed, "x_ideal": elapsed / 4.0}

    return case


_HW = ("headwater",)
CASES = [
    Case("celery (Redis): 200 trivial steps, 4 workers", "ms/step", trivial("celery"), extras=("total_s",)),
    Case("celery (Redis): 32 x 1 s sleeps, 8 workers", "s", sleeps("celery"), extras=("x_ideal",)),
    Case("dask: 200 trivial steps, 4 workers", "ms/step", trivial("dask"), libs=_HW, extras=("total_s",)),
    Case("dask: 32 x 1 s sleeps, 8 workers", "s", sleeps("dask"), libs=_HW, extras=("x_ideal",)),
]

if __name__ == "__main__":
    sys.exit(main("benchmarks.bench_distributed", "the Celery and Dask executors", CASES))
