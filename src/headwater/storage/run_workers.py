"""Run-worker heartbeats: one row per running run worker, written every few seconds.

The run monitor (``runs.monitor``) reads them to find workers that died without finishing their run.
The store is ``Storage.run_workers`` (protocol ``RunWorkerStore`` in ``storage.protocols``); the SQL
store keeps them in the ``kv`` table (``storage.sql.run_worker_store``). This module holds the record.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WorkerHeartbeat:
    run_id: str
    pid: int
    hostname: str
    timestamp: float
