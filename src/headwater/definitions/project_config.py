"""Finding a project the way Dagster's ``dg`` does: a ``pyproject.toml`` (or ``dg.toml``) naming its module.

Read, walking up from a directory:

* ``pyproject.toml`` with ``[tool.dg.project] root_module = "pkg"`` (what Dagster's scaffold writes;
  optional ``defs_module`` and ``code_location_target_module``), or ``[tool.headwater]`` with the same
  keys (``root_module``, or ``module`` naming the definitions module directly);
* ``dg.toml`` with ``[project] root_module = ...``;
* ``pyproject.toml`` with ``[tool.dagster] module_name = "pkg"`` (Dagster's older layout: the module
  that defines ``defs``).

The definitions module defaults to ``<root_module>.definitions`` and the defs package to
``<root_module>.defs``. In a ``src/`` layout the package lives under ``src/``, which is put on
``sys.path`` when the project is loaded.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from headwater.errors import InvalidDefinitionError


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    config_file: Path
    root_module: str | None
    definitions_module: str
    defs_module: str | None

    @property
    def import_path(self) -> Path:
        """The directory to import the project's package from: ``src/`` if the package is there."""
        top = (self.root_module or self.definitions_module).split(".", 1)[0]
        src = self.root / "src"
        if (src / top).exists() or ((src / f"{top}.py").exists() and not (self.root / top).exists()):
            return src
        return self.root

    def add_to_sys_path(self) -> None:
        path = str(self.import_path)
        if path not in sys.path:
            sys.path.insert(0, path)


def _section(data: dict[str, Any], *names: str) -> dict[str, Any] | None:
    node: Any = data
    for name in names:
        if not isinstance(node, dict) or name not in node:
            return None
        node = node[name]
    return node if isinstance(node, dict) else None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidDefinitionError(f"Cannot read {path}: {exc}. Fix the TOML syntax.") from exc


def _config_from(path: Path) -> ProjectConfig | None:
    data = _read(path)
    if path.name == "dg.toml":
        section = _section(data, "project")
    else:
        section = _section(data, "tool", "headwater") or _section(data, "tool", "dg", "project")
        legacy = _section(data, "tool", "dagster")
        if section is None and legacy is not None and legacy.get("module_name"):
            # Dagster's older layout: [tool.dagster] module_name names the definitions module itself.
            section = {"module": legacy["module_name"]}
    if section is None:
        return None
    root_module = section.get("root_module")
    module = section.get("module") or section.get("code_location_target_module")
    for key, value in (("root_module", root_module), ("module", module)):
        if value is not None and (not isinstance(value, str) or not value):
            raise InvalidDefinitionError(f"{path}: `{key}` must be a module name (a string); got {value!r}.")
    if root_module is None and module is None:
        raise InvalidDefinitionError(
            f'{path} has a project section but names no module: add `root_module = "your_package"` '
            "under [tool.dg.project] (or [tool.headwater])."
        )
    defs_module = section.get("defs_module") or (f"{root_module}.defs" if root_module else None)
    return ProjectConfig(
        root=path.parent,
        config_file=path,
        root_module=root_module,
        definitions_module=module or f"{root_module}.definitions",
        defs_module=defs_module,
    )


def find_project(start: str | Path) -> ProjectConfig | None:
    """The project whose ``pyproject.toml``/``dg.toml`` is in ``start`` or the nearest directory above it
    that has a project section; None when there is none."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        for name in ("dg.toml", "pyproject.toml"):
            candidate = directory / name
            if candidate.is_file():
                config = _config_from(candidate)
                if config is not None:
                    return config
    return None


def find_project_root(start: str | Path) -> Path:
    """The nearest directory at or above ``start`` holding a ``pyproject.toml`` or ``setup.py``."""
    here = Path(start).resolve()
    for directory in (here if here.is_dir() else here.parent, *here.parents):
        if (directory / "pyproject.toml").exists() or (directory / "setup.py").exists():
            return directory
    raise InvalidDefinitionError(
        f"No project root (a directory with pyproject.toml or setup.py) above {start}; pass project_root=."
    )
