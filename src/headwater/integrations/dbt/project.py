"""``DbtProject``: where a dbt project and its manifest are, and preparing the manifest in development."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from headwater.integrations.dbt.errors import DagsterDbtError
from headwater.integrations.dbt.executable import dbt_environment, resolve_dbt_executable


class DbtProject:
    """A dbt project on disk: ``manifest_path`` is ``project_dir/target_path/manifest.json``."""

    def __init__(
        self,
        project_dir: str | os.PathLike[str],
        *,
        target_path: str | os.PathLike[str] = Path("target"),
        profiles_dir: str | os.PathLike[str] | None = None,
        profile: str | None = None,
        target: str | None = None,
        packaged_project_dir: str | os.PathLike[str] | None = None,
        state_path: str | os.PathLike[str] | None = None,
    ) -> None:
        project = Path(project_dir)
        if packaged_project_dir is not None and Path(packaged_project_dir).exists():
            project = Path(packaged_project_dir)
        self.project_dir = project.resolve()
        if not (self.project_dir / "dbt_project.yml").exists():
            raise DagsterDbtError(f"{self.project_dir} is not a dbt project: it has no dbt_project.yml.")
        self.target_path = Path(target_path)
        self.profiles_dir = Path(profiles_dir).resolve() if profiles_dir is not None else self.project_dir
        self.profile = profile
        self.target = target
        self.packaged_project_dir = Path(packaged_project_dir) if packaged_project_dir is not None else None
        self.state_path = self.project_dir / state_path if state_path is not None else None
        self.manifest_path = self.project_dir / self.target_path / "manifest.json"

    @property
    def has_uninstalled_deps(self) -> bool:
        return (self.project_dir / "packages.yml").exists() and not (
            self.project_dir / "dbt_packages"
        ).exists()

    def prepare_if_dev(self) -> DbtProject:
        """Parse the project (``dbt parse``) when running under ``headwater dev``; else do nothing."""
        if os.environ.get("DAGSTER_IS_DEV_CLI") or os.environ.get("HEADWATER_IS_DEV_CLI"):
            self.prepare()
        return self

    def prepare(self, dbt_executable: str = "dbt") -> DbtProject:
        """Write ``manifest.json`` with ``dbt parse`` (after ``dbt deps`` when packages are missing)."""
        exe = resolve_dbt_executable(dbt_executable)
        env = dbt_environment(self.project_dir / self.target_path, str(self.profiles_dir))
        env["DBT_LOG_FORMAT"] = "text"
        commands = [["deps"]] if self.has_uninstalled_deps else []
        profile = [*(["--profile", self.profile] if self.profile else [])]
        profile += ["--target", self.target] if self.target else []
        commands.append(["parse", "--quiet", *profile])
        for args in commands:
            done = subprocess.run(
                [exe, *args], cwd=self.project_dir, env=env, capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                raise DagsterDbtError(
                    f"`dbt {' '.join(args)}` failed in {self.project_dir} (exit code {done.returncode}):\n"
                    f"{(done.stdout + done.stderr).strip()[-4000:]}"
                )
        return self

    def __repr__(self) -> str:
        return f"DbtProject({str(self.project_dir)!r})"
