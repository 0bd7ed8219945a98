"""LocationSpec: everything the webserver and daemon know of a code location, without its code.

Built on the user-code side (``headwater.locations.server.spec_builder.build_location_spec``), sent
as JSON (``to_json``/``from_json``, through :mod:`headwater.core.codec`) and identified by a content
hash: the sha256 of its canonical JSON (keys and sets sorted). Readers that hold a spec ask for the
body only when the hash changed.

Wire form: ``{"hash": "<sha256>", "spec": {...}, "v": 2}``, keys sorted; the hash covers ``spec``.
Version 2: asset definition metadata on each asset node; partitions described (``specs.partitions``).
Version 3: schedules and sensors carry what the daemon needs to tick them without the code (asset
targets, the sensor kind, the job a target runs, the default status as ``RUNNING``/``STOPPED``).
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Any

import msgspec

from headwater.core import codec
from headwater.core.asset_key import AssetKey
from headwater.core.metadata import AnyMetadataValue, MetadataValue
from headwater.errors import InvariantViolationError
from headwater.specs.asset_graph import AssetCheckNodeSpec, AssetGraph, AssetNodeSpec
from headwater.specs.job import JobSpec

SPEC_VERSION = 3
#: Version 2 documents read as version 3 ones whose schedules and sensors carry no v3 fields.
OLDEST_SPEC_VERSION = 2


class _Spec(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    pass


class ResourceSpec(_Spec, frozen=True):
    """A resource key, the class behind it and its config as a JSON schema (None: takes no config)."""

    key: str
    type_name: str
    description: str | None = None
    config_schema: dict[str, Any] | None = None


class ScheduleSpec(_Spec, frozen=True):
    """A schedule as the daemon sees it: its cron strings and time zone (the ticks are computed from
    these alone), its target (a job, or ``asset_selection`` run as an asset job), its default status."""

    name: str
    cron_schedule: str | tuple[str, ...] | None = None
    job_name: str | None = None
    execution_timezone: str | None = None
    description: str | None = None
    default_status: str | None = None
    tags: dict[str, str] = {}
    asset_selection: tuple[AssetKey, ...] | None = None

    @property
    def cron_schedules(self) -> tuple[str, ...]:
        cron = self.cron_schedule
        return () if cron is None else (cron,) if isinstance(cron, str) else cron

    @property
    def timezone(self) -> str:
        return self.execution_timezone or "UTC"


class SensorSpec(_Spec, frozen=True):
    """A sensor as the daemon sees it: how often to evaluate it, its targets, its kind
    (``standard``, ``asset``, ``multi_asset``, ``run_status``)."""

    name: str
    job_names: tuple[str, ...] = ()
    minimum_interval_seconds: int | None = None
    description: str | None = None
    default_status: str | None = None
    sensor_type: str = "standard"
    asset_selection: tuple[AssetKey, ...] | None = None
    monitored_assets: tuple[AssetKey, ...] = ()
    monitored_jobs: tuple[str, ...] = ()
    run_status: str | None = None


class LocationSpec(msgspec.Struct, frozen=True, omit_defaults=True, dict=True):
    """A code location as data. ``content_hash`` is computed once, on first use."""

    assets: tuple[AssetNodeSpec, ...] = ()
    asset_checks: tuple[AssetCheckNodeSpec, ...] = ()
    jobs: tuple[JobSpec, ...] = ()
    resources: tuple[ResourceSpec, ...] = ()
    schedules: tuple[ScheduleSpec, ...] = ()
    sensors: tuple[SensorSpec, ...] = ()
    metadata: dict[str, AnyMetadataValue] = {}

    @cached_property
    def _body(self) -> bytes:
        return codec.canonical(self)

    @cached_property
    def asset_metadata(self) -> dict[AssetKey, dict[str, MetadataValue[Any]]]:
        """Definition metadata of each asset that has some, in ``assets`` order."""
        return {node.key: node.metadata for node in self.assets if node.metadata}  # type: ignore[misc]

    @cached_property
    def content_hash(self) -> str:
        """sha256 (hex) of the canonical JSON of this spec: equal specs have equal hashes."""
        return hashlib.sha256(self._body).hexdigest()

    @cached_property
    def asset_graph(self) -> AssetGraph:
        return AssetGraph(self.assets, self.asset_checks)

    @cached_property
    def _jobs_by_name(self) -> dict[str, JobSpec]:
        return {j.name: j for j in self.jobs}

    def schedule(self, name: str) -> ScheduleSpec | None:
        return next((s for s in self.schedules if s.name == name), None)

    def sensor(self, name: str) -> SensorSpec | None:
        return next((s for s in self.sensors if s.name == name), None)

    @property
    def job_names(self) -> list[str]:
        return list(self._jobs_by_name)

    def job(self, name: str) -> JobSpec:
        try:
            return self._jobs_by_name[name]
        except KeyError:
            raise InvariantViolationError(
                f"No job named {name!r} in this code location. "
                f"Jobs: {', '.join(self._jobs_by_name) or 'none'}."
            ) from None


class _Wire(msgspec.Struct):
    spec: LocationSpec
    hash: str | None = None
    v: int = SPEC_VERSION


def to_json(spec: LocationSpec) -> str:
    """The wire form of ``spec`` (see the module docstring)."""
    return f'{{"hash":"{spec.content_hash}","spec":{spec._body.decode()},"v":{SPEC_VERSION}}}'


def from_json(text: str | bytes, *, verify: bool = False) -> LocationSpec:
    """Read the wire form. ``verify=True`` recomputes the hash and refuses a body that does not match it."""
    codec.check_version(
        codec.version_of(text, "a location spec"), "a location spec", SPEC_VERSION, OLDEST_SPEC_VERSION
    )
    with codec.paused_gc():
        wire = codec.decode(text, _Wire, "a location spec")
    spec, expected = wire.spec, wire.hash
    if verify and spec.content_hash != expected:
        raise codec.SerdeError(
            f"Location spec hash mismatch: the document says {expected}, its content hashes to "
            f"{spec.content_hash}. It was altered or damaged in transit."
        )
    if not verify and expected is not None:
        spec.__dict__["content_hash"] = expected  # trust the writer's hash: it saves re-serializing
    return spec


__all__ = [
    "SPEC_VERSION",
    "LocationSpec",
    "ResourceSpec",
    "ScheduleSpec",
    "SensorSpec",
    "from_json",
    "to_json",
]
