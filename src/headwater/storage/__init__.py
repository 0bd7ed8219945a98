"""Storage: the store protocols, their records, and the one implementation of them, in SQL.

``Storage`` (``storage.protocols``) is every store in one database -- ``run_store``, ``event_store``,
``concurrency``, ``run_workers``, ``daemon_heartbeats``, ``leases`` -- plus the batch write that spans
two of them
(``handle_new_events``), retention (``prune``), ``info`` and ``dispose``. ``SqlStorage``
(``storage.sql``) implements it on SQLite (a file, or in memory for ephemeral instances), PostgreSQL
and MySQL/MariaDB; there is no second, in-memory implementation to keep in step.

Adding a store (schedule/sensor ticks, instigator state, backfills, leader leases, automation
cursors, partition status...):

1. **Protocol** -- a ``class XStore(Protocol)`` in ``storage/protocols.py`` with the methods its users
   need (records in a module of their own, e.g. ``storage/ticks.py``), and a property ``x`` on
   ``Storage`` returning it.
2. **SQL implementation** -- ``storage/sql/x_store.py``: a class taking the ``Database`` (and the
   storage's ``clock`` if it stamps times: never ``time.time()``), writing through
   ``Database.run_write`` (one transaction, retried when the database is away), reading through
   ``Database.read``. Tables go in ``storage/sql/schema.py``.
3. **Attribute on ``SqlStorage``** -- built in ``SqlStorage.__init__`` beside the others, exposed as
   the property; users reach it as ``storage.x`` (never through a lookup keyed by the storage).
4. **Contract tests** -- ``tests/contracts/storage/test_storage_x.py``, taking the ``storage``
   fixture: it runs on SQLite (file and in memory), PostgreSQL and MySQL.
5. **Alembic migration** -- a new table or column needs ``storage/migrations/versions/vNNNN_*.py``,
   ``HEAD_REVISION`` bumped in ``storage/sql/migrate.py``, and a migration test
   (``tests/storage/test_migrations.py``) showing a database at the previous revision upgrades and
   keeps its rows.

``headwater.storage`` imports no database driver; ``headwater.storage.sql`` does, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.storage.protocols import (
    ConcurrencyStore,
    DaemonHeartbeatStore,
    EventStore,
    LeaseStore,
    RunStore,
    RunWorkerStore,
    Storage,
)
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
    "ConcurrencyStore",
    "DaemonHeartbeatStore",
    "DagsterRun",
    "EventLogConnection",
    "EventRecordsFilter",
    "EventRecordsResult",
    "EventStore",
    "LeaseStore",
    "Run",
    "RunRecord",
    "RunStore",
    "RunWorkerStore",
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
