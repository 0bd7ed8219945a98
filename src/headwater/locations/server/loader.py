"""Loading user code: a module or a file, and the one Definitions object it defines."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from headwater.core.module_aliases import install_aliases
from headwater.definitions.component_context import ComponentLoadContext
from headwater.definitions.definitions import Definitions
from headwater.definitions.lazy_definitions import LazyDefinitions
from headwater.definitions.module_definitions import load_definitions_from_module
from headwater.definitions.repository import RepositoryDefinition
from headwater.errors import HeadwaterError, UserCodeExecutionError
from headwater.execution.boundary import user_code_error_boundary

#: Module names Dagster projects import, and what Headwater gives them instead (see
#: ``headwater.compat``). ``HEADWATER_DAGSTER_ALIAS=0`` turns the aliases off.
_PRIVATE = "headwater.compat.dagster_private"
DAGSTER_ALIASES = {
    "dagster": "headwater.compat.dagster",
    "dagster_pipes": "headwater.pipes",
    # Integrations (imported only when the project imports them; they need headwater[duckdb] / [dbt])
    "dagster_dbt": "headwater.compat.dagster_dbt",
    "dagster_duckdb": "headwater.compat.dagster_duckdb",
    "dagster_duckdb_pandas": "headwater.compat.dagster_duckdb_pandas",
    "dagster_duckdb_polars": "headwater.compat.dagster_duckdb_polars",
    # Dagster's private modules that real projects import (only the names Headwater has); the packages
    # on the way there too, so that ``import dagster._core.errors`` finds its parents
    "dagster._core": f"{_PRIVATE}.core",
    "dagster._core.errors": f"{_PRIVATE}.core.errors",
    "dagster._core.storage": f"{_PRIVATE}.core.storage",
    "dagster._core.storage.db_io_manager": f"{_PRIVATE}.core.storage.db_io_manager",
    "dagster._core.test_utils": f"{_PRIVATE}.core.test_utils",
    "dagster._core.definitions": f"{_PRIVATE}.core.definitions",
    "dagster._core.definitions.tags": f"{_PRIVATE}.core.definitions.tags",
    "dagster._utils": f"{_PRIVATE}.utils",
    "dagster._utils.backoff": f"{_PRIVATE}.utils.backoff",
}


def install_dagster_aliases() -> None:
    """Let user code loaded in this process ``import dagster`` and get Headwater's Dagster API."""
    if os.environ.get("HEADWATER_DAGSTER_ALIAS", "1") != "0":
        install_aliases(DAGSTER_ALIASES)


class CodeLoadError(HeadwaterError):
    """The code cannot be found, or defines no (or several) Definitions."""


class UserCodeLoadError(UserCodeExecutionError):
    """Importing the user's code raised; carries the user's exception and traceback."""


def load_definitions(
    *,
    module_name: str | None = None,
    python_file: str | None = None,
    attribute: str | None = None,
    working_directory: str | None = None,
) -> Definitions:
    """Import ``module_name`` or ``python_file`` and return its Definitions."""
    if (module_name is None) == (python_file is None):
        raise CodeLoadError("Pass exactly one of a module (-m) or a Python file (-f).")
    install_dagster_aliases()
    cwd = working_directory or os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    where = module_name or python_file
    with user_code_error_boundary(
        UserCodeLoadError, lambda exc: f"Error while importing {where}: {type(exc).__name__}: {exc}"
    ):
        if module_name is not None:
            module = importlib.import_module(module_name)
        else:
            assert python_file is not None
            path = Path(python_file).resolve()
            if not path.exists():
                raise CodeLoadError(f"No such file: {python_file}. Check the path passed with -f.")
            spec = importlib.util.spec_from_file_location(path.stem, path)
            if spec is None or spec.loader is None:
                raise CodeLoadError(f"Cannot import {python_file}: not a Python file.")
            module = importlib.util.module_from_spec(spec)
            sys.modules[path.stem] = module
            if str(path.parent) not in sys.path:
                sys.path.insert(0, str(path.parent))
            spec.loader.exec_module(module)
    return find_definitions(module, str(where), attribute)


def find_definitions(module: Any, where: str, attribute: str | None = None) -> Definitions:
    """The module's ``Definitions``: the one it defines (``defs`` when several), the result of its
    ``@definitions`` function, the definitions of its ``@repository`` (a legacy project), or else -- as
    Dagster does -- every asset, check and job it defines."""
    if attribute is not None:
        value = getattr(module, attribute, None)
        if isinstance(value, LazyDefinitions):
            return _call(value, where)
        if isinstance(value, RepositoryDefinition):
            return value.definitions
        if not isinstance(value, Definitions):
            raise CodeLoadError(
                f"{where} has no Definitions (or @definitions function, or @repository) named {attribute!r}."
            )
        return value
    found: dict[str, Definitions | LazyDefinitions | RepositoryDefinition] = {
        name: v
        for name, v in vars(module).items()
        if isinstance(v, (Definitions, LazyDefinitions, RepositoryDefinition))
    }
    if len(found) > 1:
        if "defs" not in found:
            names = ", ".join(sorted(found))
            raise CodeLoadError(
                f"{where} defines several Definitions or repositories ({names}); pick one with "
                "-a/--attribute."
            )
        found = {"defs": found["defs"]}
    if found:
        value = next(iter(found.values()))
        if isinstance(value, RepositoryDefinition):
            return value.definitions
        return _call(value, where) if isinstance(value, LazyDefinitions) else value
    loose = load_definitions_from_module(module)
    if loose.assets or loose.asset_checks or loose.jobs:
        return loose
    raise CodeLoadError(
        f"{where} defines no Definitions object and no assets or jobs. Add `defs = Definitions(assets=[...], "
        "jobs=[...])` (or an @definitions function returning one) at module level."
    )


def _call(lazy: LazyDefinitions, where: str) -> Definitions:
    """Run a module-level ``@definitions`` function (user code: through the boundary)."""
    context = None
    if lazy.has_context_arg:
        path = Path(getattr(sys.modules.get(lazy.__module__), "__file__", None) or where)
        context = ComponentLoadContext.for_test(path, path.parent)
    with user_code_error_boundary(
        UserCodeLoadError,
        lambda exc: (
            f"Error while loading definitions from @definitions function {lazy.__qualname__} in {where}: "
            f"{type(exc).__name__}: {exc}"
        ),
    ):
        return lazy(context)
