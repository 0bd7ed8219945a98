"""``headwater dev`` (code servers that reload on change + the webserver + the daemon, on one machine)
and ``headwater webserver`` (the webserver alone, for production)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from headwater.errors import HeadwaterError

_DAEMON = ("daemon", "run")


def _entries(
    module_name: str | None,
    python_file: str | None,
    workspace_file: str | None,
    attribute: str | None,
    working_directory: str | None,
    location_name: str | None,
) -> list[object]:
    from headwater.definitions.project_config import find_project
    from headwater.locations.client.workspace_file import LocationEntry, read_workspace_file

    given = [x for x in (module_name, python_file, workspace_file) if x is not None]
    if len(given) > 1:
        raise click.UsageError("Pass one of -m MODULE, -f FILE or -w workspace.yaml.")
    if workspace_file is not None:
        return list(read_workspace_file(workspace_file))
    cwd = os.path.abspath(working_directory or os.getcwd())
    if module_name is None and python_file is None:
        found = Path("workspace.yaml")
        if found.is_file():
            return list(read_workspace_file(found))
        project = find_project(cwd)
        if project is None:
            raise click.UsageError(
                "Say where the code is: -m MODULE, -f FILE or -w workspace.yaml, or run inside a project "
                'whose pyproject.toml names its module ([tool.dg.project] root_module = "your_package").'
            )
        module_name, cwd = project.definitions_module, str(project.import_path)
    if python_file is not None:
        python_file = os.path.abspath(os.path.join(cwd, python_file))
        name = location_name or Path(python_file).stem
    else:
        assert module_name is not None
        name = location_name or module_name
    return [
        LocationEntry(
            name, module_name=module_name, python_file=python_file, attribute=attribute, working_directory=cwd
        )
    ]


F = TypeVar("F", bound=Callable[..., Any])


def _code_options(fn: F) -> F:
    fn = click.option("-n", "--location-name", default=None, help="Name of the location (-m/-f).")(fn)
    fn = click.option(
        "-d", "--working-directory", default=None, help="Directory to import from (default: cwd)."
    )(fn)
    fn = click.option(
        "-a", "--attribute", default=None, help="Name of the Definitions object in the module."
    )(fn)
    fn = click.option(
        "-w", "--workspace", "workspace_file", default=None, help="A workspace.yaml of locations."
    )(fn)
    fn = click.option("-f", "--python-file", default=None, help="Python file that defines a Definitions.")(fn)
    fn = click.option(
        "-m",
        "--module-name",
        default=None,
        help="Module that defines a Definitions (default: the project's).",
    )(fn)
    fn = click.option(
        "--port", "-p", type=int, default=3000, show_default=True, help="Port (0: a free one)."
    )(fn)
    fn = click.option(
        "--host",
        "-h",
        default="127.0.0.1",
        show_default=True,
        help="Address to listen on (loopback by default).",
    )(fn)
    fn = click.option(
        "--allowed-host",
        "allowed_hosts",
        multiple=True,
        help="Another Host header to answer to (e.g. behind a proxy).",
    )(fn)
    return fn


def _run(entries: list[object], host: str, port: int, **kwargs: object) -> None:
    from headwater.webserver.dev import run_webserver

    try:
        code = run_webserver(entries, host=host, port=port, **kwargs)  # type: ignore[arg-type]
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc}") from exc
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)


@click.command("dev", context_settings={"help_option_names": ["--help"]})
@_code_options
@click.option("--no-daemon", is_flag=True, help="Do not start the daemon.")
def dev_command(
    module_name: str | None,
    python_file: str | None,
    workspace_file: str | None,
    attribute: str | None,
    working_directory: str | None,
    location_name: str | None,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    no_daemon: bool,
) -> None:
    """Start the code location server(s), the webserver and the daemon for local development.

    Code reloads when a .py file changes (load errors are shown with their file and line); runs and
    events are kept in HEADWATER_HOME (default ./.headwater). Ctrl-C stops everything.
    """
    from headwater.cli.main import _COMMANDS

    # Dagster's marker of a local development session, inherited by the code servers it starts: user code
    # reads it (say DbtProject.prepare_if_dev(), which parses the dbt project only then).
    os.environ["DAGSTER_IS_DEV_CLI"] = "1"
    entries = _entries(module_name, python_file, workspace_file, attribute, working_directory, location_name)
    daemon_command = None
    if not no_daemon:
        if _DAEMON[0] in _COMMANDS:
            given = {
                "-m": module_name,
                "-f": python_file,
                "-w": workspace_file,
                "-a": attribute,
                "-d": working_directory,
                "-n": location_name,
            }
            code_args = [part for flag, value in given.items() if value is not None for part in (flag, value)]
            daemon_command = [sys.executable, "-m", "headwater.cli.main", *_DAEMON, *code_args]
        else:
            click.echo(
                "headwater: no daemon in this build yet (schedules, sensors and queued runs wait for it)",
                err=True,
            )
    _run(entries, host, port, watch=True, daemon_command=daemon_command, allowed_hosts=list(allowed_hosts))


@click.command("webserver", context_settings={"help_option_names": ["--help"]})
@_code_options
@click.option("--read-only", is_flag=True, help="Serve the API without mutations (no launches, no wipes).")
@click.option("--watch", is_flag=True, help="Reload the locations' code when a .py file changes.")
def webserver_command(
    module_name: str | None,
    python_file: str | None,
    workspace_file: str | None,
    attribute: str | None,
    working_directory: str | None,
    location_name: str | None,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    read_only: bool,
    watch: bool,
) -> None:
    """Serve the GraphQL API and the web UI (starting the workspace's code servers), without the daemon."""
    entries = _entries(module_name, python_file, workspace_file, attribute, working_directory, location_name)
    _run(entries, host, port, watch=watch, read_only=read_only, allowed_hosts=list(allowed_hosts))
