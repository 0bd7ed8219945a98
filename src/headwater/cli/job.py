"""``headwater job``: list jobs, execute one in this process, or launch a run in its own process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from headwater.cli.code_options import code_options, load_from_options, open_instance
from headwater.cli.progress import ProgressPrinter
from headwater.errors import HeadwaterError


@click.group("job")
def job_group() -> None:
    """Commands for jobs."""


@job_group.command("list")
@code_options
def list_jobs(
    module_name: str | None, python_file: str | None, attribute: str | None, working_directory: str | None
) -> None:
    """List the jobs of a code location."""
    defs = load_from_options(module_name, python_file, attribute, working_directory)
    table = Table("job", "steps", "description")
    for job in defs.resolve_all_job_defs():
        table.add_row(job.name, str(len(job.spec.nodes)), job.description or "")
    Console().print(table)


def _read_config(paths: tuple[str, ...]) -> dict[str, Any]:
    import yaml

    merged: dict[str, Any] = {}
    for path in paths:
        try:
            data = yaml.safe_load(Path(path).read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise click.ClickException(f"Cannot read run config {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise click.ClickException(f"Run config {path} must be a mapping at the top level.")
        merged.update(data)
    return merged


@job_group.command("execute")
@code_options
@click.option("-j", "--job", "job_name", required=True, help="The job to run.")
@click.option("-c", "--config", "config_files", multiple=True, help="Run config YAML file(s).")
@click.option("--tags", default=None, help='Run tags as JSON, e.g. \'{"team": "core"}\'.')
@click.option("-v", "--verbose", is_flag=True)
def execute(
    job_name: str,
    config_files: tuple[str, ...],
    tags: str | None,
    verbose: bool,
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
) -> None:
    """Run a job in this process, printing each step's progress."""
    import json

    from headwater.execution.api import execute_job

    defs = load_from_options(module_name, python_file, attribute, working_directory)
    console = Console(highlight=False, soft_wrap=True)
    try:
        job = defs.resolve_job_def(job_name)
        run_tags = json.loads(tags) if tags else None
        printer = ProgressPrinter(console, verbose=verbose)
        result = execute_job(
            job,
            run_config=_read_config(config_files) or None,
            instance=open_instance(),
            tags=run_tags,
            raise_on_error=False,
            on_events=printer,
        )
    except (HeadwaterError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    status = "[green]SUCCESS[/green]" if result.success else "[red]FAILURE[/red]"
    console.print(f"Run {result.run_id}: {status}")
    if not result.success:
        raise SystemExit(1)


@job_group.command("launch")
@code_options
@click.option("-j", "--job", "job_name", required=True, help="The job to run.")
@click.option("-c", "--config", "config_files", multiple=True, help="Run config YAML file(s).")
@click.option("--tags", default=None, help='Run tags as JSON, e.g. \'{"team": "core"}\'.')
@click.option("--wait", is_flag=True, help="Follow the run's progress until it finishes.")
@click.option("-v", "--verbose", is_flag=True)
def launch(
    job_name: str,
    config_files: tuple[str, ...],
    tags: str | None,
    wait: bool,
    verbose: bool,
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
) -> None:
    """Launch a run of a job in its own process (through the instance's run coordinator and launcher);
    print its run id."""
    import json

    from headwater.cli.run import wait_for_run
    from headwater.execution.api import default_resources
    from headwater.execution.run_config import process_run_config
    from headwater.instance import Instance
    from headwater.planning.plan import build_plan
    from headwater.runs.code_pointer import CodePointer
    from headwater.runs.create import create_run_for_launch

    defs = load_from_options(module_name, python_file, attribute, working_directory)
    console = Console(highlight=False, soft_wrap=True)
    try:
        instance = Instance.get()
        job = defs.resolve_job_def(job_name)
        run_tags = json.loads(tags) if tags else None
        run_config = _read_config(config_files)
        # Check the config here, where the mistake can be reported, not in the worker.
        resources = default_resources(job.resource_defs, instance)
        process_run_config(
            job, run_config or None, set(resources), plan=build_plan(job.spec), input_values=job.input_values
        )
        pointer = CodePointer.from_options(module_name, python_file, attribute, working_directory)
        run = create_run_for_launch(
            instance.run_storage,
            job.spec,
            pointer,
            run_config=run_config,
            tags=run_tags,
            asset_selection=job.asset_layer.selected_asset_keys if job.asset_layer is not None else None,
        )
        run = instance.submit_run(run.run_id)
    except (HeadwaterError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(run.run_id)
    if wait and not wait_for_run(instance, run.run_id, console, verbose=verbose).is_success:
        raise SystemExit(1)
