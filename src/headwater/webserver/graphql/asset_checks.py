"""Asset checks: their definition (from the spec) and executions (from the check executions store)."""

from __future__ import annotations

from enum import Enum

import strawberry

from headwater.core.asset_check_key import AssetCheckKey
from headwater.specs.asset_graph import AssetCheckNodeSpec
from headwater.storage.records import AssetCheckExecutionRecord, AssetCheckExecutionRecordStatus
from headwater.webserver.context import as_context
from headwater.webserver.graphql.asset_keys import AssetKey
from headwater.webserver.graphql.limits import page_size
from headwater.webserver.graphql.metadata import MetadataEntry, metadata_entries


@strawberry.enum(description="Where an execution of a check stands.")
class AssetCheckExecutionResolvedStatus(Enum):
    IN_PROGRESS = "IN_PROGRESS"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


_STATUS = {
    AssetCheckExecutionRecordStatus.PLANNED: AssetCheckExecutionResolvedStatus.IN_PROGRESS,
    AssetCheckExecutionRecordStatus.SUCCEEDED: AssetCheckExecutionResolvedStatus.SUCCEEDED,
    AssetCheckExecutionRecordStatus.FAILED: AssetCheckExecutionResolvedStatus.FAILED,
}


@strawberry.enum(description="How bad a failed check is.")
class AssetCheckSeverity(Enum):
    WARN = "WARN"
    ERROR = "ERROR"


@strawberry.type(description="The result a check reported.")
class AssetCheckEvaluation:
    success: bool
    severity: AssetCheckSeverity
    description: str | None
    timestamp: float
    metadata_entries: list[MetadataEntry]


@strawberry.type(description="One execution of a check: planned by a run, then resolved by its result.")
class AssetCheckExecution:
    record: strawberry.Private[AssetCheckExecutionRecord]
    run_id: str
    status: AssetCheckExecutionResolvedStatus
    timestamp: float
    partition: str | None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.record.id))

    @strawberry.field
    def evaluation(self) -> AssetCheckEvaluation | None:
        entry = self.record.event
        event = entry.dagster_event if entry is not None else None
        data = event.event_specific_data if event is not None else None
        if entry is None or data is None or not hasattr(data, "passed"):
            return None
        return AssetCheckEvaluation(
            success=bool(data.passed),
            severity=AssetCheckSeverity(getattr(data.severity, "value", str(data.severity))),
            description=data.description,
            timestamp=entry.timestamp,
            metadata_entries=metadata_entries(data.metadata),
        )

    @staticmethod
    def of(record: AssetCheckExecutionRecord) -> AssetCheckExecution:
        return AssetCheckExecution(
            record=record,
            run_id=record.run_id,
            status=_STATUS[record.status],
            timestamp=record.create_timestamp,
            partition=record.partition,
        )


@strawberry.type(description="A check on an asset (its definition) and its executions.")
class AssetCheck:
    spec: strawberry.Private[AssetCheckNodeSpec]
    name: str
    description: str | None
    blocking: bool

    @strawberry.field
    def asset_key(self) -> AssetKey:
        return AssetKey.of(self.spec.key.asset_key)

    @strawberry.field(description="The latest execution (read in bulk for a list of assets).")
    def latest_execution(self, info: strawberry.Info) -> AssetCheckExecution | None:
        record = as_context(info.context).latest_check_execution(self.spec.key)
        return AssetCheckExecution.of(record) if record is not None else None

    @strawberry.field(description="Executions, newest first; cursor: an execution id to continue before.")
    def executions(
        self, info: strawberry.Info, limit: int | None = None, cursor: str | None = None
    ) -> list[AssetCheckExecution]:
        store = as_context(info.context).storage.event_store
        before = int(cursor) if cursor and cursor.isdigit() else None
        records = store.get_asset_check_execution_history(self.spec.key, page_size(limit, default=25), before)
        return [AssetCheckExecution.of(r) for r in records]

    @staticmethod
    def of(spec: AssetCheckNodeSpec) -> AssetCheck:
        return AssetCheck(spec=spec, name=spec.key.name, description=spec.description, blocking=spec.blocking)


def check_keys_of(specs: list[AssetCheckNodeSpec]) -> list[AssetCheckKey]:
    return [s.key for s in specs]
