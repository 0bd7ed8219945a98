"""The data that rides on each kind of event: one closed tagged union, ``EventPayload``.

Every payload class is a :class:`~headwater.core.value.Value` tagged by its class name (``{"type":
"StepInputData", ...}``); ``Event.event_specific_data`` is one of them or None, and a stored event is
read back as exactly that class. A tag, once released, is in users' databases: never rename one.
Metadata on a payload is normalised to metadata values, as Dagster does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, get_args

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo
from headwater.core.expectation_result import ExpectationResult
from headwater.core.metadata import AnyMetadataValue, normalize_metadata
from headwater.core.value import Value, set_field


class _Payload(Value, tag_field="type", omit_defaults=True, frozen=True):
    pass


def _normalize_metadata(payload: Any) -> None:
    metadata = payload.metadata
    set_field(payload, "metadata", normalize_metadata(metadata) if metadata else {})


class TypeCheckData(Value, omit_defaults=True, frozen=True):
    """A STEP_INPUT / STEP_OUTPUT event's type check: its result, description and metadata."""

    success: bool
    label: str
    description: str | None = None
    metadata: dict[str, AnyMetadataValue] = {}


def type_check_data(label: str, check: Any) -> TypeCheckData:
    """The event record of a TypeCheck (``None``: no check ran, so it passed)."""
    if check is None:
        return TypeCheckData(True, label)
    return TypeCheckData(check.success, label, check.description, check.metadata)


class StepOutputData(_Payload, tag="StepOutputData", frozen=True):
    output_name: str
    mapping_key: str | None = None
    type_check_data: TypeCheckData | None = None
    metadata: dict[str, AnyMetadataValue] = {}

    if TYPE_CHECKING:

        def __init__(
            self,
            output_name: str,
            mapping_key: str | None = None,
            type_check_data: TypeCheckData | None = None,
            metadata: Mapping[str, Any] | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        _normalize_metadata(self)


class StepInputData(_Payload, tag="StepInputData", frozen=True):
    input_name: str
    type_check_data: TypeCheckData | None = None


class UserFailureData(Value, omit_defaults=True, frozen=True):
    label: str
    description: str | None
    metadata: dict[str, AnyMetadataValue] = {}

    if TYPE_CHECKING:

        def __init__(
            self, label: str, description: str | None, metadata: Mapping[str, Any] | None = None
        ) -> None: ...

    def __post_init__(self) -> None:
        _normalize_metadata(self)


class StepFailureData(_Payload, tag="StepFailureData", frozen=True):
    error: ErrorInfo | None
    user_failure_data: UserFailureData | None = None
    error_source: str | None = None


class StepSuccessData(_Payload, tag="StepSuccessData", frozen=True):
    duration_ms: float


class StepRetryData(_Payload, tag="StepRetryData", frozen=True):
    error: ErrorInfo | None
    seconds_to_wait: float | None = None


class HandledOutputData(_Payload, tag="HandledOutputData", frozen=True):
    output_name: str
    manager_key: str


class LoadedInputData(_Payload, tag="LoadedInputData", frozen=True):
    input_name: str
    manager_key: str
    upstream_output_name: str | None = None
    upstream_step_key: str | None = None


class EngineEventData(_Payload, tag="EngineEventData", frozen=True):
    metadata: dict[str, AnyMetadataValue] = {}
    error: ErrorInfo | None = None

    if TYPE_CHECKING:

        def __init__(
            self, metadata: Mapping[str, Any] | None = None, error: ErrorInfo | None = None
        ) -> None: ...

    def __post_init__(self) -> None:
        _normalize_metadata(self)


class AssetMaterializationPlannedData(_Payload, tag="AssetMaterializationPlannedData", frozen=True):
    asset_key: AssetKey
    partition: str | None = None


class AssetCheckEvaluationPlanned(_Payload, tag="AssetCheckEvaluationPlanned", frozen=True):
    asset_key: AssetKey
    check_name: str

    @property
    def asset_check_key(self) -> AssetCheckKey:
        return AssetCheckKey(self.asset_key, self.check_name)


class RunFailureData(_Payload, tag="RunFailureData", frozen=True):
    error: ErrorInfo | None
    failure_reason: str | None = None
    first_step_failure_key: str | None = None


class HookData(_Payload, tag="HookData", frozen=True):
    hook_name: str
    error: ErrorInfo | None = None


#: What ``Event.event_specific_data`` holds (besides None): the closed tagged union of payloads.
EventPayload = (
    StepOutputData
    | StepInputData
    | StepFailureData
    | StepSuccessData
    | StepRetryData
    | HandledOutputData
    | LoadedInputData
    | EngineEventData
    | AssetMaterializationPlannedData
    | AssetCheckEvaluationPlanned
    | RunFailureData
    | HookData
    | AssetMaterialization
    | AssetObservation
    | AssetCheckEvaluation
    | ExpectationResult
)
#: The classes of ``EventPayload``.
PAYLOAD_CLASSES: frozenset[type[Any]] = frozenset(get_args(EventPayload))
