"""The daemon: idle cost of `headwater daemon run`, and leader failover between two replicas.

Real processes, a fresh ``HEADWATER_HOME`` per case (SQLite, or a new PostgreSQL schema). Cases:

- ``idle``: ``headwater daemon run`` with a queued run coordinator (run queue every 2 s, run
  monitoring every 30 s -- the defaults) and nothing to do. After the daemon leads both loops, its
  CPU time (user + system, from /proc) is read over ``--seconds`` (default 30) and turned into a
  share of one core; its memory is RSS and PSS at the end. Target: < 2 % of one core, < 120 MB.
  With ``--dagster PY``: ``dagster-daemon run`` on an empty Definitions, the same way (its code
  server child included, as Dagster starts one).
- ``failover`` (PostgreSQL): two ``headwater daemon run`` replicas with ``--lease-seconds L``
  (default 5); the leader is killed with SIGKILL at a random moment of its renewal cycle, and the
  clock stops when the other holds the run queue's lease (the lease table polled every 10 ms).
  Bound: L + L/5 (the lease expires at most L after the last renewal; a standby polls every L/5).

Run: ``python -m benchmarks.bench_daemon [--seconds 30] [--runs 5] [--lease 5] [--dagster PY]``.
PostgreSQL from HEADWATER_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "HEADWATER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def memory_mb(pids: list[int]) -> tuple[float, float]:
    rss = pss = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    return rss / 1024, pss / 1024


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    found = [int(p) for p in out]
    return found + [g for c in found for g in children(c)]


def wait_until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextmanager
def pg_schema() -> Iterator[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schema = f"hw_bench_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield (
            sa.make_url(PG_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def write_home(home: Path, storage_url: str | None) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    lines = ["run_coordinator:", "  queued: {}"]
    if storage_url:
        lines += ["storage:", "  postgres:", f"    postgres_url: '{storage_url}'"]
    (home / "headwater.yaml").write_text("\n".join(lines) + "\n")
    return {**os.environ, "HEADWATER_HOME": str(home), "PYTHONDONTWRITEBYTECODE": ""}


def leases(env: dict[str, str]) -> dict[str, tuple[str, float]]:
    code = (
        "from headwater.instance import Instance\n"
        "with Instance.get() as i:\n"
        "    for l in i.storage.leases.get_leases(): print(l.name, l.holder, l.expires_at)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return {n: (h, float(e)) for n, h, e in (line.split() for line in out.stdout.splitlines())}


def daemon(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "headwater.cli.main", "daemon", "run", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def idle_headwater(tmp: Path, seconds: float, storage_url: str | None) -> tuple[float, float, float]:
    env = write_home(tmp / "home", storage_url)
    log = tmp / "daemon.log"
    proc = daemon(env, log, "--daemon-id", "bench")
    try:
        wait_until(lambda: "leads loop 'run_monitoring'" in log.read_text(), 60, "the daemon to lead")
        wait_until(lambda: "leads loop 'run_queue'" in log.read_text(), 60, "the daemon to lead")
        time.sleep(2)  # past start-up
        pids = [proc.pid]
        before, started = cpu_seconds(pids), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(pids) - before, time.monotonic() - started
        rss, pss = memory_mb(pids)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    return 100 * used / elapsed, rss, pss


def idle_dagster(tmp: Path, seconds: float, python: str) -> tuple[float, float, float]:
    home = tmp / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "run_coordinator:\n  module: dagster.core.run_coordinator\n  class: QueuedRunCoordinator\n"
    )
    defs = tmp / "defs.py"
    defs.write_text("import dagster as dg\ndefs = dg.Definitions()\n")
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    binary = str(Path(python).parent / "dagster-daemon")
    log = tmp / "dagster-daemon.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "run", "-f", str(defs)], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp
        )
    try:
        # start-up: it starts a code server (gRPC) for the location and every daemon thread
        wait_until(lambda: children(proc.pid), 120, "dagster-daemon's code server")
        time.sleep(15)
        pids = [proc.pid, *children(proc.pid)]
        before, started = cpu_seconds(pids), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(pids) - before, time.monotonic() - started
        rss, pss = memory_mb(pids)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 100 * used / elapsed, rss, pss


def failover(tmp: Path, lease: float, runs: int) -> list[float]:
    times = []
    with pg_schema() as url:
        env = write_home(tmp / "pg_home", url)
        log = tmp / "failover.log"
        live = [daemon(env, log, "--daemon-id", "r0", "--lease-seconds", str(lease))]
        wait_until(lambda: leases(env).get("run_queue", ("",))[0] == "r0", 60, "r0 to lead")
        for i in range(1, runs + 1):
            live.append(daemon(env, log, "--daemon-id", f"r{i}", "--lease-seconds", str(lease)))
            time.sleep(2 + random.uniform(0, lease))  # the new one stands by; kill at a random moment
            leader_id = leases(env)["run_queue"][0]
            leader = live[int(leader_id[1:])]
            leader.kill()
            killed = time.monotonic()
            import sqlalchemy as sa

            engine = sa.create_engine(url)
            with engine.connect() as conn:
                while True:
                    holder, expires = conn.execute(
                        sa.text("SELECT holder, expires_at FROM daemon_leases WHERE name = 'run_queue'")
                    ).one()
                    conn.commit()
                    if holder != leader_id and expires > time.time():
                        break
                    time.sleep(0.01)
            engine.dispose()
            times.append(time.monotonic() - killed)
            leader.wait(10)
        for proc in live:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(30)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--dagster", default=os.environ.get("HEADWATER_BENCH_DAGSTER_PYTHON"))
    parser.add_argument("--case", choices=["idle", "failover", "dagster-idle"], action="append")
    args = parser.parse_args()
    cases = args.case or ["idle", "failover", "dagster-idle"]
    os.chdir(ROOT)
    if "idle" in cases:
        for name, url_ctx in (("SQLite", None), ("PostgreSQL", pg_schema)):
            figures = []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as tmp:
                    if url_ctx is None:
                        figures.append(idle_headwater(Path(tmp), args.seconds, None))
                    else:
                        with url_ctx() as url:
                            figures.append(idle_headwater(Path(tmp), args.seconds, url))
            cpu, rss, pss = (statistics.median(f[i] for f in figures) for i in range(3))
            print(
                f"idle, headwater daemon run ({name}, {args.seconds:g} s x {args.runs}): "
                f"CPU {cpu:.2f} % of one core (runs {', '.join(f'{f[0]:.2f}' for f in figures)}), "
                f"RSS {rss:.0f} MB, PSS {pss:.0f} MB"
            )
    if "dagster-idle" in cases and args.dagster:
        figures = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                figures.append(idle_dagster(Path(tmp), args.seconds, args.dagster))
        cpu, rss, pss = (statistics.median(f[i] for f in figures) for i in range(3))
        print(
            f"idle, dagster-daemon run + its code server ({args.seconds:g} s x {args.runs}): "
            f"CPU {cpu:.2f} % of one core (runs {', '.join(f'{f[0]:.2f}' for f in figures)}), "
            f"RSS {rss:.0f} MB, PSS {pss:.0f} MB"
        )
    if "failover" in cases:
        with tempfile.TemporaryDirectory() as tmp:
            times = failover(Path(tmp), args.lease, args.runs)
        print(
            f"failover after SIGKILL (PostgreSQL, lease {args.lease:g} s, bound {args.lease * 1.2:g} s): "
            f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in times)})"
        )


if __name__ == "__main__":
    main()
