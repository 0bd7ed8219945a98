"""``headwater sensor list|start|stop|preview|cursor|tick``."""

from __future__ import annotations

import time
from typing import Any

import click

from headwater.cli.schedule import _set, echo_evaluation, find, location_options, opened, status_of, when


@click.group("sensor", context_settings={"help_option_names": ["-h", "--help"]})
def sensor_group() -> None:
    """List, start, stop and preview sensors; set their cursors; run one sensor tick."""


@sensor_group.command("list")
@location_options
def sensor_list(**options: Any) -> None:
    """Each sensor: status, kind, interval, cursor, last tick."""
    from headwater.storage.instigators import selector_id

    with opened(options) as (locations, instance):
        store = instance.storage.instigators
        for location in locations.location_names():
            for s in locations.spec(location).sensors:
                sid = selector_id(location, s.name)
                state = store.get_instigator_state(sid)
                last = store.get_ticks(sid, limit=1)
                last_text = f"{last[0].status.value} {when(last[0].timestamp)}" if last else "-"
                cursor = state.cursor if state is not None and state.cursor is not None else "-"
                interval = s.minimum_interval_seconds if s.minimum_interval_seconds is not None else 30
                click.echo(
                    f"{s.name}  [{location}]  {status_of(state, s.default_status)}  {s.sensor_type}  "
                    f"every {interval}s  cursor {cursor}  last {last_text}"
                )


@sensor_group.command("start")
@click.argument("name")
@location_options
def sensor_start(name: str, **options: Any) -> None:
    """Start a sensor."""
    _set(options, "sensor", name, "RUNNING")


@sensor_group.command("stop")
@click.argument("name")
@location_options
def sensor_stop(name: str, **options: Any) -> None:
    """Stop a sensor."""
    _set(options, "sensor", name, "STOPPED")


@sensor_group.command("preview")
@click.argument("name")
@click.option("--cursor", default=None, help="Evaluate with this cursor (default: the stored one).")
@location_options
def sensor_preview(name: str, cursor: str | None, **options: Any) -> None:
    """Evaluate a sensor now, without launching anything or moving its cursor."""
    from headwater.specs.instigation import TickEvaluationRequest
    from headwater.storage.instigators import selector_id

    with opened(options) as (locations, instance):
        location, _ = find(locations, "sensor", name)
        state = instance.storage.instigators.get_instigator_state(selector_id(location, name))
        if cursor is None and state is not None:
            cursor = state.cursor
        request = TickEvaluationRequest("sensor", name, cursor=cursor)
        echo_evaluation(locations.evaluate(location, [request])[0])


@sensor_group.command("cursor")
@click.argument("name")
@click.option("--set", "value", default=None, help="The new cursor.")
@click.option("--delete", is_flag=True, help="Delete the cursor (the sensor starts over).")
@location_options
def sensor_cursor(name: str, value: str | None, delete: bool, **options: Any) -> None:
    """Set or delete a sensor's cursor."""
    from headwater.storage.instigators import set_cursor

    if (value is None) == (not delete):
        raise click.UsageError("Pass exactly one of --set VALUE or --delete.")
    with opened(options) as (locations, instance):
        location, _ = find(locations, "sensor", name)
        set_cursor(instance.storage.instigators, location, name, None if delete else value)
    click.echo(f"Cursor of sensor {name!r} {'deleted' if delete else f'set to {value!r}'}.")


@sensor_group.command("tick")
@click.option("--once", is_flag=True, required=True, help="Run one sensor tick now, then exit.")
@location_options
def sensor_tick(once: bool, **options: Any) -> None:
    """Evaluate every running sensor that is due, once (what the daemon's sensor loop does)."""
    from headwater.daemon.sensor_tick import SensorTick
    from headwater.daemon.tick_runs import submitter

    with opened(options) as (locations, instance):
        submit = submitter(instance.storage, instance.run_coordinator, instance.run_launcher)
        SensorTick(instance.storage, locations, submit).tick(time.time())
    click.echo("Sensor tick done.")
