"""The data that rides on each kind of event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo


@dataclass(frozen=True, slots=True)
class TypeCheckData:
    success: bool
    label: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class StepOutputData:
    output_name: str
    mapping_key: str | None = None
    type_check_data: TypeCheckData | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StepInputData:
    input_name: str
    type_check_data: TypeCheckData | None = None


@dataclass(frozen=True, slots=True)
class UserFailureData:
    label: str
    description: str | None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StepFailureData:
    error: ErrorInfo | None
    user_failure_data: UserFailureData | None = None
    error_source: str | None = None


@dataclass(frozen=True, slots=True)
class StepSuccessData:
    duration_ms: float


@dataclass(frozen=True, slots=True)
class StepRetryData:
    error: ErrorInfo | None
    seconds_to_wait: float | None = None


@dataclass(frozen=True, slots=True)
class HandledOutputData:
    output_name: str
    manager_key: str


@dataclass(frozen=True, slots=True)
class LoadedInputData:
    input_name: str
    manager_key: str
    upstream_output_name: str | None = None
    upstream_step_key: str | None = None


@dataclass(frozen=True, slots=True)
class EngineEventData:
    metadata: Mapping[str, Any] = field(default_factory=dict)
    error: ErrorInfo | None = None


@dataclass(frozen=True, slots=True)
class AssetMaterializationPlannedData:
    asset_key: AssetKey
    partition: str | None = None


@dataclass(frozen=True, slots=True)
class AssetCheckEvaluationPlanned:
    asset_key: AssetKey
    check_name: str

    @property
    def asset_check_key(self) -> AssetCheckKey:
        return AssetCheckKey(self.asset_key, self.check_name)


@dataclass(frozen=True, slots=True)
class RunFailureData:
    error: ErrorInfo | None
    failure_reason: str | None = None
    first_step_failure_key: str | None = None


@dataclass(frozen=True, slots=True)
class HookData:
    hook_name: str
    error: ErrorInfo | None = None
