"""Storage: store protocols, record types, the in-memory store and the SQL store.

``headwater.storage`` imports no database driver; ``headwater.storage.sql`` does, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.storage.memory import MemoryStorage
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
    "MemoryStorage",
    "Run",
    "RunRecord",
    "RunStore",
    "RunsFilter",
    "SqlStorage",
    "Storage",
]

if TYPE_CHECKING:
    from headwater.storage.sql import SqlStorage


def __getattr__(name: str) -> Any:
    if name == "SqlStorage":  # imported on first use: it imports SQLAlchemy
        from headwater.storage.sql import SqlStorage

        return SqlStorage
    raise AttributeError(f"module 'headwater.storage' has no attribute {name!r}")
