"""dbt through Headwater: a generated dbt project of 500 models (DuckDB views in layers of 50, each model
reading one or two of the layer before; a not_null test on every tenth model).

* definitions load: a fresh process imports Headwater, parses manifest.json, builds ``@dbt_assets`` over
  every model and test, ``Definitions`` and its implicit asset job (the cost of a code-server start);
  the same again in that process shows the manifest cache (parsed once per file version);
* build: ``dbt build`` called directly (the floor; its usual text log, read by nobody) against
  ``materialize([dbt_assets])`` running ``dbt.cli(["build"], context=context).stream()`` (JSON log
  parsed line by line, one Output or check result per node, the run's events stored in an ephemeral
  instance), alternating, fresh DuckDB file each run; wall and CPU time (dbt's, and Headwater's own
  process beside it).

    python -m benchmarks.bench_dbt [--models 500] [--runs 3]

Needs dbt-core and dbt-duckdb (``dbt`` on PATH or beside this interpreter; scripts/_setup.sh links it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYER = 50
LOAD_SNIPPET = """
import sys, time, json
t0, c0 = time.perf_counter(), time.process_time()
import headwater as hw
from headwater.integrations.dbt import DbtCliResource, dbt_assets
def load():
    @dbt_assets(manifest=sys.argv[1])
    def models(context, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()
    defs = hw.Definitions(assets=[models], resources={"dbt": DbtCliResource(project_dir=sys.argv[2])})
    job = defs.resolve_implicit_global_asset_job_def()
    return len(models.keys), len(models.check_specs), job
n, checks, _ = load()
t1, c1 = time.perf_counter(), time.process_time()
load()
t2 = time.perf_counter()
print(json.dumps({"first": t1 - t0, "cpu": c1 - c0, "again": t2 - t1, "assets": n, "checks": checks}))
"""
BUILD_SNIPPET = """
import sys, time, json, resource
import headwater as hw
from headwater.integrations.dbt import DbtCliResource, dbt_assets
@dbt_assets(manifest=sys.argv[1])
def models(context, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
t0, c0 = time.perf_counter(), time.process_time()
result = hw.materialize([models], resources={"dbt": DbtCliResource(project_dir=sys.argv[2])})
t1, c1 = time.perf_counter(), time.process_time()
assert result.success
dbt = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": t1 - t0, "cpu": c1 - c0, "dbt cpu": dbt.ru_utime + dbt.ru_stime,
                  "materialized": len(result.get_asset_materialization_events()),
                  "checks": len(result.get_asset_check_evaluations())}))
"""


def generate(root: Path, models: int) -> None:
    """A dbt project of ``models`` models in layers of 50 and its profile (DuckDB at $BENCH_DUCKDB)."""
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(
        "name: bench\nversion: '1.0'\nconfig-version: 2\nprofile: bench\n"
        "models:\n  bench:\n    +materialized: view\n"
    )
    (root / "profiles.yml").write_text(
        "bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        "      path: \"{{ env_var('BENCH_DUCKDB') }}\"\n      threads: 4\n"
    )
    tests = []
    for i in range(models):
        if i < LAYER:
            sql = f"select {i} as id, 'm{i}' as name"
        else:
            a = i - LAYER
            b = (i - LAYER + 7) % LAYER + (i // LAYER - 1) * LAYER
            sql = f"select id + 1 as id, name from {{{{ ref('m_{a:03d}') }}}}"
            if b != a:
                sql += f"\nunion all select id, name from {{{{ ref('m_{b:03d}') }}}}"
        (root / "models" / f"m_{i:03d}.sql").write_text(sql + "\n")
        if i % 10 == 0:
            tests.append(
                f"  - name: m_{i:03d}\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
            )
    (root / "models" / "schema.yml").write_text("version: 2\nmodels:\n" + "".join(tests))


def _dbt() -> str:
    from headwater.integrations.dbt.executable import resolve_dbt_executable

    return resolve_dbt_executable()


def _env(root: Path, db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(root),
        "BENCH_DUCKDB": str(db),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def measure_load(root: Path, manifest: Path, env: dict[str, str], runs: int) -> None:
    loads = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SNIPPET, str(manifest), str(root)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        loads.append(json.loads(out.strip().splitlines()[-1]))
    first = statistics.median(r["first"] for r in loads)
    cpu = statistics.median(r["cpu"] for r in loads)
    again = statistics.median(r["again"] for r in loads)
    each = ", ".join(f"{r['first']:.2f}" for r in loads)
    print(
        f"definitions load (fresh process, {loads[0]['assets']} assets, {loads[0]['checks']} checks): "
        f"median {first:.2f} s (runs {each}; CPU {cpu:.2f} s); "
        f"again in that process (manifest cached): {again * 1000:.0f} ms; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_build(root: Path, manifest: Path, tmp: Path, runs: int) -> None:
    """Wall time of each side, and CPU time: dbt's own (direct), and Headwater's process beside dbt's."""
    direct, headwater, direct_cpu, hw_cpu, hw_dbt_cpu = [], [], [], [], []
    for run in range(runs):
        db = tmp / f"direct{run}.duckdb"
        t0, c0 = time.perf_counter(), _children_cpu()
        subprocess.run([_dbt(), "build"], cwd=root, env=_env(root, db), check=True, stdout=subprocess.DEVNULL)
        direct.append(time.perf_counter() - t0)
        direct_cpu.append(_children_cpu() - c0)
        db = tmp / f"hw{run}.duckdb"
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", BUILD_SNIPPET, str(manifest), str(root)],
            env={**_env(root, db), "HEADWATER_HOME": str(tmp / f"home{run}")},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        wall = time.perf_counter() - t0
        figures = json.loads(out.strip().splitlines()[-1])
        headwater.append((figures["seconds"], wall))
        hw_cpu.append(figures["cpu"])
        hw_dbt_cpu.append(figures["dbt cpu"])
        print(
            f"run {run + 1}: dbt build {direct[-1]:.1f} s; through Headwater {figures['seconds']:.1f} s "
            f"({wall:.1f} s with the process start and import), {figures['materialized']} "
            f"materializations, {figures['checks']} check results; CPU: dbt alone {direct_cpu[-1]:.1f} s, "
            f"Headwater's process {hw_cpu[-1]:.1f} s beside its dbt's {hw_dbt_cpu[-1]:.1f} s; "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    d = statistics.median(direct)
    h = statistics.median(x[0] for x in headwater)
    whole = statistics.median(x[1] for x in headwater)
    dc, hc = statistics.median(direct_cpu), statistics.median(hw_cpu)
    print(
        f"build: dbt directly median {d:.1f} s; through Headwater median {h:.1f} s "
        f"(+{(h - d) / d * 100:.1f} %); whole process {whole:.1f} s (+{(whole - d) / d * 100:.1f} %); "
        f"CPU: dbt median {dc:.1f} s, Headwater's own process median {hc:.1f} s "
        f"(+{hc / dc * 100:.1f} % of dbt's)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--models", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("load", "build"), help="run one part of the scenario")
    args, _ = parser.parse_known_args()  # scripts/bench passes the harness's options (--dagster...) to all
    with tempfile.TemporaryDirectory(prefix="hw-bench-dbt-") as tmp:
        root = Path(tmp) / "bench"
        generate(root, args.models)
        env = _env(root, Path(tmp) / "parse.duckdb")
        subprocess.run([_dbt(), "parse", "--quiet"], cwd=root, env=env, check=True)
        manifest = root / "target" / "manifest.json"
        print(
            f"{args.models} models, manifest {manifest.stat().st_size / 1e6:.1f} MB; "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        if args.only != "build":
            measure_load(root, manifest, env, args.runs)
        if args.only != "load":
            measure_build(root, manifest, Path(tmp), args.runs)


if __name__ == "__main__":
    main()
