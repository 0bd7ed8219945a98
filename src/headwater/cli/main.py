"""``headwater``: the command group.

Subcommands are imported when used (``_LazyGroup``): a command pays only for its own imports. That
matters most for ``headwater run-worker``, whose start-up is part of every launched run's latency.
"""

from __future__ import annotations

import importlib
import sys

import click

#: name -> "module:attribute" of each subcommand, in the order ``--help`` lists them.
_COMMANDS = {
    "asset": "headwater.cli.asset:asset_group",
    "job": "headwater.cli.job:job_group",
    "instance": "headwater.cli.instance:instance_group",
    "code-server": "headwater.cli.code_server:code_server_group",
    "daemon": "headwater.cli.daemon:daemon_group",
    "celery": "headwater.cli.celery:celery_group",
    "dev": "headwater.cli.dev:dev_command",
    "webserver": "headwater.cli.dev:webserver_command",
    "run": "headwater.cli.run:run_group",
    "backfill": "headwater.cli.backfill:backfill_group",
    "run-worker": "headwater.cli.run_worker:run_worker_command",
    "step-worker": "headwater.cli.step_worker:step_worker_command",
    "scaffold": "headwater.cli.scaffold:scaffold_group",
    "schedule": "headwater.cli.schedule:schedule_group",
    "sensor": "headwater.cli.sensor:sensor_group",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*_COMMANDS, *sorted(n for n in self.commands if n not in _COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in _COMMANDS:
            return self.commands.get(cmd_name)
        module, attribute = _COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        self.add_command(command, cmd_name)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="headwater")
def cli() -> None:
    """Headwater: software-defined assets, ops and jobs, with Dagster's API."""


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)


if __name__ == "__main__":  # `python -m headwater.cli.main` (how a Workspace starts code servers)
    main()
