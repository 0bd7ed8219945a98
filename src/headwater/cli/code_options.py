"""Options shared by commands that load user code: -m MODULE | -f FILE [-a ATTR] [-d DIR]."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from headwater.definitions.definitions import Definitions
from headwater.errors import HeadwaterError, UserCodeExecutionError
from headwater.locations.server.loader import load_definitions

F = TypeVar("F", bound=Callable[..., Any])


def code_options(fn: F) -> F:
    fn = click.option(
        "-d", "--working-directory", default=None, help="Directory to import from (default: cwd)."
    )(fn)
    fn = click.option(
        "-a", "--attribute", default=None, help="Name of the Definitions object in the module."
    )(fn)
    fn = click.option("-f", "--python-file", default=None, help="Python file that defines a Definitions.")(fn)
    fn = click.option("-m", "--module-name", default=None, help="Python module that defines a Definitions.")(
        fn
    )
    return fn


def load_from_options(
    module_name: str | None, python_file: str | None, attribute: str | None, working_directory: str | None
) -> Definitions:
    if module_name is None and python_file is None:
        raise click.UsageError("Say where the code is: -m MODULE or -f FILE.")
    try:
        return load_definitions(
            module_name=module_name,
            python_file=python_file,
            attribute=attribute,
            working_directory=working_directory,
        )
    except UserCodeExecutionError as exc:
        raise click.ClickException(exc.with_traceback_text()) from exc
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc


def open_instance() -> Any:
    """The instance of HEADWATER_HOME (SQLite at ./.headwater/headwater.db by default)."""
    from headwater.instance import Instance

    try:
        return Instance.get()
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
