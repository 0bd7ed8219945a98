"""Import aliases: ``import dagster`` giving ``headwater.compat.dagster`` in processes that load user code.

A finder placed first on ``sys.meta_path`` answers for the aliased names (and their submodules listed in
the table) with the module the alias points at, imported by name. Modules already imported are left
alone.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the target module was imported by ``create_module``."""


class AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``alias`` (a module name) as the module ``aliases[alias]``."""

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self.aliases = dict(aliases)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        destination = self.aliases.get(fullname)
        if destination is None:
            return None
        is_package = any(name.startswith(f"{fullname}.") for name in self.aliases)
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(destination), is_package=is_package)


def install_aliases(aliases: Mapping[str, str]) -> None:
    """Make each key of ``aliases`` importable as the module named by its value (once per process)."""
    for finder in sys.meta_path:
        if isinstance(finder, AliasFinder):
            finder.aliases.update(aliases)
            return
    sys.meta_path.insert(0, AliasFinder(aliases))
