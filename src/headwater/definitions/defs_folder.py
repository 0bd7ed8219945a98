"""Loading a project's ``defs/`` folder: ``load_from_defs_folder`` and ``load_defs``.

The folder is walked in name order (``__pycache__`` and hidden entries skipped):

* a folder with a ``defs.yaml`` is a component (see ``definitions.components``);
* a folder with a ``definitions.py`` (and no ``component.py``) is that file alone;
* any other folder is walked;
* a ``.py`` file is imported; it contributes its ``Definitions`` object (at most one), or the merge of its
  ``@definitions`` functions (called with a ``ComponentLoadContext``), or else every asset, asset spec,
  check and job it defines at module level.

What every file contributes is merged into one ``Definitions``. The same object reached from two files
counts once; two different definitions of one asset key, check, job, schedule, sensor or resource key
are an error naming both files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.definitions.component_context import ComponentLoadContext
from headwater.definitions.definitions import Definitions
from headwater.definitions.lazy_definitions import LazyDefinitions
from headwater.definitions.module_definitions import load_definitions_from_module
from headwater.definitions.module_loaders import find_objects_in_module_of_types
from headwater.definitions.project_config import find_project, find_project_root
from headwater.errors import InvalidDefinitionError

_IGNORED = ("__pycache__",)
YAML_NAMES = ("defs.yaml", "defs.yml", "component.yaml")


def load_from_defs_folder(
    *, path_within_project: Path | str | None = None, project_root: Path | str | None = None
) -> Definitions:
    """Everything defined under the project's ``defs`` package, merged into one ``Definitions``.

    ``path_within_project`` is any path inside the project (usually ``Path(__file__).parent``);
    ``project_root`` is the older name for it.
    """
    where = path_within_project if path_within_project is not None else project_root
    if where is None:
        raise InvalidDefinitionError(
            "load_from_defs_folder() needs path_within_project=, e.g. "
            "load_from_defs_folder(path_within_project=Path(__file__).parent)."
        )
    config = find_project(where)
    if config is None or config.defs_module is None:
        raise InvalidDefinitionError(
            f"No project configuration found at or above {where}: load_from_defs_folder needs a "
            'pyproject.toml with [tool.dg.project] root_module = "your_package" (or [tool.headwater]).'
        )
    config.add_to_sys_path()
    import importlib

    try:
        defs_root = importlib.import_module(config.defs_module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and config.defs_module.startswith(exc.name):
            raise InvalidDefinitionError(
                f"The project at {config.root} ({config.config_file.name}) has no defs package "
                f"{config.defs_module!r}: create {config.defs_module.replace('.', '/')}/__init__.py, or set "
                "defs_module in the project section."
            ) from exc
        raise
    return load_defs(defs_root, project_root=config.root)


def load_defs(
    defs_root: ModuleType,
    project_root: Path | str | None = None,
    terminate_autoloading_on_keyword_files: bool = True,
) -> Definitions:
    """Everything defined under the package ``defs_root`` (see the module docstring)."""
    paths = getattr(defs_root, "__path__", None)
    if not paths:
        raise InvalidDefinitionError(
            f"{defs_root.__name__} is a module, not a package: load_defs walks a folder (a package with "
            "__init__.py)."
        )
    folder = Path(next(iter(paths)))
    root = Path(project_root) if project_root is not None else find_project_root(folder)
    context = ComponentLoadContext(
        path=folder,
        project_root=root,
        defs_module_path=folder,
        defs_module_name=defs_root.__name__,
        terminate_autoloading_on_keyword_files=terminate_autoloading_on_keyword_files,
    )
    merged = _Merged()
    for path, defs in _walk(context, folder):
        merged.add(path, defs, context.project_root)
    return merged.result()


def _walk(context: ComponentLoadContext, path: Path) -> Iterator[tuple[Path, Definitions]]:
    if path.is_dir():
        yaml_file = next((path / n for n in YAML_NAMES if (path / n).exists()), None)
        if yaml_file is not None:
            from headwater.definitions.components.yaml_loader import load_yaml_components

            yield yaml_file, load_yaml_components(context.for_path(path), yaml_file)
            return
        if (
            context.terminate_autoloading_on_keyword_files
            and (path / "definitions.py").exists()
            and not (path / "component.py").exists()
        ):
            yield from _walk(context, path / "definitions.py")
            return
        yield from _children(context, path, ())
    elif path.suffix == ".py":
        module = context.load_defs_relative_python_module(path)
        defs = definitions_of_module(module, context.for_path(path), str(path))
        if defs is not None:
            yield path, defs


def _children(
    context: ComponentLoadContext, folder: Path, skip: tuple[str, ...]
) -> Iterator[tuple[Path, Definitions]]:
    for child in sorted(folder.iterdir()):
        if child.name in _IGNORED or child.name in skip or child.name.startswith("."):
            continue
        yield from _walk(context, child)


def load_folder_children(
    context: ComponentLoadContext, folder: Path, *, skip: tuple[str, ...] = ()
) -> Definitions:
    """What the entries of ``folder`` (but ``skip``) define, merged (``DefsFolderComponent``)."""
    merged = _Merged()
    for path, defs in _children(context, folder, skip):
        merged.add(path, defs, context.project_root)
    return merged.result()


def definitions_of_module(
    module: ModuleType, context: ComponentLoadContext | None, where: str
) -> Definitions | None:
    """A module's ``Definitions``: its one ``Definitions`` object, or its ``@definitions`` functions'
    results merged, or its loose definitions (None when it defines nothing)."""
    objects = list(find_objects_in_module_of_types(module, Definitions))
    lazy = list(find_objects_in_module_of_types(module, LazyDefinitions))
    objects = list({id(o): o for o in objects}.values())
    lazy = list({id(o): o for o in lazy}.values())
    if objects and lazy:
        raise InvalidDefinitionError(
            f"Found both @definitions-decorated functions and Definitions objects in {where}. At most one "
            "may be specified per module."
        )
    if len(objects) > 1:
        raise InvalidDefinitionError(
            f"Found multiple Definitions objects in {where}. At most one Definitions object may be specified "
            "per module."
        )
    if objects:
        found: Definitions = objects[0]
        return found
    if lazy:
        loaded = [fn(context) if fn.has_context_arg else fn() for fn in lazy]
        return loaded[0] if len(loaded) == 1 else Definitions.merge(*loaded)
    loose = load_definitions_from_module(module)
    if not (loose.assets or loose.asset_checks or loose.jobs):
        return None
    return loose


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


class _Merged:
    """Definitions from several files, checked for clashes that name both files."""

    def __init__(self) -> None:
        self.parts: list[Definitions] = []
        self.owners: dict[tuple[str, Any], tuple[int, str]] = {}

    def add(self, path: Path, defs: Definitions, root: Path) -> None:
        where = _display(path, root)
        for kind, name, obj in _named_objects(defs):
            owner = self.owners.get((kind, name))
            if owner is None:
                self.owners[(kind, name)] = (id(obj), where)
            elif owner[0] != id(obj) and owner[1] != where:
                raise InvalidDefinitionError(
                    f"{kind.capitalize()} {name} is defined in both {owner[1]} and {where}; each must be "
                    "defined once. Rename one, or import the other instead of defining it again."
                )
        self.parts.append(defs)

    def result(self) -> Definitions:
        if not self.parts:
            return Definitions()
        return self.parts[0] if len(self.parts) == 1 else Definitions.merge(*self.parts)


def _named_objects(defs: Definitions) -> Iterator[tuple[str, str, Any]]:
    from headwater.definitions.asset_spec import AssetSpec, SourceAsset
    from headwater.definitions.assets import AssetsDefinition

    for obj in [*defs.assets, *defs.asset_checks]:
        if isinstance(obj, AssetsDefinition):
            for key in obj.keys:
                yield "asset key", key.to_user_string(), obj
            for check_key in obj.check_keys:
                yield "asset check", check_key.to_user_string(), obj
        elif isinstance(obj, (AssetSpec, SourceAsset)):
            yield "asset key", obj.key.to_user_string(), obj
    for job in defs.jobs:
        yield "job", str(job.name), job
    for schedule in defs.schedules:
        yield "schedule", str(getattr(schedule, "name", schedule)), schedule
    for sensor in defs.sensors:
        yield "sensor", str(getattr(sensor, "name", sensor)), sensor
    for resource_key, resource in defs.resources.items():
        yield "resource key", resource_key, resource
