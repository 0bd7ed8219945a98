"""``headwater scaffold``: the files a Dagster user expects in a project's ``defs/`` folder.

    headwater scaffold defs asset assets/orders.py
    headwater scaffold defs asset_check checks.py
    headwater scaffold defs resources resources.py
    headwater scaffold defs component my_project.components.Tables tables   # tables/defs.yaml
    headwater scaffold component Tables                                     # <root>/components/tables.py

Paths are relative to the project's defs package (found from pyproject.toml). Files are written in the
project's style: ``import dagster as dg`` in a Dagster-layout project (``[tool.dg]``/``[tool.dagster]``),
``import headwater as hw`` otherwise. Existing files are never overwritten.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from headwater.definitions.project_config import ProjectConfig, find_project

_PY = {
    "asset": """import {mod} as {a}


@{a}.asset
def {name}(context: {a}.AssetExecutionContext) -> {a}.MaterializeResult:
    return {a}.MaterializeResult()
""",
    "asset_check": """import {mod} as {a}


@{a}.asset_check(asset="{name}")
def {name}_check() -> {a}.AssetCheckResult:
    return {a}.AssetCheckResult(passed=True)
""",
    "resources": """import {mod} as {a}


@{a}.definitions
def resources() -> {a}.Definitions:
    return {a}.Definitions(resources={{}})
""",
}
_NOT_YET = {"schedule", "sensor"}
_COMPONENT = '''import {mod} as {a}


class {cls}({a}.Component, {a}.Model, {a}.Resolvable):
    """{cls}: configure it in a defs.yaml with `type: {root}.components.{module}.{cls}`."""

    names: list[str] = []

    def build_defs(self, context: {a}.ComponentLoadContext) -> {a}.Definitions:
        def make(name: str) -> {a}.AssetsDefinition:
            @{a}.asset(name=name)
            def _asset() -> None: ...

            return _asset

        return {a}.Definitions(assets=[make(n) for n in self.names])
'''


@click.group("scaffold")
def scaffold_group() -> None:
    """Write starter files into the project found from pyproject.toml."""


def _project() -> ProjectConfig:
    project = find_project(os.getcwd())
    if project is None or project.defs_module is None or project.root_module is None:
        raise click.ClickException(
            "No project with a defs package here: run inside a project whose pyproject.toml has "
            '[tool.dg.project] root_module = "your_package" (or [tool.headwater] root_module).'
        )
    return project


def _style(project: ProjectConfig) -> tuple[str, str]:
    dagster = (
        "[tool.dg" in project.config_file.read_text(encoding="utf-8") or project.config_file.name == "dg.toml"
    )
    return ("dagster", "dg") if dagster else ("headwater", "hw")


def _package_dir(project: ProjectConfig, module: str) -> Path:
    return project.import_path.joinpath(*module.split("."))


def _write(path: Path, text: str) -> None:
    if path.exists():
        raise click.ClickException(f"{path} exists already; scaffold never overwrites a file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"Created {path}")


@scaffold_group.group("defs")
def defs_group() -> None:
    """Files under the defs folder."""


@defs_group.command("asset")
@click.argument("path")
def scaffold_asset(path: str) -> None:
    """An @asset in PATH (a .py file under defs/)."""
    _scaffold_python("asset", path)


@defs_group.command("asset_check")
@click.argument("path")
def scaffold_check(path: str) -> None:
    """An @asset_check in PATH."""
    _scaffold_python("asset_check", path)


@defs_group.command("resources")
@click.argument("path")
def scaffold_resources(path: str) -> None:
    """An @definitions function returning resources, in PATH."""
    _scaffold_python("resources", path)


@defs_group.command("schedule")
@click.argument("path")
def scaffold_schedule(path: str) -> None:
    """Not available yet: schedules arrive with the daemon."""
    _scaffold_python("schedule", path)


@defs_group.command("sensor")
@click.argument("path")
def scaffold_sensor(path: str) -> None:
    """Not available yet: sensors arrive with the daemon."""
    _scaffold_python("sensor", path)


def _scaffold_python(kind: str, path: str) -> None:
    if kind in _NOT_YET:
        raise click.ClickException(
            f"Headwater cannot run {kind}s yet (they come with the daemon), so it does not scaffold one."
        )
    if not path.endswith(".py"):
        raise click.UsageError(f"PATH must be a Python file (ending in .py); got {path!r}.")
    project = _project()
    module, alias = _style(project)
    name = re.sub(r"\W", "_", Path(path).stem)
    target = _package_dir(project, project.defs_module or "") / path
    _write(target, _PY[kind].format(mod=module, a=alias, name=name))


@defs_group.command("component")
@click.argument("component_type")
@click.argument("path")
def scaffold_component_instance(component_type: str, path: str) -> None:
    """A folder PATH under defs/ with a defs.yaml of COMPONENT_TYPE (a dotted path)."""
    project = _project()
    folder = _package_dir(project, project.defs_module or "") / path
    _write(folder / "defs.yaml", f"type: {component_type}\n\nattributes: {{}}\n")


@scaffold_group.command("component")
@click.argument("class_name")
def scaffold_component_class(class_name: str) -> None:
    """A Component subclass CLASS_NAME in <root_module>/components/<class_name>.py."""
    if not class_name.isidentifier():
        raise click.UsageError(f"CLASS_NAME must be a Python class name; got {class_name!r}.")
    project = _project()
    module, alias = _style(project)
    file_module = re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()
    package = _package_dir(project, f"{project.root_module}.components")
    if not (package / "__init__.py").exists():
        _write(package / "__init__.py", "")
    _write(
        package / f"{file_module}.py",
        _COMPONENT.format(mod=module, a=alias, cls=class_name, root=project.root_module, module=file_module),
    )
