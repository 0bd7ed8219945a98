"""1,000 schedules due in the same minute: one scheduler tick evaluates every tick in the code server
(real process, HTTP on loopback) and submits every run (queued coordinator, SQLite file).

    python -m benchmarks.bench_schedules [--schedules 1000] [--runs 3] [--workers 8]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

CODE = """
from headwater import DefaultScheduleStatus, Definitions, ScheduleDefinition, job, op

@op
def work() -> None:
    pass

@job
def the_job() -> None:
    work()

defs = Definitions(
    jobs=[the_job],
    schedules=[
        ScheduleDefinition(name=f"s{i}", cron_schedule="* * * * *", job=the_job,
                           default_status=DefaultScheduleStatus.RUNNING)
        for i in range(N)
    ],
)
"""


def one_run(count: int, workers: int) -> float:
    from headwater.daemon.code_locations import WorkspaceLocations
    from headwater.daemon.scheduler_tick import SchedulerTick
    from headwater.daemon.tick_runs import submitter
    from headwater.locations.client.workspace import Workspace
    from headwater.locations.client.workspace_file import LocationEntry
    from headwater.runs.coordinator import QueuedRunCoordinator
    from headwater.storage.sql import SqlStorage

    with tempfile.TemporaryDirectory() as tmp:
        code = Path(tmp) / "many_schedules.py"
        code.write_text(CODE.replace("range(N)", f"range({count})"))
        storage = SqlStorage.sqlite(Path(tmp) / "headwater.db")
        entry = LocationEntry("bench", python_file=str(code), working_directory=tmp)
        coordinator = QueuedRunCoordinator()
        with Workspace([entry]) as workspace:
            scheduler = SchedulerTick(
                storage,
                WorkspaceLocations(workspace),
                submitter(storage, coordinator, None),
                max_workers=workers,
            )
            minute = (time.time() // 60 + 1) * 60
            scheduler.tick(minute - 30)  # first sight: due from then on
            started = time.perf_counter()
            scheduler.tick(minute + 1)  # every schedule has one due tick
            elapsed = time.perf_counter() - started
        runs = storage.run_store.get_runs_count()
        storage.dispose()
        assert runs == count, f"{runs} runs submitted, expected {count}"
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    times = [one_run(args.schedules, args.workers) for _ in range(args.runs)]
    print(
        f"{args.schedules} schedules due in one minute, {args.workers} workers: median "
        f"{statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
