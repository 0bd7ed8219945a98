"""What user code returns or yields: Output, DynamicOutput, MaterializeResult, check results,
and the exceptions it raises on purpose (Failure, RetryRequested)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.asset_events import AssetCheckSeverity
from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.core.expectation_result import ExpectationResult as ExpectationResult
from headwater.core.metadata import normalize_metadata
from headwater.errors import InvalidDefinitionError

_MAPPING_KEY = re.compile(r"^[A-Za-z0-9_]+$")


class Output:
    """A value for a named output, with metadata."""

    __slots__ = ("data_version", "metadata", "output_name", "tags", "value")

    def __init__(
        self,
        value: Any,
        output_name: str = "result",
        metadata: Mapping[str, Any] | None = None,
        data_version: Any = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        self.value = value
        self.output_name = output_name
        self.metadata = metadata or {}
        self.data_version = data_version
        self.tags = tags

    def __repr__(self) -> str:
        return f"Output(value={self.value!r}, output_name={self.output_name!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Output)
            and self.value == other.value
            and self.output_name == other.output_name
            and dict(self.metadata) == dict(other.metadata)
        )


class DynamicOutput:
    """One value of a dynamic output, identified by its mapping key."""

    __slots__ = ("mapping_key", "metadata", "output_name", "value")

    def __init__(
        self,
        value: Any,
        mapping_key: str,
        output_name: str = "result",
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(mapping_key, str) or not _MAPPING_KEY.match(mapping_key):
            raise InvalidDefinitionError(
                f'"{mapping_key}" is not a valid name in Headwater. Names must be in regex ^[A-Za-z0-9_]+$.'
            )
        self.value = value
        self.mapping_key = mapping_key
        self.output_name = output_name
        self.metadata = metadata or {}

    def __repr__(self) -> str:
        return f"DynamicOutput(value={self.value!r}, mapping_key={self.mapping_key!r})"


class AssetCheckResult:
    """The outcome of one asset check."""

    __slots__ = ("asset_key", "check_name", "description", "metadata", "passed", "severity")

    def __init__(
        self,
        *,
        passed: bool,
        asset_key: CoercibleToAssetKey | None = None,
        check_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
        description: str | None = None,
    ) -> None:
        self.passed = bool(passed)
        self.asset_key = AssetKey.from_coercible(asset_key) if asset_key is not None else None
        self.check_name = check_name
        self.metadata = normalize_metadata(metadata)
        self.severity = severity
        self.description = description

    def __repr__(self) -> str:
        return (
            f"AssetCheckResult(passed={self.passed}, asset_key={self.asset_key!r}, "
            f"check_name={self.check_name!r})"
        )


class MaterializeResult:
    """What an asset returns instead of a value: metadata, check results, tags, optional value."""

    __slots__ = ("asset_key", "check_results", "data_version", "metadata", "tags", "value")

    def __init__(
        self,
        *,
        asset_key: CoercibleToAssetKey | None = None,
        metadata: Mapping[str, Any] | None = None,
        check_results: Sequence[AssetCheckResult] | None = None,
        data_version: Any = None,
        tags: Mapping[str, str] | None = None,
        value: Any = None,
    ) -> None:
        self.asset_key = AssetKey.from_coercible(asset_key) if asset_key is not None else None
        self.metadata = metadata or {}
        self.check_results = list(check_results or [])
        self.data_version = data_version
        self.tags = tags
        self.value = value


class ObserveResult(MaterializeResult):
    """What an observable source asset returns."""

    __slots__ = ()


class Failure(Exception):
    """Raise from an op or asset to fail it with a description and metadata."""

    #: Dagster's name, used when the error is stored (see ``headwater.errors``).
    stored_name = "dagster._core.definitions.events.Failure"

    def __init__(
        self,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        allow_retries: bool | None = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.metadata = metadata or {}
        self.allow_retries = True if allow_retries is None else allow_retries


class RetryRequested(Exception):
    """Raise from an op or asset to ask for another attempt."""

    #: Dagster's name, used when the error is stored (see ``headwater.errors``).
    stored_name = "dagster._core.definitions.events.RetryRequested"

    def __init__(self, max_retries: int | None = 1, seconds_to_wait: float | None = None) -> None:
        super().__init__()
        self.max_retries = 1 if max_retries is None else max_retries
        self.seconds_to_wait = seconds_to_wait
