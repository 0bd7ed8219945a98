"""``headwater asset``: list and materialize assets."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from headwater.cli.code_options import (
    code_options,
    load_from_options,
    open_instance,
    selection_from_option,
)
from headwater.cli.progress import ProgressPrinter
from headwater.core.data_version import SKIP_UNCHANGED_TAG
from headwater.core.partition_keys import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG
from headwater.definitions.asset_job import IMPLICIT_ASSET_JOB_NAME, selection_job
from headwater.errors import HeadwaterError
from headwater.runs.code_pointer import CodePointer


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
        keys = selection_from_option(select, include_sources=True).resolve(graph)
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
@click.option(
    "--partition-range",
    default=None,
    help="A range of partition keys to materialize in one run, START...END (inclusive); the assets read "
    "context.partition_key_range.",
)
@click.option(
    "--launch",
    is_flag=True,
    help="Launch the run in its own process (through the instance's run coordinator and launcher) and "
    "print its run id, instead of running it in this process.",
)
@click.option("--wait", is_flag=True, help="With --launch: follow the run's progress until it finishes.")
@click.option(
    "--skip-unchanged",
    is_flag=True,
    help="Skip each step whose assets' code versions and input data versions equal those of their last "
    "materialization, reusing the stored outputs (the run tag headwater/skip_unchanged).",
)
@click.option("-v", "--verbose", is_flag=True, help="Print every event, not only step progress.")
def materialize_assets(
    select: str,
    partition: str | None,
    partition_range: str | None,
    launch: bool,
    wait: bool,
    skip_unchanged: bool,
    verbose: bool,
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
) -> None:
    """Materialize the selected assets, printing each step's progress and result.

    By default the run executes in this process. With --launch it runs in a ``headwater run-worker``
    process (a queued coordinator queues it for the daemon); --wait then follows it and exits non-zero
    when it does not succeed.
    """
    if wait and not launch:
        raise click.UsageError("--wait follows a launched run: pass it with --launch.")
    tags = _range_tags(partition, partition_range)
    if skip_unchanged:
        tags[SKIP_UNCHANGED_TAG] = "true"
    defs = load_from_options(module_name, python_file, attribute, working_directory)
    console = Console(highlight=False, soft_wrap=True)
    try:
        selection = selection_from_option(select)
        job = selection_job(IMPLICIT_ASSET_JOB_NAME, defs.collection, selection, defs.resources)
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    if not job.spec.nodes:
        raise click.ClickException(f"The selection {select!r} matches no materializable assets.")
    if launch:
        pointer = CodePointer.from_options(module_name, python_file, attribute, working_directory)
        _launch(job, pointer, partition, tags, wait=wait, verbose=verbose, console=console)
    else:
        _execute_here(job, partition, tags, verbose=verbose, console=console)


def _range_tags(partition: str | None, partition_range: str | None) -> dict[str, str]:
    if partition_range is None:
        return {}
    if partition is not None:
        raise click.UsageError("Pass --partition or --partition-range, not both.")
    start, sep, end = partition_range.partition("...")
    if not sep or not start or not end or "..." in end:
        raise click.UsageError(
            f"--partition-range {partition_range!r} is not a range: write START...END, e.g. "
            "2024-01-01...2024-01-31."
        )
    return {ASSET_PARTITION_RANGE_START_TAG: start, ASSET_PARTITION_RANGE_END_TAG: end}


def _execute_here(
    job: Any, partition: str | None, tags: dict[str, str], *, verbose: bool, console: Console
) -> None:
    from headwater.execution.api import execute_job

    instance = open_instance()
    printer = ProgressPrinter(console, verbose=verbose)
    console.print(
        f"[bold]Materializing {len(job.asset_layer.selected_asset_keys)} asset(s)[/bold] "
        f"({len(job.spec.nodes)} step(s))"
    )
    try:
        result = execute_job(
            job,
            instance=instance,
            partition_key=partition,
            tags=tags,
            raise_on_error=False,
            on_events=printer,
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


def _launch(
    job: Any,
    pointer: CodePointer,
    partition: str | None,
    tags: dict[str, str],
    *,
    wait: bool,
    verbose: bool,
    console: Console,
) -> None:
    """Create the run (spec, plan, code pointer and asset selection stored with it), submit it, print
    its id; the run worker rebuilds the job from the run's asset selection."""
    from headwater.cli.run import wait_for_run
    from headwater.execution.api import default_resources
    from headwater.execution.run_config import process_run_config
    from headwater.execution.run_partitions import InputPartitions, partition_tags, resolve_run_partitions
    from headwater.planning.plan import build_plan
    from headwater.runs.create import create_asset_run_for_launch

    instance = open_instance()
    try:
        # Check config and resources here, where the mistake can be reported, not in the worker.
        resources = default_resources(job.resource_defs, instance)
        job.asset_layer.validate_load_io_managers(job.spec, resources)
        process_run_config(
            job, None, set(resources), plan=build_plan(job.spec), input_values=job.input_values
        )
        # An unknown partition or a bad range is reported here, before a run exists.
        partitions = resolve_run_partitions(job, partition, tags, instance)
        InputPartitions(job, partitions, instance).check()
        run = create_asset_run_for_launch(
            instance.run_storage,
            job.spec,
            pointer,
            job.asset_layer.selected_asset_keys,
            tags=partition_tags(job, partitions),
        )
        run = instance.submit_run(run.run_id)
    except (HeadwaterError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(run.run_id)
    if wait and not wait_for_run(instance, run.run_id, console, verbose=verbose).is_success:
        raise SystemExit(1)
