"""``headwater run``: list, show, follow, cancel and re-execute runs; one tick of the queue, the monitor
(which also retries failed runs) or run retries."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Column, Table

from headwater.cli.progress import ProgressPrinter
from headwater.errors import HeadwaterError
from headwater.events.event import EventLogEntry
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.runs.cancel import cancel_run
from headwater.runs.follow import RunFollower, follow_run
from headwater.runs.monitor import monitor_tick
from headwater.runs.queue import dequeue_tick
from headwater.runs.reexecute import ReexecutionStrategy, create_reexecution_run
from headwater.runs.retry import RetryResult, retry_tick
from headwater.runs.tags import CODE_POINTER_TAG
from headwater.storage.runs import Run, RunsFilter

_STATUS_STYLE = {
    RunStatus.SUCCESS: "green",
    RunStatus.FAILURE: "red",
    RunStatus.CANCELED: "yellow",
    RunStatus.CANCELING: "yellow",
    RunStatus.STARTED: "cyan",
    RunStatus.STARTING: "cyan",
    RunStatus.QUEUED: "magenta",
}


def _console() -> Console:
    # Piped output (tests, scripts) gets wide lines rather than rich's 80 columns.
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)


def _open() -> Instance:
    try:
        return Instance.get()
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc


def _status(status: RunStatus) -> str:
    color = _STATUS_STYLE.get(status)
    return f"[{color}]{status.value}[/{color}]" if color else status.value


def _time(value: float | datetime | None) -> str:
    if value is None:
        return ""
    when = value if isinstance(value, datetime) else datetime.fromtimestamp(value, UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def wait_for_run(instance: Instance, run_id: str, console: Console, *, verbose: bool = False) -> Run:
    """Print the run's step progress live until it finishes; return the finished run."""
    printer = ProgressPrinter(console, verbose=verbose)
    try:
        run = follow_run(instance.storage, run_id, printer, poll_interval=0.1)
    except KeyboardInterrupt:
        console.print(
            f"Stopped following run {run_id}; it goes on (`headwater run cancel {run_id}` stops it)."
        )
        raise SystemExit(130) from None
    c = printer.counts
    console.print(
        f"Run {run_id}: {_status(run.status)} — {c['success']} succeeded, {c['failure']} failed, "
        f"{c['skipped']} skipped"
    )
    return run


@click.group("run")
def run_group() -> None:
    """Commands for runs: list, show, logs, cancel, reexecute; one tick of the queue or monitor."""


@run_group.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in RunStatus]))
@click.option("--job", "job_name", default=None, help="Only runs of this job.")
@click.option("--limit", default=20, show_default=True, help="How many runs (newest first).")
def list_runs(statuses: tuple[str, ...], job_name: str | None, limit: int) -> None:
    """List runs, newest first."""
    with _open() as instance:
        records = instance.get_run_records(
            RunsFilter(statuses=[RunStatus(s) for s in statuses], job_name=job_name), limit=limit
        )
        table = Table("job", "status", "created", "started", "ended")
        table.columns.insert(0, Column("run id", no_wrap=True))
        for record in records:
            run = record.dagster_run
            table.add_row(
                run.run_id,
                run.job_name,
                _status(run.status),
                _time(record.create_timestamp),
                _time(record.start_time),
                _time(record.end_time),
            )
        _console().print(table)


def _get_run(instance: Instance, run_id: str) -> Run:
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise click.ClickException(f"No run {run_id} in {instance.root_directory}; `headwater run list`.")
    return run


@run_group.command("show")
@click.argument("run_id")
def show_run(run_id: str) -> None:
    """Show a run: status, times, tags, config, step selection."""
    with _open() as instance:
        run = _get_run(instance, run_id)
        record = instance.get_run_record_by_id(run_id)
        console = _console()
        console.print(
            f"[bold]Run {run.run_id}[/bold]  job [bold]{run.job_name}[/bold]  {_status(run.status)}"
        )
        if record is not None:
            console.print(
                f"created {_time(record.create_timestamp)}  started {_time(record.start_time) or '-'}  "
                f"ended {_time(record.end_time) or '-'}"
            )
        if run.parent_run_id:
            console.print(f"parent run {run.parent_run_id}  root run {run.root_run_id}")
        if run.step_keys_to_execute is not None:
            console.print(f"steps: {', '.join(run.step_keys_to_execute)}")
        if run.tags:
            console.print("tags:")
            for key, value in sorted(run.tags.items()):
                if key != CODE_POINTER_TAG:
                    console.print(f"  {key}: {value}", markup=False)
            if CODE_POINTER_TAG in run.tags:
                console.print(f"  code: {run.tags[CODE_POINTER_TAG]}", markup=False)
        if run.run_config:
            console.print("run config: " + json.dumps(run.run_config, default=str), markup=False)


def _print_entries(console: Console, entries: Sequence[EventLogEntry]) -> None:
    for entry in entries:
        event = entry.dagster_event
        kind = event.event_type.value if event is not None else "LOG"
        message = entry.user_message or (event.message if event is not None else "") or ""
        step = f" [{entry.step_key}]" if entry.step_key else ""
        console.print(f"{_time(entry.timestamp)} {kind}{step} {message}", markup=False)


@run_group.command("logs")
@click.argument("run_id")
@click.option("--follow", "-f", is_flag=True, help="Keep printing new events until the run finishes.")
def run_logs(run_id: str, follow: bool) -> None:
    """Print a run's events."""
    with _open() as instance:
        _get_run(instance, run_id)
        console = _console()
        if follow:
            follow_run(
                instance.storage, run_id, lambda entries: _print_entries(console, entries), poll_interval=0.2
            )
        else:
            _print_entries(console, RunFollower(instance.storage, run_id).poll())


@run_group.command("cancel")
@click.argument("run_id")
@click.option("--grace-period", type=float, default=None, help="Seconds between SIGTERM and SIGKILL.")
def cancel(run_id: str, grace_period: float | None) -> None:
    """Cancel a run: CANCELING, SIGTERM to its worker, SIGKILL after the grace period, CANCELED."""
    with _open() as instance:
        try:
            grace = (
                instance.runs_settings.cancel_grace_period_seconds if grace_period is None else grace_period
            )
            run = cancel_run(instance.storage, run_id, grace_period=grace)
        except HeadwaterError as exc:
            raise click.ClickException(str(exc)) from exc
        _console().print(f"Run {run_id}: {_status(run.status)}")


@run_group.command("reexecute")
@click.argument("run_id")
@click.option("--from-failure", "strategy", flag_value=ReexecutionStrategy.FROM_FAILURE.value)
@click.option("--all", "strategy", flag_value=ReexecutionStrategy.ALL_STEPS.value)
@click.option("--steps", default=None, help="Comma-separated step keys to run again, e.g. 'flaky,last'.")
@click.option("--wait", is_flag=True, help="Follow the new run's progress until it finishes.")
def reexecute(run_id: str, strategy: str | None, steps: str | None, wait: bool) -> None:
    """Re-execute a finished run: --from-failure (the steps that did not succeed), --all, or --steps."""
    if (strategy is None) == (steps is None):
        raise click.UsageError("Say what to re-execute: one of --from-failure, --all or --steps a,b.")
    step_list = [s.strip() for s in steps.split(",") if s.strip()] if steps is not None else None
    with _open() as instance:
        try:
            run = create_reexecution_run(
                instance.storage, run_id, ReexecutionStrategy(strategy) if strategy else None, steps=step_list
            )
            run = instance.submit_run(run.run_id)
        except HeadwaterError as exc:
            raise click.ClickException(str(exc)) from exc
        console = _console()
        console.print(run.run_id)
        if wait and not wait_for_run(instance, run.run_id, console).is_success:
            raise SystemExit(1)


@run_group.command("dequeue")
@click.option("--once", is_flag=True, help="Run one tick (`headwater daemon run` runs them in a loop).")
def dequeue(once: bool) -> None:
    """Launch the queued runs that the concurrency limits allow (one tick of the run queue)."""
    with _open() as instance:
        result = dequeue_tick(
            instance.storage,
            instance.storage.clock(),
            settings=instance.runs_settings,
            launcher=instance.run_launcher,
        )
        _console().print(
            f"launched {len(result.launched)}, failed to launch {len(result.failed)}, "
            f"still queued {result.queued_left}"
        )
        for run_id in result.launched:
            _console().print(f"  launched {run_id}")


@run_group.command("monitor")
@click.option("--once", is_flag=True, help="Run one tick (`headwater daemon run` runs them in a loop).")
@click.option("--timeout", type=float, default=None, help="Heartbeat timeout in seconds.")
def monitor(once: bool, timeout: float | None) -> None:
    """Fail the runs whose worker stopped heartbeating or exited, freeing their pool slots; then retry
    the failed runs tagged dagster/max_retries (one tick of run monitoring and of run retries)."""
    with _open() as instance:
        limit = instance.runs_settings.heartbeat_timeout_seconds if timeout is None else timeout
        result = monitor_tick(instance.storage, instance.storage.clock(), limit)
        console = _console()
        console.print(f"checked {result.checked} run(s) in progress; {len(result.failed)} lost")
        for run_id, reason in result.failed:
            console.print(f"  {run_id}: {reason}", markup=False)
        _print_retries(_retry_tick(instance))


@run_group.command("retry")
@click.option("--once", is_flag=True, help="Run one tick (`headwater daemon run` runs them in a loop).")
def retry(once: bool) -> None:
    """Re-execute the failed runs tagged dagster/max_retries (one tick of run retries)."""
    with _open() as instance:
        _print_retries(_retry_tick(instance))


def _retry_tick(instance: Instance) -> RetryResult:
    return retry_tick(
        instance.storage,
        instance.storage.clock(),
        coordinator=instance.run_coordinator,
        launcher=instance.run_launcher,
    )


def _print_retries(result: RetryResult) -> None:
    console = _console()
    console.print(f"retried {len(result.retried)} failed run(s)")
    for failed, child in result.retried:
        console.print(f"  {failed} -> {child}")
    for failed, why in result.given_up:
        console.print(f"  {failed}: not retried, {why}", markup=False)
