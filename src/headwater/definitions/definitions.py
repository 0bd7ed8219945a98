"""Definitions: the set of assets, jobs, schedules, sensors and resources a code location exposes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.core.codec import paused_gc
from headwater.definitions.asset_job import IMPLICIT_ASSET_JOB_NAME, UnresolvedAssetJobDefinition
from headwater.definitions.asset_layer import AssetCollection, collect_assets
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.graph import GraphDefinition
from headwater.definitions.job import JobDefinition
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.specs.asset_graph import AssetGraph


class Definitions:
    """Everything one code location defines. Jobs are resolved lazily and cached."""

    def __init__(
        self,
        assets: Iterable[Any] | None = None,
        schedules: Iterable[Any] | None = None,
        sensors: Iterable[Any] | None = None,
        jobs: Iterable[Any] | None = None,
        resources: Mapping[str, Any] | None = None,
        executor: Any = None,
        loggers: Mapping[str, Any] | None = None,
        asset_checks: Iterable[Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.assets = list(assets or [])
        self.asset_checks = list(asset_checks or [])
        self.schedules = list(schedules or [])
        self.sensors = list(sensors or [])
        self.jobs = list({id(j): j for j in jobs or []}.values())
        self.resources = dict(resources or {})
        self.executor = executor
        self.loggers = dict(loggers or {})
        self.metadata = dict(metadata or {})
        for j in self.jobs:
            if not isinstance(j, (JobDefinition, UnresolvedAssetJobDefinition, GraphDefinition)):
                raise InvalidDefinitionError(
                    f"Definitions(jobs=...) got {j!r} ({type(j).__name__}); pass @job definitions, "
                    "define_asset_job(...) results or graphs."
                )
        self._collection: AssetCollection | None = None
        self._resolved_jobs: dict[str, JobDefinition] | None = None
        seen: set[str] = set()
        for j in self.jobs:
            name = self._job_name(j)
            if name in seen:
                what = "unresolved job" if isinstance(j, UnresolvedAssetJobDefinition) else "job"
                raise InvalidDefinitionError(
                    f"Duplicate {'definition' if what == 'unresolved job' else 'job definition'} found for "
                    f"{what} "
                    f"'{name}'"
                )
            seen.add(name)

    @staticmethod
    def _job_name(j: Any) -> str:
        return str(j.name)

    # --- assets ---------------------------------------------------------------------------
    @property
    def collection(self) -> AssetCollection:
        if self._collection is None:
            self._collection = collect_assets([*self.assets, *self.asset_checks])
        return self._collection

    def resolve_asset_graph(self) -> AssetGraph:
        return self.collection.graph

    def get_assets_def(self, key: Any) -> AssetsDefinition:
        asset_key = AssetKey.from_coercible_or_definition(key)
        producer = self.collection.producer.get(asset_key)
        if producer is None:
            known = [k.to_user_string() for k in self.collection.graph.nodes]
            hint = difflib.get_close_matches(asset_key.to_user_string(), known, n=1)
            raise InvariantViolationError(
                f"Could not find asset {asset_key!r}" + (f". Did you mean {hint[0]!r}?" if hint else "")
            )
        return producer

    def resolve_all_asset_specs(self) -> list[Any]:
        """The spec of every asset, as resolved: an asset without a group is in group ``default``."""
        return [
            s if s.group_name else s.replace_attributes(group_name="default")
            for ad in self.collection.assets_defs
            for s in ad.specs_by_key.values()
        ]

    def resolve_all_asset_keys(self) -> list[AssetKey]:
        return [s.key for s in self.resolve_all_asset_specs()]

    def get_all_asset_specs(self) -> list[Any]:
        return self.resolve_all_asset_specs()

    # --- jobs -----------------------------------------------------------------------------
    def _jobs(self) -> dict[str, JobDefinition]:
        if self._resolved_jobs is None:
            with paused_gc():
                self._resolved_jobs = self._resolve_jobs()
        return self._resolved_jobs

    def _resolve_jobs(self) -> dict[str, JobDefinition]:
        resolved: dict[str, JobDefinition] = {}
        for j in self.jobs:
            if isinstance(j, UnresolvedAssetJobDefinition):
                job = j.resolve(self.collection, self.resources)
            elif isinstance(j, GraphDefinition):
                job = j.to_job(resource_defs=self.resources)
            else:
                job = j.with_resources(self.resources)
            if job.executor_def is None and self.executor is not None:
                job.executor_def = self.executor
            resolved[job.name] = job
        for target in [*self.schedules, *self.sensors]:
            for tj in _targets(target):
                if isinstance(tj, UnresolvedAssetJobDefinition) and tj.name not in resolved:
                    resolved[tj.name] = tj.resolve(self.collection, self.resources)
                elif isinstance(tj, JobDefinition) and tj.name not in resolved:
                    resolved[tj.name] = tj.with_resources(self.resources)
        graph = self.collection.graph
        if (graph.nodes or graph.checks) and IMPLICIT_ASSET_JOB_NAME not in resolved:
            resolved[IMPLICIT_ASSET_JOB_NAME] = UnresolvedAssetJobDefinition(IMPLICIT_ASSET_JOB_NAME).resolve(
                self.collection, self.resources
            )
        for job in resolved.values():
            if not job.logger_defs and self.loggers:
                job.logger_defs = dict(self.loggers)
            job.validate_resources(job.resource_defs)
            if job.asset_layer is not None:
                job.asset_layer.validate_load_io_managers(job.spec, job.resource_defs)
        return resolved

    def resolve_job_def(self, name: str) -> JobDefinition:
        jobs = self._jobs()
        if name not in jobs:
            found = ", ".join(f"'{n}'" for n in jobs)
            hint = difflib.get_close_matches(name, list(jobs), n=1)
            raise InvariantViolationError(
                f"Could not find job '{name}'. Found: {found}."
                + (f" Did you mean '{hint[0]}'?" if hint else "")
            )
        return jobs[name]

    def get_job_def(self, name: str) -> JobDefinition:
        return self.resolve_job_def(name)

    def resolve_all_job_defs(self) -> list[JobDefinition]:
        return list(self._jobs().values())

    def get_all_job_defs(self) -> list[JobDefinition]:
        return self.resolve_all_job_defs()

    def resolve_implicit_global_asset_job_def(self) -> JobDefinition:
        return self.resolve_job_def(IMPLICIT_ASSET_JOB_NAME)

    def get_implicit_global_asset_job_def(self) -> JobDefinition:
        return self.resolve_implicit_global_asset_job_def()

    def has_implicit_global_asset_job_def(self) -> bool:
        return IMPLICIT_ASSET_JOB_NAME in self._jobs()

    # --- schedules and sensors ------------------------------------------------------------
    def get_schedule_def(self, name: str) -> Any:
        return _by_name(self.schedules, name, "schedule")

    def get_sensor_def(self, name: str) -> Any:
        return _by_name(self.sensors, name, "sensor")

    # --- values ---------------------------------------------------------------------------
    def load_asset_value(
        self,
        asset_key: Any,
        *,
        python_type: type | None = None,
        instance: Any = None,
        partition_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Any:
        with self.get_asset_value_loader(instance) as loader:
            return loader.load_asset_value(
                asset_key, python_type=python_type, partition_key=partition_key, metadata=metadata
            )

    def get_asset_value_loader(self, instance: Any = None) -> Any:
        # Named exception to the layers (DESIGN.md §2): loading values runs IO managers (execution layer).
        from headwater.execution.asset_value_loader import AssetValueLoader

        return AssetValueLoader(self, instance)

    # --- combining ------------------------------------------------------------------------
    @staticmethod
    def merge(*defs: Definitions) -> Definitions:
        resources: dict[str, Any] = {}
        owner: dict[str, int] = {}
        for i, d in enumerate(defs):
            for key, value in d.resources.items():
                if key in resources and resources[key] is not value:
                    raise InvariantViolationError(
                        f"Definitions objects {owner[key]} and {i} have different resources with same key "
                        f"'{key}'"
                    )
                resources[key] = value
                owner.setdefault(key, i)
        executors = {id(d.executor): d.executor for d in defs if d.executor is not None}
        if len(executors) > 1:
            raise InvalidDefinitionError("Definitions.merge: more than one Definitions sets an executor.")
        return Definitions(
            assets=[a for d in defs for a in d.assets],
            asset_checks=[c for d in defs for c in d.asset_checks],
            schedules=[s for d in defs for s in d.schedules],
            sensors=[s for d in defs for s in d.sensors],
            jobs=[j for d in defs for j in d.jobs],
            resources=resources,
            executor=next(iter(executors.values()), None),
            loggers={k: v for d in defs for k, v in d.loggers.items()},
            metadata={k: v for d in defs for k, v in d.metadata.items()},
        )

    @staticmethod
    def validate_loadable(defs: Definitions) -> None:
        """Resolve every job and the asset graph now, raising the first definition error found."""
        defs.resolve_asset_graph()
        defs.resolve_all_job_defs()


def _targets(instigator: Any) -> Sequence[Any]:
    out = []
    for attr in ("job", "target"):
        value = getattr(instigator, attr, None)
        if value is not None:
            out.append(value)
    out.extend(getattr(instigator, "jobs", None) or [])
    return out


def _by_name(items: Sequence[Any], name: str, what: str) -> Any:
    for item in items:
        if getattr(item, "name", None) == name:
            return item
    found = ", ".join(f"'{getattr(i, 'name', '?')}'" for i in items)
    raise InvariantViolationError(f"Could not find {what} '{name}'. Found: {found or 'none'}.")
