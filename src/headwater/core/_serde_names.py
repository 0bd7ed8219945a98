"""Stable short names for the Headwater classes stored in event logs (the compact tagged form).

``encode(value, compact=True)`` writes ``{"__t": "StepInputData", ...}`` instead of the module path
``"headwater.events.payloads:StepInputData"``; ``decode`` reads both. A class without a short name is
still written with its module path.

A short name, once released, is in users' databases: never rename or reuse one. When a class moves,
change its path here and keep its name. Names contain no ``:`` (that is how a path is told apart).
"""

from __future__ import annotations

_P = "headwater.events.payloads:"
_A = "headwater.core.asset_events:"
_M = "headwater.core.metadata_values:"
_S = "headwater.core.structured_metadata:"
_T = "headwater.core.table:"

_PAYLOADS = (
    "TypeCheckData",
    "StepOutputData",
    "StepInputData",
    "UserFailureData",
    "StepFailureData",
    "StepSuccessData",
    "StepRetryData",
    "HandledOutputData",
    "LoadedInputData",
    "EngineEventData",
    "AssetMaterializationPlannedData",
    "AssetCheckEvaluationPlanned",
    "RunFailureData",
    "HookData",
)
_ASSET_EVENTS = (
    "AssetMaterialization",
    "AssetObservation",
    "AssetCheckSeverity",
    "AssetCheckEvaluation",
    "AssetCheckEvaluationTargetMaterializationData",
)
_METADATA_VALUES = (
    "TextMetadataValue",
    "UrlMetadataValue",
    "PathMetadataValue",
    "NotebookMetadataValue",
    "JsonMetadataValue",
    "MarkdownMetadataValue",
    "PythonArtifactMetadataValue",
    "FloatMetadataValue",
    "IntMetadataValue",
    "BoolMetadataValue",
    "TimestampMetadataValue",
    "NullMetadataValue",
    "PoolMetadataValue",
)
_STRUCTURED_METADATA = (
    "DagsterRunMetadataValue",
    "DagsterJobMetadataValue",
    "DagsterAssetMetadataValue",
    "TableMetadataValue",
    "TableSchemaMetadataValue",
    "TableColumnLineageMetadataValue",
    "CodeReferencesMetadataValue",
)
_TABLE = (
    "TableRecord",
    "TableConstraints",
    "TableColumnConstraints",
    "TableColumn",
    "TableSchema",
    "TableColumnDep",
    "TableColumnLineage",
)

#: short name -> ``module:qualname`` of the class it stands for.
SHORT_NAMES: dict[str, str] = {
    **{name: _P + name for name in _PAYLOADS},
    **{name: _A + name for name in _ASSET_EVENTS},
    **{name: _M + name for name in _METADATA_VALUES},
    **{name: _S + name for name in _STRUCTURED_METADATA},
    **{name: _T + name for name in _TABLE},
    "ErrorInfo": "headwater.core.error_info:ErrorInfo",
    "AssetCheckKey": "headwater.core.asset_check_key:AssetCheckKey",
    "LocalFileCodeReference": "headwater.core.code_references:LocalFileCodeReference",
    "UrlCodeReference": "headwater.core.code_references:UrlCodeReference",
}

#: ``module:qualname`` -> short name.
SHORT_NAME_OF_PATH: dict[str, str] = {path: name for name, path in SHORT_NAMES.items()}
