"""``headwater daemon``: run the daemon and look at its health.

* ``run`` -- run the loops the instance calls for (run queue, run monitoring, ...) until SIGTERM or
  Ctrl-C. Several ``run`` processes against one database elect one leader per loop (a lease);
  the others stand by and take over when the leader dies.
* ``status`` -- each loop's last heartbeat, leader and last error; exits 1 when a loop is unhealthy.
* ``liveness-check`` -- exits 0 when every loop beat recently (for container health probes).
* ``wipe`` -- forget the heartbeats (after renaming or dropping loops).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    from headwater.daemon.loops import DaemonContext
    from headwater.instance import Instance
    from headwater.storage.daemon import DaemonHeartbeat, Lease


def _open() -> Instance:
    from headwater.instance import Instance

    try:
        return Instance.get()
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc


def _locations(
    module_name: str | None,
    python_file: str | None,
    workspace_file: str | None,
    attribute: str | None,
    working_directory: str | None,
    location_name: str | None,
) -> list[Any]:
    """The code locations given (or found: workspace.yaml, the project); none is fine today: the run
    queue and run monitoring need no user code."""
    from headwater.cli.dev import _entries

    explicit = any(x is not None for x in (module_name, python_file, workspace_file))
    try:
        return _entries(module_name, python_file, workspace_file, attribute, working_directory, location_name)
    except click.UsageError:
        if explicit:
            raise
        return []


def _context(
    instance: Instance, daemon_id: str | None = None, locations: list[Any] | None = None
) -> DaemonContext:
    from headwater.daemon.loop import LeaderFence, new_daemon_id
    from headwater.daemon.loops import DaemonContext

    fence = LeaderFence(instance.storage, daemon_id or new_daemon_id(), instance.storage.clock)
    return DaemonContext(instance, fence, locations or [])


@click.group("daemon")
def daemon_group() -> None:
    """The daemon: the run queue, run monitoring (and schedules, sensors, backfills as they land)."""


@daemon_group.command("run")
@click.option("-m", "--module-name", default=None, help="Module that defines a Definitions.")
@click.option("-f", "--python-file", default=None, help="Python file that defines a Definitions.")
@click.option("-w", "--workspace", "workspace_file", default=None, help="A workspace.yaml of locations.")
@click.option("-a", "--attribute", default=None, help="Name of the Definitions object in the module.")
@click.option("-d", "--working-directory", default=None, help="Directory to import from (default: cwd).")
@click.option("-n", "--location-name", default=None, help="Name of the location (-m/-f).")
@click.option(
    "--loop", "only", multiple=True, help="Run only this loop (repeatable; default: all the instance needs)."
)
@click.option(
    "--lease-seconds",
    type=click.FloatRange(min=0.5),
    default=None,
    help="How long a leader holds a loop without renewing (default 15): the longest a loop is unrun "
    "after its daemon dies.",
)
@click.option("--daemon-id", default=None, help="This daemon's id (default: host:pid:random).")
def run_command(
    module_name: str | None,
    python_file: str | None,
    workspace_file: str | None,
    attribute: str | None,
    working_directory: str | None,
    location_name: str | None,
    only: tuple[str, ...],
    lease_seconds: float | None,
    daemon_id: str | None,
) -> None:
    """Run the daemon's loops until SIGTERM or Ctrl-C (several replicas may run: one leads each loop)."""
    from headwater.daemon.loop import DEFAULT_LEASE_SECONDS
    from headwater.daemon.loops import build_runner

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    locations = _locations(
        module_name, python_file, workspace_file, attribute, working_directory, location_name
    )
    instance = _open()
    try:
        if instance.storage.is_in_memory:
            raise click.ClickException(
                "This instance keeps its data in memory, where no other process sees it: the daemon needs "
                "a storage on disk or a server (set HEADWATER_HOME, or `storage:` in headwater.yaml)."
            )
        context = _context(instance, daemon_id, locations)
        try:
            runner = build_runner(
                context, list(only) if only else None, lease_seconds=lease_seconds or DEFAULT_LEASE_SECONDS
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        loops = [state.loop for state in runner.states.values()]
        names = ", ".join(f"{loop.name} (every {loop.interval_seconds:g} s)" for loop in loops) or "none"
        where = instance.storage_info().location
        click.echo(
            f"headwater daemon {runner.daemon_id}: loops {names}; storage {where}; "
            f"lease {runner.lease_seconds:g} s",
            err=True,
        )
        try:
            runner.run()
        finally:
            context.close()
        click.echo(f"headwater daemon {runner.daemon_id}: stopped", err=True)
    finally:
        instance.dispose()


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _rows(instance: Instance) -> list[dict[str, Any]]:
    """One row per loop the instance calls for, and per loop that has a heartbeat."""
    from headwater.storage.daemon import unhealthy_reason

    storage = instance.storage
    now = storage.clock()
    expected = instance.get_required_daemon_types()
    beats: dict[str, DaemonHeartbeat] = dict(storage.daemon_heartbeats.get_heartbeats())
    leases: dict[str, Lease] = {lease.name: lease for lease in storage.leases.get_leases()}
    rows = []
    for name in [*expected, *sorted(set(beats) - set(expected))]:
        beat = beats.get(name)
        lease = leases.get(name)
        reason = unhealthy_reason(beat, now)
        leader = lease.holder if lease is not None and lease.expires_at > now else None
        rows.append(
            {
                "loop": name,
                "required": name in expected,
                "healthy": reason is None,
                "reason": reason,
                "leader": leader,
                "fencing_token": lease.token if lease is not None else None,
                "last_heartbeat": beat.timestamp if beat is not None else None,
                "last_heartbeat_age": round(now - beat.timestamp, 1) if beat is not None else None,
                "consecutive_failures": beat.consecutive_failures if beat is not None else 0,
                "last_error": beat.last_error.message if beat is not None and beat.last_error else None,
                "last_error_time": beat.last_error.timestamp
                if beat is not None and beat.last_error
                else None,
                "last_error_traceback": beat.last_error.traceback
                if beat is not None and beat.last_error
                else None,
            }
        )
    return rows


@daemon_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per loop).")
@click.option("--traceback", "show_traceback", is_flag=True, help="Print the last error's traceback.")
def status_command(as_json: bool, show_traceback: bool) -> None:
    """Each loop's last heartbeat, leader and last error. Exits 1 when a loop the instance needs is
    unhealthy (no recent heartbeat, or its last tick failed)."""
    with _open() as instance:
        rows = _rows(instance)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("loop", "status", "leader", "last heartbeat", "last error")
        for row in rows:
            status = "[green]healthy[/green]" if row["healthy"] else "[red]unhealthy[/red]"
            leader = f"{row['leader']} (token {row['fencing_token']})" if row["leader"] else "-"
            age = (
                f"{_when(row['last_heartbeat'])} ({row['last_heartbeat_age']:g} s ago)"
                if row["last_heartbeat"]
                else "never"
            )
            error = f"{row['last_error']} at {_when(row['last_error_time'])}" if row["last_error"] else "-"
            table.add_row(row["loop"], status, leader, age, error)
        console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
        console.print(table)
        for row in rows:
            if not row["healthy"]:
                console.print(f"{row['loop']}: {row['reason']}", markup=False)
            if show_traceback and row["last_error_traceback"]:
                console.print(f"--- {row['loop']}: last error\n{row['last_error_traceback']}", markup=False)
    if not rows or any(not row["healthy"] for row in rows if row["required"]):
        sys.exit(1)


@daemon_group.command("liveness-check")
def liveness_check_command() -> None:
    """Exit 0 when every loop the instance needs beat recently (errors in ticks do not count), else 1."""
    from headwater.storage.daemon import heartbeat_tolerance

    with _open() as instance:
        rows = _rows(instance)
        now = instance.storage.clock()
        beats = instance.storage.daemon_heartbeats.get_heartbeats()
    stale = [
        row["loop"]
        for row in rows
        if row["required"]
        and ((b := beats.get(row["loop"])) is None or now - b.timestamp > heartbeat_tolerance(b))
    ]
    if stale:
        click.echo(f"daemon not alive: no recent heartbeat from {', '.join(stale)}", err=True)
        sys.exit(1)
    click.echo("daemon alive")


@daemon_group.command("wipe")
def wipe_command() -> None:
    """Forget every loop's heartbeat (leases are kept: their fencing tokens must keep growing)."""
    with _open() as instance:
        instance.storage.daemon_heartbeats.wipe_heartbeats()
    click.echo("Daemon heartbeats wiped.")
