"""``headwater instance``: look after the instance's storage (``$HEADWATER_HOME``).

* ``migrate`` -- upgrade the database schema in place (a no-op when it is current);
* ``prune --older-than 30d [--dry-run]`` -- delete old finished runs and their events, keeping each
  asset's and each partition's latest events;
* ``info`` -- backend, location, schema revision, how many runs and events are stored;
* ``concurrency set|info|get|delete`` -- instance-wide pool limits (``cli.concurrency``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import click

from headwater.cli.concurrency import concurrency_group
from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    from headwater.instance import Instance

_SHOWN_RUNS = 20


def _open(upgrade: bool = False) -> Instance:
    from headwater.instance import Instance

    try:
        return Instance.get(upgrade=upgrade)
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("instance")
def instance_group() -> None:
    """Commands for the instance's storage ($HEADWATER_HOME/headwater.yaml)."""


@instance_group.command("migrate")
def migrate() -> None:
    """Upgrade the storage schema to the one this Headwater needs (back the database up first)."""
    instance = _open(upgrade=True)
    try:
        storage = instance.storage
        change = getattr(storage, "schema_change", None)
        info = instance.storage_info()
        where = f"{info.backend} at {info.location}"
        if change is None:
            click.echo(
                f"Storage {where} is already at schema revision {info.schema_revision}: nothing to do."
            )
        elif change.before is None:
            click.echo(f"Created storage {where} at schema revision {change.after}.")
        else:
            click.echo(f"Migrated storage {where} from schema revision {change.before} to {change.after}.")
    finally:
        instance.dispose()


def _duration(_ctx: click.Context, _param: click.Parameter, value: str) -> float:
    from headwater.storage.retention import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@instance_group.command("prune")
@click.option(
    "--older-than",
    required=True,
    callback=_duration,
    help="Delete finished runs that ended longer ago than this: 12h, 30d, 2w (units s, m, h, d, w).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be deleted; delete nothing.")
def prune(older_than: float, dry_run: bool) -> None:
    """Delete old finished runs and their events.

    Each asset's latest materialization, observation and failure, and each partition's, are kept
    (with their event rows), so asset and partition status read the same afterwards.
    """
    instance = _open()
    try:
        try:
            result = instance.prune(older_than, dry_run=dry_run)
        except HeadwaterError as exc:
            raise click.ClickException(str(exc)) from exc
    finally:
        instance.dispose()
    cutoff = datetime.datetime.fromtimestamp(result.before, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(
        f"{verb} {len(result.run_ids)} finished run(s) that ended before {cutoff} and "
        f"{result.events_deleted} event(s); kept {result.events_kept} event(s) that asset or "
        "partition status points at."
    )
    if dry_run:
        for run_id in result.run_ids[:_SHOWN_RUNS]:
            click.echo(f"  {run_id}")
        if len(result.run_ids) > _SHOWN_RUNS:
            click.echo(f"  ... and {len(result.run_ids) - _SHOWN_RUNS} more")


@instance_group.command("info")
def info() -> None:
    """Print the storage backend, its location, schema revision and run/event counts."""
    instance = _open()
    try:
        try:
            details = instance.storage_info()
        except HeadwaterError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"home:            {instance.root_directory}")
        click.echo(f"storage:         {details.backend}")
        click.echo(f"location:        {details.location}")
        click.echo(f"schema revision: {details.schema_revision or '-'}")
        click.echo(f"runs:            {details.runs}")
        click.echo(f"events:          {details.events}")
    finally:
        instance.dispose()


instance_group.add_command(concurrency_group)
