"""The asset events user code reports: materializations, observations and check evaluations.

Each is a :class:`~headwater.core.value.Value` tagged by its class name (``{"type":
"AssetMaterialization", ...}``), a member of the event payload union (``events.payloads``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.core.metadata import (
    AnyMetadataValue,
    PathMetadataValue,
    RawMetadataValue,
    normalize_metadata,
)
from headwater.core.value import Value, describe, set_field
from headwater.errors import InvalidDefinitionError

DATA_VERSION_TAG = "dagster/data_version"

_KEY_SPLIT = re.compile(r"[^a-zA-Z0-9_]")


def _fail(owner: str, field: str, expected: str, value: object) -> InvalidDefinitionError:
    return InvalidDefinitionError(f"{owner}: {field} must be {expected}; got {describe(value)}.")


def _event_asset_key(value: CoercibleToAssetKey, owner: str) -> AssetKey:
    """Dagster's event-key parsing: a string splits on every character other than [A-Za-z0-9_]."""
    if isinstance(value, AssetKey):
        return value
    if isinstance(value, str):
        parts = [part for part in _KEY_SPLIT.split(value) if part]
        if not parts:
            raise _fail(owner, "asset_key", "a string with at least one letter, digit or '_'", value)
        return AssetKey(parts)
    if isinstance(value, Sequence):
        return AssetKey(value)
    raise _fail(owner, "asset_key", "an AssetKey, a str or a list of str", value)


def _opt_str(value: object, owner: str, field: str) -> None:
    if value is not None and not isinstance(value, str):
        raise _fail(owner, field, "a str or None", value)


def _tags(tags: Mapping[str, str] | None, owner: str) -> dict[str, str] | None:
    if tags is None:
        return None
    if not isinstance(tags, Mapping):
        raise _fail(owner, "tags", "a mapping of str to str", tags)
    for key, value in tags.items():
        if not isinstance(key, str):
            raise InvalidDefinitionError(f"{owner}: tag keys must be strings; got {describe(key)}.")
        if not isinstance(value, str):
            raise InvalidDefinitionError(
                f"{owner}: tag values must be strings, got type {type(value).__name__} at key {key}."
            )
    return dict(tags)


class _AssetEvent(Value, tag_field="type", omit_defaults=True, frozen=True):
    asset_key: AssetKey
    description: str | None = None
    metadata: dict[str, AnyMetadataValue] = {}
    partition: str | None = None
    tags: dict[str, str] | None = None

    if TYPE_CHECKING:

        def __init__(
            self,
            asset_key: CoercibleToAssetKey,
            description: str | None = None,
            metadata: Mapping[str, RawMetadataValue] | None = None,
            partition: str | None = None,
            tags: Mapping[str, str] | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if type(self.asset_key) is not AssetKey:
            set_field(self, "asset_key", _event_asset_key(self.asset_key, owner))
        if self.description is not None and type(self.description) is not str:
            _opt_str(self.description, owner, "description")
        if self.partition is not None and type(self.partition) is not str:
            _opt_str(self.partition, owner, "partition")
        metadata = self.metadata
        set_field(self, "metadata", normalize_metadata(metadata) if metadata else {})
        if self.tags is not None:
            set_field(self, "tags", _tags(self.tags, owner))

    @property
    def label(self) -> str:
        """The asset key's parts joined by spaces (Dagster's label)."""
        return " ".join(self.asset_key.path)


class AssetMaterialization(_AssetEvent, tag="AssetMaterialization", frozen=True):
    """Reports that an asset (or one partition of it) was materialized, with optional metadata."""

    if TYPE_CHECKING:

        def __init__(
            self,
            asset_key: CoercibleToAssetKey,
            description: str | None = None,
            metadata: Mapping[str, RawMetadataValue] | None = None,
            partition: str | None = None,
            tags: Mapping[str, str] | None = None,
        ) -> None: ...

    def with_metadata(self, metadata: Mapping[str, RawMetadataValue] | None) -> AssetMaterialization:
        return AssetMaterialization(self.asset_key, self.description, metadata, self.partition, self.tags)

    @staticmethod
    def file(
        path: str, description: str | None = None, asset_key: CoercibleToAssetKey | None = None
    ) -> AssetMaterialization:
        """A materialization of a file on disk; the key defaults to the path split into words."""
        return AssetMaterialization(
            asset_key=asset_key or path,
            description=description,
            metadata={"path": PathMetadataValue(path)},
        )


class AssetObservation(_AssetEvent, tag="AssetObservation", frozen=True):
    """Reports metadata about an asset (or partition) without materializing it; ``tags`` is a dict."""

    if TYPE_CHECKING:
        tags: dict[str, str] = {}  # type: ignore[assignment]

    if TYPE_CHECKING:

        def __init__(
            self,
            asset_key: CoercibleToAssetKey,
            description: str | None = None,
            metadata: Mapping[str, RawMetadataValue] | None = None,
            partition: str | None = None,
            tags: Mapping[str, str] | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.tags is None:
            set_field(self, "tags", {})

    @property
    def data_version(self) -> str | None:
        return self.tags.get(DATA_VERSION_TAG)

    @property
    def asset_observation(self) -> AssetObservation:
        """Itself: an ASSET_OBSERVATION event's payload is the observation, and Dagster code reads it
        through its ``AssetObservationData`` wrapper (``event.event_specific_data.asset_observation``)."""
        return self

    def with_metadata(self, metadata: Mapping[str, RawMetadataValue] | None) -> AssetObservation:
        return AssetObservation(self.asset_key, self.description, metadata, self.partition, self.tags)


class AssetCheckSeverity(Enum):
    """How bad a failed check is: WARN (a potential issue) or ERROR (a definite one)."""

    WARN = "WARN"
    ERROR = "ERROR"


class AssetCheckEvaluationTargetMaterializationData(Value, frozen=True):
    """The latest materialization of the checked asset when the check ran."""

    storage_id: int
    run_id: str
    timestamp: float

    def __post_init__(self) -> None:
        owner = "AssetCheckEvaluationTargetMaterializationData"
        storage_id, timestamp = self.storage_id, self.timestamp
        if not isinstance(storage_id, int) or isinstance(storage_id, bool):
            raise _fail(owner, "storage_id", "an int", storage_id)
        if not isinstance(self.run_id, str):
            raise _fail(owner, "run_id", "a str", self.run_id)
        if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool):
            raise _fail(owner, "timestamp", "a float", timestamp)
        if type(timestamp) is not float:
            set_field(self, "timestamp", float(timestamp))


class AssetCheckEvaluation(
    Value, tag="AssetCheckEvaluation", tag_field="type", omit_defaults=True, frozen=True
):
    """The outcome of evaluating one asset check."""

    asset_key: AssetKey
    check_name: str
    passed: bool
    metadata: dict[str, AnyMetadataValue] = {}
    target_materialization_data: AssetCheckEvaluationTargetMaterializationData | None = None
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    description: str | None = None
    blocking: bool | None = None
    partition: str | None = None

    if TYPE_CHECKING:

        def __init__(
            self,
            asset_key: CoercibleToAssetKey,
            check_name: str,
            passed: bool,
            metadata: Mapping[str, RawMetadataValue] | None = None,
            target_materialization_data: AssetCheckEvaluationTargetMaterializationData | None = None,
            severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
            description: str | None = None,
            blocking: bool | None = None,
            partition: str | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        owner = "AssetCheckEvaluation"
        if type(self.asset_key) is not AssetKey:
            set_field(self, "asset_key", AssetKey.from_coercible(self.asset_key))
        if not isinstance(self.check_name, str):
            raise _fail(owner, "check_name", "a str", self.check_name)
        if not isinstance(self.passed, bool):
            raise _fail(owner, "passed", "a bool", self.passed)
        target = self.target_materialization_data
        if target is not None and not isinstance(target, AssetCheckEvaluationTargetMaterializationData):
            raise _fail(
                owner,
                "target_materialization_data",
                "an AssetCheckEvaluationTargetMaterializationData or None",
                target,
            )
        severity = self.severity
        if not isinstance(severity, AssetCheckSeverity):
            if severity not in ("WARN", "ERROR"):
                raise _fail(
                    owner, "severity", "AssetCheckSeverity.WARN or AssetCheckSeverity.ERROR", severity
                )
            set_field(self, "severity", AssetCheckSeverity(severity))
        if self.description is not None:
            _opt_str(self.description, owner, "description")
        if self.blocking is not None and not isinstance(self.blocking, bool):
            raise _fail(owner, "blocking", "a bool or None", self.blocking)
        if self.partition is not None:
            _opt_str(self.partition, owner, "partition")
        metadata = self.metadata
        set_field(self, "metadata", normalize_metadata(metadata) if metadata else {})

    @property
    def asset_check_key(self) -> AssetCheckKey:
        return AssetCheckKey(self.asset_key, self.check_name)

    def with_metadata(self, metadata: Mapping[str, RawMetadataValue] | None) -> AssetCheckEvaluation:
        return AssetCheckEvaluation(
            self.asset_key,
            self.check_name,
            self.passed,
            metadata,
            self.target_materialization_data,
            self.severity,
            self.description,
            self.blocking,
            self.partition,
        )
