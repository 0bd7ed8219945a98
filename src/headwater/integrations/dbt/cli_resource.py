"""``DbtCliResource``: runs dbt commands for ``@dbt_assets``, selecting exactly the step's assets."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import field_validator

from headwater.definitions.configurable_resource import ConfigurableResource
from headwater.integrations.dbt.asset_decorator import DbtAssetsInfo, dbt_assets_info, selected_unique_ids
from headwater.integrations.dbt.cli_invocation import DbtCliInvocation
from headwater.integrations.dbt.errors import DagsterDbtError
from headwater.integrations.dbt.executable import dbt_environment, resolve_dbt_executable
from headwater.integrations.dbt.project import DbtProject

#: dbt commands that take --select/--exclude, and those that also take --indirect-selection.
_SELECTING = frozenset({"build", "run", "test", "seed", "snapshot", "compile", "ls", "list", "docs"})
_INDIRECT = frozenset({"build", "test", "ls", "list"})
#: dbt commands that read profiles.yml (and so take --profile/--target).
_PROFILED = _SELECTING | {"parse", "debug", "run-operation", "show", "source", "retry", "clone"}


class DbtCliResource(ConfigurableResource):
    """Where the dbt project is and how to call dbt (Dagster's ``DbtCliResource``)."""

    project_dir: str
    global_config_flags: list[str] = []
    profiles_dir: str | None = None
    profile: str | None = None
    target: str | None = None
    dbt_executable: str = "dbt"
    state_path: str | None = None

    @field_validator("project_dir", mode="before")
    @classmethod
    def _project_dir(cls, value: Any) -> Any:
        return str(value.project_dir) if isinstance(value, DbtProject) else str(value)

    @field_validator("profiles_dir", "state_path", mode="before")
    @classmethod
    def _paths(cls, value: Any) -> Any:
        return None if value is None else str(value)

    def cli(
        self,
        args: Sequence[str],
        *,
        raise_on_error: bool = True,
        manifest: Any = None,
        dagster_dbt_translator: Any = None,
        context: Any = None,
        target_path: str | Path | None = None,
    ) -> DbtCliInvocation:
        """Start ``dbt <args>``; with the context of a ``@dbt_assets`` step, only its selected assets run."""
        project_dir = Path(self.project_dir).resolve()
        if not (project_dir / "dbt_project.yml").exists():
            raise DagsterDbtError(
                f"DbtCliResource(project_dir={self.project_dir!r}): no dbt_project.yml there. Point "
                "project_dir at the dbt project's folder."
            )
        info = self._info(context, manifest, dagster_dbt_translator)
        run_part = getattr(context, "run_id", None) if context is not None else None
        name = f"{(run_part or 'cli')[:8]}-{uuid.uuid4().hex[:8]}"
        target = Path(target_path) if target_path is not None else project_dir / "target" / name
        command = list(args)
        verb = next((a for a in command if not a.startswith("-")), "")
        extra: list[str] = []
        if verb in _PROFILED:
            extra += ["--profile", self.profile] if self.profile else []
            extra += ["--target", self.target] if self.target else []
        if info is not None and context is not None and verb in _SELECTING and not _has_selection(command):
            extra += _selection_args(info, context, verb)
        full = [*self.global_config_flags, *command, *extra]
        process = subprocess.Popen(
            [resolve_dbt_executable(self.dbt_executable), *full],
            cwd=project_dir,
            env=dbt_environment(target, self.profiles_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        return DbtCliInvocation(
            process,
            args=full,
            project_dir=project_dir,
            target_path=target,
            info=info,
            context=context,
            raise_on_error=raise_on_error,
        )

    def _info(self, context: Any, manifest: Any, translator: Any) -> DbtAssetsInfo | None:
        if context is not None:
            found = dbt_assets_info(getattr(context, "op_def", None))
            if found is not None:
                return found
        if manifest is None:
            return None
        from headwater.integrations.dbt.asset_decorator import build_dbt_specs
        from headwater.integrations.dbt.manifest import coerce_manifest
        from headwater.integrations.dbt.translator import DagsterDbtTranslator

        return build_dbt_specs(
            coerce_manifest(manifest), translator or DagsterDbtTranslator(), "fqn:*", None
        )[2]


def _has_selection(args: Sequence[str]) -> bool:
    return any(a in ("--select", "-s", "--models", "-m", "--selector") for a in args)


def _selection_args(info: DbtAssetsInfo, context: Any, verb: str) -> list[str]:
    keys = list(context.selected_asset_keys)
    checks = list(context.selected_asset_check_keys)
    whole = set(keys) >= set(info.key_by_unique_id.values()) and set(checks) >= set(
        info.check_by_unique_id.values()
    )
    if whole:
        return ["--select", info.select, *(["--exclude", info.exclude] if info.exclude else [])]
    nodes = info.manifest.nodes
    chosen = [".".join(map(str, nodes[uid]["fqn"])) for uid in selected_unique_ids(info, keys, checks)]
    if not chosen:
        raise DagsterDbtError(f"Step {context.step_key}: none of its selected assets is a dbt node.")
    indirect = ["--indirect-selection", "empty"] if verb in _INDIRECT else []
    return ["--select", " ".join(f"fqn:{fqn}" for fqn in chosen), *indirect]
