"""``headwater instance concurrency``: instance-wide pool limits (Dagster's ``dagster instance
concurrency``).

* ``set POOL LIMIT`` -- at most LIMIT steps of pool POOL run at once across the instance;
* ``info [POOL]`` -- each pool's limit, the steps holding its slots and the steps waiting for one
  (``get`` is Dagster's name for the same);
* ``delete POOL`` -- remove the limit (the pool becomes unlimited).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.storage.concurrency import PoolInfo


def _open() -> Instance:
    from headwater.instance import Instance

    try:
        return Instance.get()
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc


def _time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _print_pool(info: PoolInfo, verbose: bool) -> None:
    limit = "no limit" if info.limit is None else str(info.limit)
    click.echo(
        f'"{info.pool}": {info.claimed_count} / {limit} slots occupied, {info.pending_count} step(s) pending'
    )
    if not verbose:
        return
    for slot in info.claimed:
        click.echo(f"  claimed  run {slot.run_id}  step {slot.step_key}  since {_time(slot.timestamp)}")
    for step in info.pending:
        click.echo(
            f"  pending  run {step.run_id}  step {step.step_key}  priority {step.priority}  "
            f"since {_time(step.timestamp)}"
        )


@click.group("concurrency")
def concurrency_group() -> None:
    """Instance-wide concurrency limits of op/asset pools (`pool=`)."""


@concurrency_group.command("set")
@click.argument("pool")
@click.argument("limit", type=click.IntRange(min=0))
def set_limit(pool: str, limit: int) -> None:
    """At most LIMIT steps of POOL run at once across every run of the instance."""
    with _open() as instance:
        try:
            instance.set_concurrency_limit(pool, limit)
        except HeadwaterError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Set concurrency limit for {pool} to {limit}.")


def _info(pool: str | None, show_all: bool) -> None:
    with _open() as instance:
        pools = [pool] if pool is not None else list(instance.get_concurrency_keys())
        if not pools:
            click.echo(
                "No concurrency limits set. Run `headwater instance concurrency set POOL LIMIT` to set one."
            )
            return
        if pool is None:
            click.echo("Concurrency limits:")
        for name in pools:
            _print_pool(instance.get_pool_info(name), verbose=pool is not None or show_all)


@concurrency_group.command("info")
@click.argument("pool", required=False)
@click.option("--verbose", "-v", "show_all", is_flag=True, help="List the slots and pending steps.")
def info(pool: str | None, show_all: bool) -> None:
    """Each pool's limit and occupied slots; with POOL, also which runs and steps hold or await them."""
    _info(pool, show_all)


@concurrency_group.command("get")
@click.argument("pool", required=False)
@click.option("--all", "all_pools", is_flag=True, help="Every pool with a limit.")
def get(pool: str | None, all_pools: bool) -> None:
    """Dagster's form of `info`: `get POOL` or `get --all`."""
    if pool is None and not all_pools:
        raise click.UsageError("Give a POOL or --all (`headwater instance concurrency get --help`).")
    _info(None if all_pools else pool, False)


@concurrency_group.command("delete")
@click.argument("pool")
def delete(pool: str) -> None:
    """Remove POOL's limit: its steps run without waiting for slots."""
    with _open() as instance:
        existed = instance.delete_concurrency_limit(pool)
    click.echo(f"Deleted the concurrency limit of {pool}." if existed else f"Pool {pool} had no limit.")
