"""The built-in components: ``DefsFolderComponent``, ``DefinitionsComponent``, ``FunctionComponent`` and
``PythonScriptComponent`` (Dagster's names, as far as the concepts map onto Headwater)."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetSpec
from headwater.definitions.component_context import ComponentLoadContext
from headwater.definitions.components.component import Component
from headwater.definitions.components.resolvable import Model, Resolvable
from headwater.definitions.definitions import Definitions
from headwater.errors import InvalidDefinitionError


class DefsFolderComponent(Component):
    """A folder of definitions: what ``load_from_defs_folder`` does for the folder holding the YAML."""

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        from headwater.definitions.defs_folder import YAML_NAMES, load_folder_children

        return load_folder_children(context, context.path, skip=YAML_NAMES)


class DefinitionsComponent(Model, Resolvable, Component):
    """The ``Definitions`` of one Python file, ``path`` relative to the YAML's folder."""

    path: str

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        from headwater.definitions.defs_folder import definitions_of_module

        file = (context.path / self.path).resolve()
        if not file.is_file():
            raise InvalidDefinitionError(f"DefinitionsComponent: no file {file} (path: {self.path!r}).")
        module = context.load_defs_relative_python_module(file)
        return definitions_of_module(module, context.for_path(file), str(file)) or Definitions()


class AssetModel(Model):
    """An asset in component YAML: ``key`` is ``a/b`` for ``AssetKey(["a", "b"])``."""

    key: str
    deps: list[str] = []
    description: str | None = None
    group_name: str | None = None
    kinds: list[str] = []
    tags: dict[str, str] = {}
    owners: list[str] = []
    metadata: dict[str, Any] = {}
    code_version: str | None = None

    def to_spec(self) -> AssetSpec:
        from headwater.core.asset_key import AssetKey

        return AssetSpec(
            AssetKey.from_user_string(self.key),
            deps=[AssetKey.from_user_string(d) for d in self.deps],
            description=self.description,
            group_name=self.group_name,
            kinds=set(self.kinds),
            tags=self.tags,
            owners=self.owners,
            metadata=self.metadata,
            code_version=self.code_version,
        )


class CheckModel(Model):
    asset: str
    name: str
    description: str | None = None
    blocking: bool = False

    def to_spec(self) -> AssetCheckSpec:
        from headwater.core.asset_key import AssetKey

        return AssetCheckSpec(
            self.name,
            asset=AssetKey.from_user_string(self.asset),
            description=self.description,
            blocking=self.blocking,
        )


class FunctionSpecModel(Model):
    fn: str
    name: str | None = None


class _Executable(Model, Resolvable, Component):
    assets: list[AssetModel] = []
    checks: list[CheckModel] = []

    def _specs(self) -> tuple[list[AssetSpec], list[AssetCheckSpec]]:
        if not self.assets and not self.checks:
            raise InvalidDefinitionError(f"{type(self).__name__} needs `assets:` or `checks:` to produce.")
        return [a.to_spec() for a in self.assets], [c.to_spec() for c in self.checks]

    def _multi_asset(self, name: str, compute: Callable[..., Any], resource_keys: set[str]) -> Definitions:
        from headwater.definitions.multi_asset import multi_asset

        specs, checks = self._specs()
        op = multi_asset(name=name, specs=specs, check_specs=checks, required_resource_keys=resource_keys)(
            compute
        )
        return Definitions(assets=[op])


def _resolve_callable(path: str, context: ComponentLoadContext) -> Callable[..., Any]:
    module_name, _, attr = path.rpartition(".")
    if path.startswith("."):  # relative to the defs package, as in Dagster
        module_name = f"{context.defs_module_name}{module_name}"
    if not module_name:
        raise InvalidDefinitionError(f"execution.fn {path!r} must be a dotted path such as .module.function.")
    fn = getattr(importlib.import_module(module_name), attr, None)
    if not callable(fn):
        raise InvalidDefinitionError(f"execution.fn {path!r}: {module_name} has no function {attr!r}.")
    return fn  # type: ignore[no-any-return]


class FunctionComponent(_Executable):
    """A Python function that materializes ``assets`` (returning ``MaterializeResult``s) and/or evaluates
    ``checks`` (returning ``AssetCheckResult``s). It takes ``context`` and resources by name."""

    execution: FunctionSpecModel | str

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        spec = (
            self.execution
            if isinstance(self.execution, FunctionSpecModel)
            else FunctionSpecModel(fn=self.execution)
        )
        fn = _resolve_callable(spec.fn, context)
        params = list(inspect.signature(fn).parameters)
        resource_keys = {p for p in params if p not in ("context", "config")}

        def compute(context: Any) -> Any:
            kwargs = {k: getattr(context.resources, k) for k in resource_keys}
            return fn(context, **kwargs) if "context" in params else fn(**kwargs)

        name = spec.name or str(getattr(fn, "__name__", "function"))
        return self._multi_asset(name, compute, resource_keys)


class ScriptSpecModel(Model):
    path: str
    args: list[str] = []
    name: str | None = None


class PythonScriptComponent(_Executable):
    """Runs a Python script (``execution.path``, relative to the YAML's folder) in a subprocess with this
    interpreter, through Pipes: the script reports materializations, check results and log lines with
    ``dagster_pipes.open_dagster_pipes()``. The step fails when it exits non-zero, with the end of its
    error output."""

    execution: ScriptSpecModel

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        script = (context.path / self.execution.path).resolve()
        if not script.is_file():
            raise InvalidDefinitionError(
                f"PythonScriptComponent: no script {script} (path: {self.execution.path!r})."
            )
        args = list(self.execution.args)
        specs, _checks = self._specs()

        def compute(context: Any) -> Any:
            return run_script(script, args, context, specs)

        return self._multi_asset(self.execution.name or script.stem.replace("-", "_"), compute, set())


def run_script(script: Path, args: Sequence[str], context: Any, specs: Sequence[AssetSpec]) -> Any:
    """Run ``script`` through Pipes: what it reports (``from dagster_pipes import open_dagster_pipes``)
    becomes the step's results; an asset it does not report is materialized without metadata."""
    import threading

    from headwater.definitions.pipes.client import child_env, wait_polling
    from headwater.definitions.pipes.session import open_pipes_session
    from headwater.definitions.pipes.transport import PipesTempFileContextInjector, PipesTempFileMessageReader
    from headwater.definitions.results import Failure, MaterializeResult

    # The script writes to this process's stdout, as under Dagster; what we printed goes first.
    sys.stdout.flush()
    sys.stderr.flush()
    injector, reader = PipesTempFileContextInjector(), PipesTempFileMessageReader()
    with open_pipes_session(context, injector, reader) as session:
        process = subprocess.Popen(
            [sys.executable, str(script), *args],
            stderr=subprocess.PIPE,
            text=True,
            cwd=script.parent,
            env=child_env(session),
        )
        errors: list[str] = []
        drain = threading.Thread(
            target=lambda: errors.append(process.stderr.read() if process.stderr else "")
        )
        drain.start()
        wait_polling(process, session, context, True, 20)
        drain.join()
        stderr = "".join(errors)
        sys.stderr.write(stderr)
        if process.returncode != 0:
            raise Failure(
                description=f"{script.name} exited with code {process.returncode}: {stderr.strip()[-2000:]}",
                metadata={"stderr": stderr[-4000:]},
            )
    results = list(session.get_results())
    reported = {r.asset_key for r in results if isinstance(r, MaterializeResult)}
    return [*results, *(MaterializeResult(asset_key=s.key) for s in specs if s.key not in reported)]


__all__ = ["DefinitionsComponent", "DefsFolderComponent", "FunctionComponent", "PythonScriptComponent"]
