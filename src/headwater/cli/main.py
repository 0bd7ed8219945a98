"""``headwater``: the command group."""

from __future__ import annotations

import sys

import click

from headwater.cli.asset import asset_group
from headwater.cli.code_server import code_server_group
from headwater.cli.instance import instance_group
from headwater.cli.job import job_group
from headwater.cli.run import run_group
from headwater.cli.run_worker import run_worker_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="headwater")
def cli() -> None:
    """Headwater: software-defined assets, ops and jobs, with Dagster's API."""


cli.add_command(asset_group)
cli.add_command(job_group)
cli.add_command(instance_group)
cli.add_command(code_server_group)
cli.add_command(run_group)
cli.add_command(run_worker_command)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)


if __name__ == "__main__":  # `python -m headwater.cli.main` (how a Workspace starts code servers)
    main()
