"""``SqlStorage.handle_new_events`` writes a batch's events, the asset and partition index rows and
the run status change in ONE transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.storage.databases import database_url
from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.runs import Run
from headwater.storage.sql import SqlStorage


def _entry(event_type: EventType, data: object = None) -> EventLogEntry:
    event = Event(event_type, "job", "s" if data else None, event_specific_data=data)
    return EventLogEntry("r1", 1_700_000_000.0, event, job_name="job")


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mysql"])
def test_one_transaction_per_batch(backend: str, tmp_path: Path) -> None:
    with database_url(backend, tmp_path) as url:
        storage = SqlStorage(url)
        try:
            storage.run_store.add_run(Run(job_name="job", run_id="r1"))
            commits: list[str] = []
            sa.event.listen(storage.database.engine, "commit", lambda conn: commits.append("commit"))
            batch = [
                _entry(EventType.RUN_START),
                _entry(EventType.STEP_START),
                _entry(EventType.ASSET_MATERIALIZATION, AssetMaterialization(AssetKey("a"), partition="p")),
                _entry(EventType.RUN_SUCCESS),
            ]
            storage.handle_new_events(batch)
            assert commits == ["commit"]
            record = storage.run_store.get_run_record("r1")
            assert record is not None and record.dagster_run.status is RunStatus.SUCCESS
            assert storage.event_store.get_materialized_partitions(AssetKey("a")) == {"p"}
        finally:
            storage.dispose()
