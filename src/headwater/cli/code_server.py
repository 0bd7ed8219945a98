"""``headwater code-server``: serve a code location over HTTP/JSON on loopback or a Unix socket."""

from __future__ import annotations

import click

from headwater.cli.code_options import code_options
from headwater.errors import HeadwaterError
from headwater.locations.client.address import DEFAULT_HOST, DEFAULT_PORT, LocationAddress


@click.group("code-server")
def code_server_group() -> None:
    """Commands for code-location servers."""


@code_server_group.command("start")
@code_options
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Loopback address to listen on.")
@click.option(
    "-p", "--port", type=int, default=None, help=f"Port (default {DEFAULT_PORT}; 0 picks a free one)."
)
@click.option(
    "-s", "--socket", "socket_path", default=None, help="Listen on this Unix socket instead of TCP."
)
@click.option(
    "-n", "--location-name", default=None, help="Name of the location (default: module or file name)."
)
@click.option(
    "--watch",
    is_flag=True,
    help="Reload the location when a .py file under the code's directories (the working directory, and "
    "the -f file's) changes. A failed reload keeps the server up, serving the error until a fix.",
)
@click.option("--ready-file", default=None, hidden=True, help="Write the bound address here once serving.")
@click.option("--parent-pid", type=int, default=None, hidden=True, help="Exit when this process exits.")
def start(
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
    host: str,
    port: int | None,
    socket_path: str | None,
    location_name: str | None,
    watch: bool,
    ready_file: str | None,
    parent_pid: int | None,
) -> None:
    """Load a code location and serve it until stopped (Ctrl-C). Loopback only.

    With --watch, editing a .py file under the code's directory reloads the location (as POST /reload
    does); a reload error is served (health status "error") until a later edit fixes it.
    """
    from headwater.locations.server.code_location import CodeTarget
    from headwater.locations.server.runner import run_code_server

    if (module_name is None) == (python_file is None):
        raise click.UsageError("Say where the code is: -m MODULE or -f FILE (one of them).")
    if socket_path is not None and port is not None:
        raise click.UsageError("Pass --port or --socket, not both.")
    try:
        address = (
            LocationAddress.unix(socket_path)
            if socket_path is not None
            else LocationAddress.tcp(host, DEFAULT_PORT if port is None else port)
        )
        target = CodeTarget(module_name, python_file, attribute, working_directory)
        run_code_server(
            target, address, name=location_name, ready_file=ready_file, parent_pid=parent_pid, watch=watch
        )
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {address}: {exc}") from exc
