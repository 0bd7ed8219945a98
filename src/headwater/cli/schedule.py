"""``headwater schedule list|start|stop|preview|tick`` and what ``headwater sensor`` shares with it:
the code locations (started as code servers: the CLI, like the daemon, does not import user code
for this), the instance, and finding a schedule or sensor by name."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    from headwater.daemon.code_locations import WorkspaceLocations
    from headwater.instance import Instance

F = TypeVar("F", bound=Callable[..., Any])


def location_options(fn: F) -> F:
    for option in reversed(
        [
            click.option("-m", "--module-name", default=None, help="Module that defines a Definitions."),
            click.option("-f", "--python-file", default=None, help="Python file that defines a Definitions."),
            click.option("-w", "--workspace", "workspace_file", default=None, help="A workspace.yaml."),
            click.option("-a", "--attribute", default=None, help="Name of the Definitions object."),
            click.option("-d", "--working-directory", default=None, help="Directory to import from."),
            click.option("-n", "--location-name", default=None, help="Name of the location (-m/-f)."),
        ]
    ):
        fn = option(fn)
    return fn


@contextlib.contextmanager
def opened(options: dict[str, Any]) -> Iterator[tuple[WorkspaceLocations, Instance]]:
    """The workspace's code locations (``WorkspaceLocations``) and the instance of HEADWATER_HOME."""
    from headwater.cli.dev import _entries
    from headwater.daemon.code_locations import WorkspaceLocations
    from headwater.instance import Instance
    from headwater.locations.client.workspace import Workspace

    entries = _entries(
        options["module_name"],
        options["python_file"],
        options["workspace_file"],
        options["attribute"],
        options["working_directory"],
        options["location_name"],
    )
    try:
        with Workspace(entries) as workspace, Instance.get() as instance:  # type: ignore[arg-type]
            yield WorkspaceLocations(workspace), instance
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc


def find(locations: Any, kind: str, name: str) -> tuple[str, Any]:
    """(location name, spec) of the schedule or sensor ``name``; a helpful error when there is none."""
    known: list[str] = []
    for location in locations.location_names():
        spec = locations.spec(location)
        items = spec.schedules if kind == "schedule" else spec.sensors
        for item in items:
            if item.name == name:
                return location, item
            known.append(item.name)
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise click.ClickException(
        f"No {kind} named {name!r}.{hint} Known: {', '.join(sorted(known)) or 'none'}."
    )


def status_of(state: Any, default_status: str | None) -> str:
    from headwater.daemon.scheduler_tick import is_running

    running = is_running(state, default_status)
    declared = state is None or state.status.value == "DECLARED_IN_CODE"
    return ("RUNNING" if running else "STOPPED") + (" (default)" if declared else "")


def when(timestamp: float | None) -> str:
    if timestamp is None:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def echo_evaluation(evaluation: Any) -> None:
    if evaluation.error is not None:
        click.echo(f"Error ({evaluation.error.kind}): {evaluation.error.message}")
        if evaluation.error.traceback:
            click.echo(evaluation.error.traceback)
        raise SystemExit(1)
    if evaluation.skip_reason is not None or not evaluation.run_requests:
        click.echo(f"Skipped: {evaluation.skip_reason or 'no run requested'}")
    for request in evaluation.run_requests:
        parts = [f"run_key={request.run_key}" if request.run_key else "run"]
        if request.partition_key:
            parts.append(f"partition={request.partition_key}")
        if request.job_name:
            parts.append(f"job={request.job_name}")
        if request.tags:
            parts.append(f"tags={request.tags}")
        if request.run_config:
            parts.append(f"run_config={request.run_config}")
        click.echo("RunRequest " + " ".join(parts))
    if evaluation.cursor_updated:
        click.echo(f"New cursor: {evaluation.cursor}")


@click.group("schedule", context_settings={"help_option_names": ["-h", "--help"]})
def schedule_group() -> None:
    """List, start, stop and preview schedules; run one scheduler tick."""


@schedule_group.command("list")
@location_options
def schedule_list(**options: Any) -> None:
    """Each schedule: status, cron, time zone, next tick, last tick."""
    from headwater.selection.cron import cron_schedule
    from headwater.storage.instigators import selector_id

    now = time.time()
    with opened(options) as (locations, instance):
        store = instance.storage.instigators
        for location in locations.location_names():
            for s in locations.spec(location).schedules:
                sid = selector_id(location, s.name)
                state = store.get_instigator_state(sid)
                nxt = min(cron_schedule(c, s.timezone).next_tick(now, strict=True) for c in s.cron_schedules)
                last = store.get_ticks(sid, limit=1)
                last_text = f"{last[0].status.value} {when(last[0].timestamp)}" if last else "-"
                crons = ", ".join(s.cron_schedules)
                click.echo(
                    f"{s.name}  [{location}]  {status_of(state, s.default_status)}  {crons} ({s.timezone})  "
                    f"next {when(nxt)}  last {last_text}"
                )


def _set(options: dict[str, Any], kind: str, name: str, status: str) -> None:
    from headwater.storage.instigators import InstigatorStatus, InstigatorType, set_status

    with opened(options) as (locations, instance):
        location, _ = find(locations, kind, name)
        set_status(
            instance.storage.instigators,
            location,
            name,
            InstigatorType.SCHEDULE if kind == "schedule" else InstigatorType.SENSOR,
            InstigatorStatus(status),
            time.time(),
        )
    click.echo(f"{kind.capitalize()} {name!r} {'started' if status == 'RUNNING' else 'stopped'}.")


@schedule_group.command("start")
@click.argument("name")
@location_options
def schedule_start(name: str, **options: Any) -> None:
    """Start a schedule: its ticks are due from now on."""
    _set(options, "schedule", name, "RUNNING")


@schedule_group.command("stop")
@click.argument("name")
@location_options
def schedule_stop(name: str, **options: Any) -> None:
    """Stop a schedule."""
    _set(options, "schedule", name, "STOPPED")


@schedule_group.command("preview")
@click.argument("name")
@location_options
def schedule_preview(name: str, **options: Any) -> None:
    """Evaluate a schedule at its next tick, without launching anything."""
    from headwater.selection.cron import cron_schedule
    from headwater.specs.instigation import TickEvaluationRequest

    with opened(options) as (locations, _):
        location, spec = find(locations, "schedule", name)
        nxt = min(cron_schedule(c, spec.timezone).next_tick(time.time()) for c in spec.cron_schedules)
        click.echo(f"Tick at {when(nxt)}:")
        request = TickEvaluationRequest("schedule", name, scheduled_execution_time=nxt)
        echo_evaluation(locations.evaluate(location, [request])[0])


@schedule_group.command("tick")
@click.option("--once", is_flag=True, required=True, help="Run one scheduler tick now, then exit.")
@click.option("--max-catchup-ticks", type=int, default=5, show_default=True)
@location_options
def schedule_tick(once: bool, max_catchup_ticks: int, **options: Any) -> None:
    """Run one scheduler tick (what the daemon's scheduler loop does every few seconds)."""
    from headwater.daemon.scheduler_tick import SchedulerTick
    from headwater.daemon.tick_runs import submitter

    with opened(options) as (locations, instance):
        scheduler = SchedulerTick(
            instance.storage,
            locations,
            submitter(instance.storage, instance.run_coordinator, instance.run_launcher),
            max_catchup_ticks=max_catchup_ticks,
        )
        scheduler.tick(time.time())
    click.echo("Scheduler tick done.")
