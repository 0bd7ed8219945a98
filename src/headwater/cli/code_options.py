"""Options shared by commands that load user code: -m MODULE | -f FILE [-a ATTR] [-d DIR].

With neither -m nor -f, the code is the project's: the nearest ``pyproject.toml`` (or ``dg.toml``) at
or above the working directory that names a module (``[tool.dg.project] root_module`` as Dagster's
scaffold writes it, or ``[tool.headwater]``) gives ``<root_module>.definitions``, imported from the
project (its ``src/`` folder in a src layout).
"""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

from headwater.definitions.definitions import Definitions
from headwater.definitions.project_config import find_project
from headwater.errors import HeadwaterError, UserCodeExecutionError
from headwater.locations.server.loader import load_definitions

F = TypeVar("F", bound=Callable[..., Any])

NO_CODE = (
    "Say where the code is: -m MODULE or -f FILE, or run inside a project whose pyproject.toml names its "
    'module ([tool.dg.project] root_module = "your_package", or [tool.headwater]).'
)


def code_options(fn: F) -> F:
    @functools.wraps(fn)
    def with_project(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("module_name") is None and kwargs.get("python_file") is None:
            try:
                project = find_project(kwargs.get("working_directory") or os.getcwd())
            except HeadwaterError as exc:
                raise click.ClickException(str(exc)) from exc
            if project is not None:
                kwargs["module_name"] = project.definitions_module
                kwargs["working_directory"] = str(project.import_path)
        return fn(*args, **kwargs)

    wrapped = cast(F, with_project)
    wrapped = click.option(
        "-d", "--working-directory", default=None, help="Directory to import from (default: cwd)."
    )(wrapped)
    wrapped = click.option(
        "-a", "--attribute", default=None, help="Name of the Definitions object in the module."
    )(wrapped)
    wrapped = click.option(
        "-f", "--python-file", default=None, help="Python file that defines a Definitions."
    )(wrapped)
    wrapped = click.option(
        "-m",
        "--module-name",
        default=None,
        help="Python module that defines a Definitions (default: the project's, from pyproject.toml).",
    )(wrapped)
    return wrapped


def load_from_options(
    module_name: str | None, python_file: str | None, attribute: str | None, working_directory: str | None
) -> Definitions:
    if module_name is None and python_file is None:
        raise click.UsageError(NO_CODE)
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


def selection_from_option(text: str, *, include_sources: bool = False) -> Any:
    """An ``AssetSelection`` from ``--select``: Dagster's selection syntax, or its comma-separated form
    (``a,b/c,+d``: each part a selection, e.g. a key with ``+``/``*`` lineage; the parts are unioned)."""
    from headwater.selection.asset_selection import AssetSelection

    parts = _split_commas(text) or [text]
    selections = [AssetSelection.from_string(p, include_sources=include_sources) for p in parts]
    return functools.reduce(operator.or_, selections)


def _split_commas(text: str) -> list[str]:
    """``text`` split at commas outside quotes and parentheses; blank parts dropped."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def open_instance() -> Any:
    """The instance of HEADWATER_HOME (SQLite at ./.headwater/headwater.db by default)."""
    from headwater.instance import Instance

    try:
        return Instance.get()
    except HeadwaterError as exc:
        raise click.ClickException(str(exc)) from exc
