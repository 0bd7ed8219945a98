"""``headwater asset``: list and materialize assets."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from headwater.cli.code_options import code_options, load_from_options, open_instance
from headwater.cli.progress import ProgressPrinter
from headwater.definitions.asset_job import selection_job
from headwater.definitions.selection import AssetSelection
from headwater.errors import HeadwaterError


@click.group("asset")
def asset_group() -> None:
    """Commands for assets."""


@asset_group.command("list")
@code_options
@click.option("--select", default="*", show_default=True, help="Asset selection (Dagster's syntax).")
def list_assets(
    select: str,
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
) -> None:
    """List the assets of a code location."""
    defs = load_from_options(module_name, python_file, attribute, working_directory)
    graph = defs.resolve_asset_graph()
    try:
        keys = AssetSelection.from_string(select, include_sources=True).resolve(graph)
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    table = Table("asset", "group", "deps", "kinds")
    for key in graph.toposorted():
        if key in keys:
            node = graph.nodes[key]
            table.add_row(
                key.to_user_string(),
                node.group_name,
                ", ".join(d.to_user_string() for d in node.deps),
                ", ".join(sorted(node.kinds)),
            )
    Console().print(table)


@asset_group.command("materialize")
@code_options
@click.option("--select", required=True, help="Assets to materialize, e.g. '*', 'group:raw', 'key:orders+'.")
@click.option("--partition", default=None, help="Partition key to materialize.")
@click.option("-v", "--verbose", is_flag=True, help="Print every event, not only step progress.")
def materialize_assets(
    select: str,
    partition: str | None,
    verbose: bool,
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
) -> None:
    """Materialize the selected assets, printing each step's progress and result."""
    from headwater.execution.api import execute_job

    defs = load_from_options(module_name, python_file, attribute, working_directory)
    console = Console(highlight=False, soft_wrap=True)
    try:
        selection = AssetSelection.from_string(select)
        job = selection_job("__ASSET_JOB", defs.collection, selection, defs.resources)
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    if not job.spec.nodes:
        raise click.ClickException(f"The selection {select!r} matches no materializable assets.")
    instance = open_instance()
    printer = ProgressPrinter(console, verbose=verbose)
    console.print(
        f"[bold]Materializing {len(job.asset_layer.selected_asset_keys)} asset(s)[/bold] "
        f"({len(job.spec.nodes)} step(s))"
    )
    try:
        result = execute_job(
            job, instance=instance, partition_key=partition, raise_on_error=False, on_events=printer
        )
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    c = printer.counts
    status = "[green]SUCCESS[/green]" if result.success else "[red]FAILURE[/red]"
    console.print(
        f"Run {result.run_id}: {status} — {c['success']} succeeded, {c['failure']} failed, "
        f"{c['skipped']} skipped"
    )
    if not result.success:
        raise SystemExit(1)
