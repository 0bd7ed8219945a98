"""``headwater``: the command group."""

from __future__ import annotations

import sys

import click

from headwater.cli.asset import asset_group
from headwater.cli.job import job_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="headwater")
def cli() -> None:
    """Headwater: software-defined assets, ops and jobs, with Dagster's API."""


cli.add_command(asset_group)
cli.add_command(job_group)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)
