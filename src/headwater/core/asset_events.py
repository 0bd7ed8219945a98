"""The asset events user code reports: materializations, observations and check evaluations."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Self

from headwater.core._record import Record, _setattr, describe
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.core.metadata import (
    MetadataValue,
    PathMetadataValue,
    RawMetadataValue,
    metadata_from_json,
    metadata_to_json,
    normalize_metadata,
)
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


class _AssetEvent(Record):
    __slots__ = ("asset_key", "description", "metadata", "partition", "tags")
    _fields = ("asset_key", "description", "metadata", "partition", "tags")
    asset_key: AssetKey
    description: str | None
    metadata: dict[str, MetadataValue[Any]]
    partition: str | None
    tags: dict[str, str] | None

    def __init__(
        self,
        asset_key: CoercibleToAssetKey,
        description: str | None = None,
        metadata: Mapping[str, RawMetadataValue] | None = None,
        partition: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        if type(asset_key) is not AssetKey:
            asset_key = _event_asset_key(asset_key, type(self).__name__)
        if description is not None and type(description) is not str:
            _opt_str(description, type(self).__name__, "description")
        if partition is not None and type(partition) is not str:
            _opt_str(partition, type(self).__name__, "partition")
        _setattr(self, "asset_key", asset_key)
        _setattr(self, "description", description)
        _setattr(self, "metadata", normalize_metadata(metadata) if metadata else {})
        _setattr(self, "partition", partition)
        _setattr(self, "tags", None if tags is None else _tags(tags, type(self).__name__))

    @property
    def label(self) -> str:
        """The asset key's parts joined by spaces (Dagster's label)."""
        return " ".join(self.asset_key.path)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able form; :meth:`from_json` reads it back equal."""
        out: dict[str, Any] = {"asset_key": list(self.asset_key.path)}
        if self.description is not None:
            out["description"] = self.description
        if self.metadata:
            out["metadata"] = metadata_to_json(self.metadata)
        if self.partition is not None:
            out["partition"] = self.partition
        if self.tags is not None:
            out["tags"] = dict(self.tags)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """Inverse of :meth:`to_json`."""
        return cls(
            AssetKey(data["asset_key"]),
            description=data.get("description"),
            metadata=metadata_from_json(data.get("metadata") or {}),
            partition=data.get("partition"),
            tags=data.get("tags"),
        )


class AssetMaterialization(_AssetEvent):
    """Reports that an asset (or one partition of it) was materialized, with optional metadata."""

    __slots__ = ()

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


class AssetObservation(_AssetEvent):
    """Reports metadata about an asset (or partition) without materializing it."""

    __slots__ = ()
    tags: dict[str, str]

    def __init__(
        self,
        asset_key: CoercibleToAssetKey,
        description: str | None = None,
        metadata: Mapping[str, RawMetadataValue] | None = None,
        partition: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(asset_key, description, metadata, partition, tags)
        if self.tags is None:
            _setattr(self, "tags", {})

    @property
    def data_version(self) -> str | None:
        return self.tags.get(DATA_VERSION_TAG)

    def with_metadata(self, metadata: Mapping[str, RawMetadataValue] | None) -> AssetObservation:
        return AssetObservation(self.asset_key, self.description, metadata, self.partition, self.tags)


class AssetCheckSeverity(Enum):
    """How bad a failed check is: WARN (a potential issue) or ERROR (a definite one)."""

    WARN = "WARN"
    ERROR = "ERROR"


class AssetCheckEvaluationTargetMaterializationData(Record):
    """The latest materialization of the checked asset when the check ran."""

    __slots__ = ("run_id", "storage_id", "timestamp")
    _fields = ("storage_id", "run_id", "timestamp")
    storage_id: int
    run_id: str
    timestamp: float

    def __init__(self, storage_id: int, run_id: str, timestamp: float) -> None:
        owner = "AssetCheckEvaluationTargetMaterializationData"
        if not isinstance(storage_id, int) or isinstance(storage_id, bool):
            raise _fail(owner, "storage_id", "an int", storage_id)
        if not isinstance(run_id, str):
            raise _fail(owner, "run_id", "a str", run_id)
        if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool):
            raise _fail(owner, "timestamp", "a float", timestamp)
        _setattr(self, "storage_id", storage_id)
        _setattr(self, "run_id", run_id)
        _setattr(self, "timestamp", float(timestamp))

    def to_json(self) -> dict[str, Any]:
        return {"storage_id": self.storage_id, "run_id": self.run_id, "timestamp": self.timestamp}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> AssetCheckEvaluationTargetMaterializationData:
        return AssetCheckEvaluationTargetMaterializationData(
            data["storage_id"], data["run_id"], data["timestamp"]
        )


class AssetCheckEvaluation(Record):
    """The outcome of evaluating one asset check."""

    __slots__ = (
        "asset_key",
        "blocking",
        "check_name",
        "description",
        "metadata",
        "partition",
        "passed",
        "severity",
        "target_materialization_data",
    )
    _fields = (
        "asset_key",
        "check_name",
        "passed",
        "metadata",
        "target_materialization_data",
        "severity",
        "description",
        "blocking",
        "partition",
    )
    asset_key: AssetKey
    check_name: str
    passed: bool
    metadata: dict[str, MetadataValue[Any]]
    target_materialization_data: AssetCheckEvaluationTargetMaterializationData | None
    severity: AssetCheckSeverity
    description: str | None
    blocking: bool | None
    partition: str | None

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
    ) -> None:
        owner = "AssetCheckEvaluation"
        key = asset_key if isinstance(asset_key, AssetKey) else AssetKey.from_coercible(asset_key)
        if not isinstance(check_name, str):
            raise _fail(owner, "check_name", "a str", check_name)
        if not isinstance(passed, bool):
            raise _fail(owner, "passed", "a bool", passed)
        if target_materialization_data is not None and not isinstance(
            target_materialization_data, AssetCheckEvaluationTargetMaterializationData
        ):
            raise _fail(
                owner,
                "target_materialization_data",
                "an AssetCheckEvaluationTargetMaterializationData or None",
                target_materialization_data,
            )
        if not isinstance(severity, AssetCheckSeverity):
            if severity not in ("WARN", "ERROR"):
                raise _fail(
                    owner, "severity", "AssetCheckSeverity.WARN or AssetCheckSeverity.ERROR", severity
                )
            severity = AssetCheckSeverity(severity)
        if description is not None:
            _opt_str(description, owner, "description")
        if blocking is not None and not isinstance(blocking, bool):
            raise _fail(owner, "blocking", "a bool or None", blocking)
        if partition is not None:
            _opt_str(partition, owner, "partition")
        _setattr(self, "asset_key", key)
        _setattr(self, "check_name", check_name)
        _setattr(self, "passed", passed)
        _setattr(self, "metadata", normalize_metadata(metadata) if metadata else {})
        _setattr(self, "target_materialization_data", target_materialization_data)
        _setattr(self, "severity", severity)
        _setattr(self, "description", description)
        _setattr(self, "blocking", blocking)
        _setattr(self, "partition", partition)

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

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able form; :meth:`from_json` reads it back equal."""
        out: dict[str, Any] = {
            "asset_key": list(self.asset_key.path),
            "check_name": self.check_name,
            "passed": self.passed,
            "severity": self.severity.value,
        }
        if self.metadata:
            out["metadata"] = metadata_to_json(self.metadata)
        if self.target_materialization_data is not None:
            out["target_materialization_data"] = self.target_materialization_data.to_json()
        if self.description is not None:
            out["description"] = self.description
        if self.blocking is not None:
            out["blocking"] = self.blocking
        if self.partition is not None:
            out["partition"] = self.partition
        return out

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> AssetCheckEvaluation:
        target = data.get("target_materialization_data")
        return AssetCheckEvaluation(
            AssetKey(data["asset_key"]),
            data["check_name"],
            data["passed"],
            metadata=metadata_from_json(data.get("metadata") or {}),
            target_materialization_data=(
                None if target is None else AssetCheckEvaluationTargetMaterializationData.from_json(target)
            ),
            severity=AssetCheckSeverity(data.get("severity", "ERROR")),
            description=data.get("description"),
            blocking=data.get("blocking"),
            partition=data.get("partition"),
        )
