"""The webserver: `headwater dev` start-up and memory, the asset catalog, a run's events in pages.

Headwater only (Dagster's figures for the same project, measured by the issue: `dagster dev` answers
GraphQL after 7.1 s and its processes take 674 MB). Real processes and HTTP on loopback; a fresh
``HEADWATER_HOME`` in a temporary directory. Cases:

- ``dev start``: ``headwater dev -f defs.py --port 0`` over a 1,000-asset project (a tree: asset i
  depends on asset i//2, ten groups); the clock starts before the process is spawned and stops when
  ``assetNodes`` answers with all 1,000 assets. Target < 1.5 s. Then the memory of ``headwater dev``
  and every process under it (the code server): the sum of their RSS, and of their PSS (shared pages
  counted once). Target < 250 MB.
- ``catalog``: ``headwater webserver`` over a 10,000-asset project with 1,000 asset checks, each asset
  materialized and each check evaluated once (written to storage beforehand); the asset catalog query
  (every asset: key, group, kinds, latest materialization, checks with their latest execution) over
  HTTP, median of ``--runs``; then the same as compact rows (``assetCatalog``, what the UI reads).
  Target < 300 ms.
- ``events``: a run with 10,000 stored events, read with ``logsForRun(limit: 1000)`` page by page over
  HTTP; median and slowest page. Target < 100 ms per page.

Run: ``python -m benchmarks.bench_webserver [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CATALOG = """{ assetNodes { ... on AssetNodeConnection { totalCount nodes { assetKey { path } groupName kinds
    latestMaterialization { runId timestamp } assetChecks { name latestExecution { status } } } } } }"""
#: The same catalog as compact rows (what the UI's catalog reads): one JSON value per page.
CATALOG_ROWS = """{ assetCatalog { ... on AssetCatalogPage { totalCount columns rows } } }"""
EVENTS = """query($id: ID!, $c: String) { logsForRun(runId: $id, afterCursor: $c, limit: 1000) {
    ... on EventConnection { cursor hasMore events {
        cursor eventType message timestamp stepKey level } } } }"""


def project_source(assets: int, checks_every: int = 0) -> str:
    lines = [
        "import headwater as hw",
        "",
        "def _make(i):",
        "    deps = [f'a{i // 2}'] if i else []",
        "    @hw.asset(name=f'a{i}', deps=deps, group_name=f'g{i % 10}', kinds={'python'})",
        "    def _a():",
        "        return None",
        "    return _a",
        "",
        f"assets = [_make(i) for i in range({assets})]",
        "checks = []",
    ]
    if checks_every:
        lines += [
            f"for i in range(0, {assets}, {checks_every}):",
            "    @hw.asset_check(asset=f'a{i}', name='ok')",
            "    def _c():",
            "        return hw.AssetCheckResult(passed=True)",
            "    checks.append(_c)",
        ]
    lines.append("defs = hw.Definitions(assets=assets, asset_checks=checks)")
    return "\n".join(lines) + "\n"


def post(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        url + "/graphql", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        payload = json.loads(response.read())
    if payload.get("errors"):
        raise RuntimeError(payload["errors"])
    return payload["data"]  # type: ignore[no-any-return]


def start(command: str, root: Path, log: Path) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "HEADWATER_HOME": str(root / "home")}
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "headwater.cli.main",
                command,
                "-f",
                "defs.py",
                "--port",
                "0",
                *(["--no-daemon"] if command == "dev" else []),
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return proc, started


def wait_url(proc: subprocess.Popen[bytes], log: Path, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"serving (http://\S+) ", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        time.sleep(0.005)
    raise TimeoutError(log.read_text())


def family(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, frontier = [pid], [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.append(child)
                frontier.append(child)
    return found


def memory_mb(pids: list[int]) -> tuple[float, float]:
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def bench_dev_start(runs: int) -> None:
    times, rss, pss = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="hw-bench-dev-") as tmp:
            root = Path(tmp)
            (root / "defs.py").write_text(project_source(1000))
            proc, started = start("dev", root, root / "dev.log")
            try:
                url = wait_url(proc, root / "dev.log")
                while True:
                    try:
                        data = post(url, "{ assetNodes { ... on AssetNodeConnection { totalCount } } }")
                        if data["assetNodes"]["totalCount"] == 1000:
                            break
                    except (OSError, RuntimeError):
                        pass
                    time.sleep(0.005)
                times.append(time.perf_counter() - started)
                post(url, CATALOG)  # memory after serving the catalog once
                r, p = memory_mb(family(proc.pid))
                rss.append(r)
                pss.append(p)
            finally:
                stop(proc)
    print(
        f"  dev start, 1,000 assets: median {statistics.median(times):.2f} s (runs: "
        + ", ".join(f"{t:.2f}" for t in times)
        + ")"
    )
    print(
        f"  memory of headwater dev + code server: RSS {statistics.median(rss):.0f} MB, "
        f"PSS {statistics.median(pss):.0f} MB"
    )


def populate(home: Path, assets: int, checks_every: int, events: int) -> str:
    os.environ["HEADWATER_HOME"] = str(home)
    from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization
    from headwater.core.asset_key import AssetKey
    from headwater.events.event import Event, EventLogEntry
    from headwater.events.event_type import EventType
    from headwater.events.payloads import EngineEventData
    from headwater.instance import Instance
    from headwater.storage.runs import Run

    with Instance.get() as instance:
        store = instance.storage.event_store
        now = time.time()
        batch: list[EventLogEntry] = []
        for i in range(assets):
            mat = AssetMaterialization(AssetKey(f"a{i}"), metadata={"rows": i})
            batch.append(
                EventLogEntry("", now, Event(EventType.ASSET_MATERIALIZATION, "", event_specific_data=mat))
            )
            if checks_every and i % checks_every == 0:
                evaluation = AssetCheckEvaluation(AssetKey(f"a{i}"), "ok", passed=True)
                event = Event(EventType.ASSET_CHECK_EVALUATION, "", event_specific_data=evaluation)
                batch.append(EventLogEntry("", now, event))
            if len(batch) >= 1000:
                store.store_events(batch)
                batch = []
        if batch:
            store.store_events(batch)
        run = instance.storage.run_store.add_run(Run(job_name="bench"))
        for start_at in range(0, events, 1000):
            entries = [
                EventLogEntry(
                    run.run_id,
                    now + j / 1000,
                    Event(
                        EventType.ENGINE_EVENT,
                        "bench",
                        step_key=f"s{j % 50}",
                        message=f"event {j}",
                        event_specific_data=EngineEventData({"n": j}),
                    ),
                    job_name="bench",
                )
                for j in range(start_at, min(events, start_at + 1000))
            ]
            store.store_events(entries)
        return run.run_id


def bench_catalog_and_events(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="hw-bench-catalog-") as tmp:
        root = Path(tmp)
        (root / "defs.py").write_text(project_source(10_000, checks_every=10))
        run_id = populate(root / "home", 10_000, 10, 10_000)
        proc, _ = start("webserver", root, root / "web.log")
        try:
            url = wait_url(proc, root / "web.log")
            first = time.perf_counter()
            data = post(url, CATALOG)
            cold = time.perf_counter() - first
            nodes = data["assetNodes"]["nodes"]
            assert len(nodes) == 10_000 and nodes[0]["latestMaterialization"] is not None
            assert sum(1 for n in nodes if n["assetChecks"]) == 1000
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                post(url, CATALOG)
                times.append(time.perf_counter() - t)
            print(
                f"  catalog of 10,000 assets (latest materialization, 1,000 checks' latest execution): "
                f"median {statistics.median(times) * 1000:.0f} ms (first {cold * 1000:.0f} ms; runs: "
                + ", ".join(f"{t * 1000:.0f}" for t in times)
                + ")"
            )
            first = time.perf_counter()
            rows = post(url, CATALOG_ROWS)["assetCatalog"]
            cold = time.perf_counter() - first
            assert rows["totalCount"] == 10_000 and sum(1 for r in rows["rows"] if r[-1]) == 1000
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                post(url, CATALOG_ROWS)
                times.append(time.perf_counter() - t)
            print(
                "  the same catalog as compact rows (assetCatalog): "
                f"median {statistics.median(times) * 1000:.0f} ms "
                f"(first {cold * 1000:.0f} ms; runs: " + ", ".join(f"{t * 1000:.0f}" for t in times) + ")"
            )
            pages: list[float] = []
            for _ in range(runs):
                cursor = None
                while True:
                    t = time.perf_counter()
                    page = post(url, EVENTS, {"id": run_id, "c": cursor})["logsForRun"]
                    pages.append(time.perf_counter() - t)
                    cursor = page["cursor"]
                    if not page["hasMore"]:
                        break
            print(
                f"  a run's 10,000 events in pages of 1,000: median {statistics.median(pages) * 1000:.1f} ms "
                f"per page, slowest {max(pages) * 1000:.1f} ms ({len(pages)} pages)"
            )
        finally:
            stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", action="append", default=None, help="dev, catalog (default: both)")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
    cases = args.case or ["dev", "catalog"]
    print("webserver (Headwater; Dagster dev: 7.1 s to answer GraphQL, 674 MB)")
    if "dev" in cases:
        bench_dev_start(args.runs)
    if "catalog" in cases:
        bench_catalog_and_events(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
