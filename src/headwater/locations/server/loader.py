"""Loading user code: a module or a file, and the one Definitions object it defines."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from headwater.definitions.definitions import Definitions
from headwater.errors import HeadwaterError, UserCodeExecutionError
from headwater.execution.boundary import user_code_error_boundary


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
    if attribute is not None:
        value = getattr(module, attribute, None)
        if not isinstance(value, Definitions):
            raise CodeLoadError(f"{where} has no Definitions named {attribute!r}.")
        return value
    found = {name: v for name, v in vars(module).items() if isinstance(v, Definitions)}
    if not found:
        raise CodeLoadError(
            f"{where} defines no Definitions object. Add `defs = Definitions(assets=[...], jobs=[...])` at "
            "module level."
        )
    if len(found) > 1:
        if "defs" in found:
            return found["defs"]
        raise CodeLoadError(
            f"{where} defines several Definitions ({', '.join(sorted(found))}); pick one with -a/--attribute."
        )
    return next(iter(found.values()))
