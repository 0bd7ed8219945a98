"""``headwater backfill``: launch a backfill, list and show backfills, pause, resume or cancel one,
and run one tick of the backfill daemon (``tick --once``)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Table

from headwater.cli.code_options import code_options
from headwater.errors import HeadwaterError
from headwater.instance import Instance
from headwater.storage.backfills import BulkActionStatus, PartitionBackfill


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)


def _open() -> Instance:
    try:
        return Instance.get()
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc


def _time(value: float | None) -> str:
    if value is None:
        return ""
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _state(backfill: PartitionBackfill) -> str:
    return backfill.status.value + (" (paused)" if backfill.paused else "")


@click.group("backfill")
def backfill_group() -> None:
    """Backfills: many partitions of assets, run by the backfill daemon."""


@backfill_group.command("launch")
@code_options
@click.option(
    "--select", default="*", show_default=True, help="Assets to backfill (Dagster's selection syntax)."
)
@click.option(
    "--partitions", default=None, help="A range START...END (inclusive) or keys separated by commas."
)
@click.option("--all", "all_partitions", is_flag=True, help="Every partition of the selected assets.")
@click.option(
    "--missing", is_flag=True, help="Partitions not materialized yet (or whose last attempt failed)."
)
@click.option("--failed", is_flag=True, help="Partitions whose last attempt failed.")
@click.option("--tag", "tags", multiple=True, help="A tag for the backfill and its runs, KEY=VALUE.")
@click.option("--title", default=None, help="A title to show in listings.")
@click.option(
    "--tick", "tick_now", is_flag=True, help="Also run one backfill tick now (submit its first runs)."
)
def launch(
    select: str,
    partitions: str | None,
    all_partitions: bool,
    missing: bool,
    failed: bool,
    tags: tuple[str, ...],
    title: str | None,
    tick_now: bool,
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
) -> None:
    """Store a backfill and print its id; the daemon (or `headwater backfill tick`) submits its runs."""
    from headwater.cli.backfill_launch import launch_backfill

    if module_name is None and python_file is None:
        raise click.UsageError("Name the code with -m MODULE or -f FILE (or run inside a project).")
    parsed: dict[str, str] = {}
    for tag in tags:
        key, sep, value = tag.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--tag {tag!r} is not KEY=VALUE.")
        parsed[key] = value
    instance = _open()
    try:
        backfill = launch_backfill(
            select,
            partitions,
            all_partitions=all_partitions,
            missing=missing,
            failed=failed,
            module_name=module_name,
            python_file=python_file,
            attribute=attribute,
            working_directory=working_directory,
            instance=instance,
            tags=parsed,
            title=title,
        )
    except (HeadwaterError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    console = _console()
    console.print(backfill.backfill_id)
    console.print(
        f"{len(backfill.asset_selection)} asset(s), {backfill.num_partitions} asset partition(s) in "
        f"{backfill.num_runs} run(s); partitions {backfill.partitions}.",
        style="dim",
    )
    if tick_now:
        _tick(instance, console)


@backfill_group.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in BulkActionStatus]))
@click.option("--limit", default=20, show_default=True)
def list_backfills(statuses: tuple[str, ...], limit: int) -> None:
    """Backfills, newest first."""
    from headwater.storage.backfills import BulkActionsFilter

    instance = _open()
    filters = BulkActionsFilter(statuses=[BulkActionStatus(s) for s in statuses]) if statuses else None
    table = Table("backfill", "status", "created", "ended", "assets", "partitions", "runs")
    for b in instance.get_backfills(filters=filters, limit=limit):
        table.add_row(
            b.backfill_id,
            _state(b),
            _time(b.backfill_timestamp),
            _time(b.backfill_end_timestamp),
            ", ".join(k.to_user_string() for k in b.asset_selection[:3])
            + (f" (+{len(b.asset_selection) - 3})" if len(b.asset_selection) > 3 else ""),
            b.partitions,
            str(b.num_runs),
        )
    _console().print(table)


@backfill_group.command("show")
@click.argument("backfill_id")
def show(backfill_id: str) -> None:
    """A backfill and where each of its assets stands (in partitions)."""
    instance = _open()
    try:
        backfill = instance.get_backfill_or_error(backfill_id)
        statuses = instance.get_backfill_asset_status(backfill_id)
        runs = instance.storage.backfills.get_backfill_run_statuses(backfill_id)
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    console = _console()
    console.print(f"[bold]Backfill {backfill.backfill_id}[/bold]: {_state(backfill)}")
    console.print(f"created {_time(backfill.backfill_timestamp)}; partitions {backfill.partitions}")
    if backfill.backfill_end_timestamp is not None:
        console.print(f"ended {_time(backfill.backfill_end_timestamp)}")
    if backfill.error:
        console.print(f"[red]error[/red]: {backfill.error}")
    console.print(f"runs: {len(runs)} of {backfill.num_runs} submitted")
    table = Table("asset", "targeted", "requested", "materialized", "failed", "in progress", "blocked")
    for s in statuses:
        table.add_row(
            s.asset_key.to_user_string(),
            *(str(v) for v in (s.targeted, s.requested, s.materialized, s.failed, s.in_progress, s.blocked)),
        )
    console.print(table)


def _change(action: str, backfill_id: str) -> None:
    instance = _open()
    method = {
        "cancel": instance.cancel_backfill,
        "pause": instance.pause_backfill,
        "resume": instance.resume_backfill,
    }[action]
    try:
        backfill = method(backfill_id)
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    _console().print(f"Backfill {backfill.backfill_id}: {_state(backfill)}")


@backfill_group.command("cancel")
@click.argument("backfill_id")
def cancel(backfill_id: str) -> None:
    """Submit no more runs and cancel those not finished (done by the next tick)."""
    _change("cancel", backfill_id)


@backfill_group.command("pause")
@click.argument("backfill_id")
def pause(backfill_id: str) -> None:
    """Submit no more runs until resumed (runs already submitted go on)."""
    _change("pause", backfill_id)


@backfill_group.command("resume")
@click.argument("backfill_id")
def resume(backfill_id: str) -> None:
    """Go on with a paused or FAILED backfill; no run is submitted twice."""
    _change("resume", backfill_id)


def _tick(instance: Instance, console: Console, max_runs: int | None = None) -> None:
    from headwater.daemon.backfill_tick import DEFAULT_MAX_RUNS_PER_TICK, BackfillDaemon

    daemon = BackfillDaemon(
        instance.storage,
        instance.run_coordinator,
        instance.run_launcher,
        max_runs_per_tick=max_runs or DEFAULT_MAX_RUNS_PER_TICK,
    )
    result = daemon.run_tick(time.time())
    for backfill_id, status in result.status.items():
        submitted = len(result.submitted.get(backfill_id, []))
        console.print(f"Backfill {backfill_id}: {status.value}, {submitted} run(s) submitted")
    for backfill_id, error in result.errors.items():
        console.print(f"[red]Backfill {backfill_id} failed[/red]: {error}")
    if not result.status:
        console.print("No backfill to tick.")


@backfill_group.command("tick")
@click.option(
    "--once", is_flag=True, required=True, help="Run one tick and exit (the daemon runs them in a loop)."
)
@click.option("--max-runs", default=None, type=int, help="Most runs to submit in this tick.")
def tick(once: bool, max_runs: int | None) -> None:
    """One tick of the backfill daemon: submit the runs that are ready, finish what is done."""
    _tick(_open(), _console(), max_runs)
