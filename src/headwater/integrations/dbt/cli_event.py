"""One structured log line of a dbt command, and the Headwater events it stands for."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from headwater.core.asset_events import AssetCheckSeverity, AssetMaterialization, AssetObservation
from headwater.definitions.results import AssetCheckResult, Output
from headwater.integrations.dbt.asset_decorator import DbtAssetsInfo
from headwater.integrations.dbt.manifest import ASSET_RESOURCE_TYPES

#: dbt's events that report a finished node (``--log-format json``: ``info.name``).
RESULT_EVENTS = frozenset(
    {"LogModelResult", "LogSeedResult", "LogSnapshotResult", "LogTestResult", "LogNodeNoOpResult"}
)
_SUCCESS = frozenset({"success", "pass"})


class DbtCliEventMessage:
    """A line of dbt's JSON log (``raw_event``), turned into asset events by ``to_default_asset_events``."""

    __slots__ = ("raw_event",)

    def __init__(self, raw_event: Mapping[str, Any]) -> None:
        self.raw_event = raw_event

    @property
    def log_level(self) -> str:
        return str(self.raw_event.get("info", {}).get("level", "info"))

    @property
    def event_name(self) -> str:
        return str(self.raw_event.get("info", {}).get("name", ""))

    @property
    def message(self) -> str:
        return str(self.raw_event.get("info", {}).get("msg", ""))

    @property
    def node_info(self) -> Mapping[str, Any]:
        return self.raw_event.get("data", {}).get("node_info") or {}  # type: ignore[no-any-return]

    @property
    def is_result_event(self) -> bool:
        return self.event_name in RESULT_EVENTS

    def __str__(self) -> str:
        return self.message

    def to_default_asset_events(
        self, info: DbtAssetsInfo | None, selected: set[Any] | None = None, invocation_id: str | None = None
    ) -> Iterator[Output | AssetMaterialization | AssetCheckResult | AssetObservation]:
        """The events of a finished node: an ``Output`` (or ``AssetMaterialization`` outside a dbt asset
        step) for a built model, seed or snapshot; an ``AssetCheckResult`` for a test."""
        if not self.is_result_event or info is None:
            return
        node = self.node_info
        uid = str(node.get("unique_id") or "")
        status = str(node.get("node_status") or "")
        data = self.raw_event.get("data", {})
        metadata: dict[str, Any] = {"unique_id": uid}
        if invocation_id:
            metadata["invocation_id"] = invocation_id
        if isinstance(data.get("execution_time"), (int, float)):
            metadata["Execution Duration"] = round(float(data["execution_time"]), 4)
        resource_type = node.get("resource_type")
        if resource_type in ASSET_RESOURCE_TYPES:
            key = info.key_by_unique_id.get(uid)
            if key is None or status not in _SUCCESS:
                return
            relation = (node.get("node_relation") or {}).get("relation_name")
            if relation:
                metadata["dagster/relation_identifier"] = str(relation).replace('"', "")
            if data.get("status"):
                metadata["dbt status"] = str(data["status"])
            if selected is not None and key in selected:
                yield Output(None, output_name=info.output_by_key[key], metadata=metadata)
            else:
                yield AssetMaterialization(asset_key=key, metadata=metadata)
        elif resource_type == "test":
            check = info.check_by_unique_id.get(uid)
            failures = data.get("num_failures")
            if isinstance(failures, int):
                metadata["dagster_dbt/failed_row_count"] = failures
            metadata["status"] = status
            if check is not None and (selected is None or check in selected):
                yield AssetCheckResult(
                    passed=status == "pass",
                    asset_key=check.asset_key,
                    check_name=check.name,
                    severity=AssetCheckSeverity.WARN if status == "warn" else AssetCheckSeverity.ERROR,
                    metadata=metadata,
                )
            elif check is None:
                attached = info.key_by_unique_id.get(str(data.get("attached_node") or ""))
                if attached is not None:
                    yield AssetObservation(asset_key=attached, metadata=metadata)
