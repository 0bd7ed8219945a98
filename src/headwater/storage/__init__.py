"""Storage: store protocols, record types, the in-memory store and the SQL store.

``headwater.storage`` imports no database driver; ``headwater.storage.sql`` does, on first use.
"""

from __future__ import annotations

from headwater.storage.protocols import EventStore, RunStore, Storage
from headwater.storage.records import (
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
    AssetEntry,
    AssetPartitionRecord,
    AssetRecord,
    AssetRecordsFilter,
    EventLogConnection,
    EventRecordsFilter,
    EventRecordsResult,
)
from headwater.storage.runs import DagsterRun, Run, RunRecord, RunsFilter

__all__ = [
    "AssetCheckExecutionRecord",
    "AssetCheckExecutionRecordStatus",
    "AssetEntry",
    "AssetPartitionRecord",
    "AssetRecord",
    "AssetRecordsFilter",
    "DagsterRun",
    "EventLogConnection",
    "EventRecordsFilter",
    "EventRecordsResult",
    "EventStore",
    "Run",
    "RunRecord",
    "RunStore",
    "RunsFilter",
    "Storage",
]
