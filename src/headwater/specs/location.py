"""LocationSpec: everything the webserver and daemon know of a code location, without its code.

Built on the user-code side (``headwater.locations.server.spec_builder.build_location_spec``), sent
as JSON (``to_json``/``from_json``, the typed form of :mod:`headwater.core.serde`) and identified by a
content hash: the sha256 of its canonical JSON. Readers that hold a spec ask for the body only when
the hash changed.

Wire form: ``{"hash": "<sha256>", "spec": {...}, "v": 1}``, keys sorted; the hash covers ``spec``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from headwater.core import serde
from headwater.core.asset_key import AssetKey
from headwater.core.metadata_values import MetadataValue
from headwater.errors import InvariantViolationError
from headwater.specs.asset_graph import AssetCheckNodeSpec, AssetGraph, AssetNodeSpec
from headwater.specs.job import JobSpec

SPEC_VERSION = serde.FORMAT_VERSION


@dataclass(frozen=True, slots=True)
class ResourceSpec:
    """A resource key, the class behind it and its config as a JSON schema (None: takes no config)."""

    key: str
    type_name: str
    description: str | None = None
    config_schema: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    name: str
    cron_schedule: str | tuple[str, ...] | None = None
    job_name: str | None = None
    execution_timezone: str | None = None
    description: str | None = None
    default_status: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SensorSpec:
    name: str
    job_names: tuple[str, ...] = ()
    minimum_interval_seconds: int | None = None
    description: str | None = None
    default_status: str | None = None
    sensor_type: str = "standard"


@dataclass(frozen=True)
class LocationSpec:
    """A code location as data. ``content_hash`` is computed once, on first use."""

    assets: tuple[AssetNodeSpec, ...] = ()
    asset_checks: tuple[AssetCheckNodeSpec, ...] = ()
    # Definition metadata of each asset that has some, in ``assets`` order.
    asset_metadata: Mapping[AssetKey, Mapping[str, MetadataValue[Any]]] = field(default_factory=dict)
    jobs: tuple[JobSpec, ...] = ()
    resources: tuple[ResourceSpec, ...] = ()
    schedules: tuple[ScheduleSpec, ...] = ()
    sensors: tuple[SensorSpec, ...] = ()
    metadata: Mapping[str, MetadataValue[Any]] = field(default_factory=dict)

    @cached_property
    def _body(self) -> str:
        return serde.canonical_dumps(serde.to_data(self, LocationSpec))

    @cached_property
    def content_hash(self) -> str:
        """sha256 (hex) of the canonical JSON of this spec: equal specs have equal hashes."""
        return hashlib.sha256(self._body.encode()).hexdigest()

    @cached_property
    def asset_graph(self) -> AssetGraph:
        return AssetGraph(self.assets, self.asset_checks)

    @cached_property
    def _jobs_by_name(self) -> dict[str, JobSpec]:
        return {j.name: j for j in self.jobs}

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


def to_json(spec: LocationSpec) -> str:
    """The wire form of ``spec`` (see the module docstring)."""
    return f'{{"hash":"{spec.content_hash}","spec":{spec._body},"v":{SPEC_VERSION}}}'


def from_json(text: str | bytes, *, verify: bool = False) -> LocationSpec:
    """Read the wire form. ``verify=True`` recomputes the hash and refuses a body that does not match it."""
    try:
        body = serde.loads(text)
    except ValueError as exc:
        raise serde.SerdeError(f"Cannot read a location spec: not JSON ({exc}).") from exc
    serde.check_version(body, "a location spec")
    spec: LocationSpec = serde.from_data(body.get("spec"), LocationSpec)
    expected = body.get("hash")
    if verify and spec.content_hash != expected:
        raise serde.SerdeError(
            f"Location spec hash mismatch: the document says {expected}, its content hashes to "
            f"{spec.content_hash}. It was altered or damaged in transit."
        )
    if not verify and isinstance(expected, str):
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
