"""``ComponentLoadContext``: where in a project's ``defs/`` folder a piece of code is being loaded from."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.errors import InvalidDefinitionError


@dataclass(frozen=True)
class ComponentLoadContext:
    """Handed to ``@definitions`` functions (and components) loaded from a ``defs/`` folder.

    ``path`` is the file or folder being loaded; ``defs_module_path``/``defs_module_name`` the ``defs``
    package it lives in; ``project_root`` the directory holding the project's ``pyproject.toml``.
    """

    path: Path
    project_root: Path
    defs_module_path: Path
    defs_module_name: str
    terminate_autoloading_on_keyword_files: bool = True

    @staticmethod
    def for_test(path: Path | None = None, project_root: Path | None = None) -> ComponentLoadContext:
        """A context for calling a ``@definitions`` function or component directly in a test."""
        here = Path(path or Path.cwd())
        return ComponentLoadContext(here, Path(project_root or here), here, "defs")

    def for_path(self, path: Path) -> ComponentLoadContext:
        return replace(self, path=path)

    def defs_relative_module_name(self, path: Path) -> str:
        """The dotted module name of ``path`` (a ``.py`` file or a package folder) under the defs package."""
        try:
            relative = Path(path).resolve().relative_to(self.defs_module_path.resolve())
        except ValueError:
            raise InvalidDefinitionError(
                f"{path} is not inside the defs folder {self.defs_module_path}; only code under it can be "
                "loaded by load_from_defs_folder."
            ) from None
        if relative.name == "__init__.py":
            parts = list(relative.parts[:-1])
        elif relative.suffix == ".py":
            parts = [*relative.parts[:-1], relative.stem]
        else:
            parts = list(relative.parts)
        return ".".join([self.defs_module_name, *(p for p in parts if p)])

    def load_defs_relative_python_module(self, path: Path) -> ModuleType:
        """Import the module at ``path`` (under the defs folder) by its dotted name."""
        return importlib.import_module(self.defs_relative_module_name(path))

    def __getattr__(self, name: str) -> Any:  # pragma: no cover - clearer than AttributeError alone
        raise AttributeError(
            f"ComponentLoadContext has no attribute {name!r}; Headwater's context offers path, project_root, "
            "defs_module_path, defs_module_name, defs_relative_module_name() and "
            "load_defs_relative_python_module()."
        )
