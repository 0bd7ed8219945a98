"""The storage contract: every test in this directory runs against every storage backend.

``storage`` is parametrized over the backends; each test gets a fresh, empty store (a new SQLite file,
a new in-memory SQLite database, a new PostgreSQL schema, a new MySQL database). A server that does
not answer fails the test with how to start it: nothing is skipped silently.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.payloads import (
    AssetCheckEvaluationPlanned,
    AssetMaterializationPlannedData,
    StepSuccessData,
)
from headwater.storage.protocols import Storage
from headwater.storage.sql import SqlStorage

from .databases import BACKENDS, database_url


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    with database_url(request.param, tmp_path) as url:
        sql_store = SqlStorage(url)
        try:
            yield sql_store
        finally:
            sql_store.dispose()


def _key(key: str | list[str] | AssetKey) -> AssetKey:
    """``"a/b"`` -> ``AssetKey(["a", "b"])``."""
    if isinstance(key, AssetKey):
        return key
    return AssetKey.from_user_string(key) if isinstance(key, str) else AssetKey(key)


class Events:
    """Builds event log entries with increasing timestamps."""

    def __init__(self) -> None:
        self._ticks = itertools.count(1)
        self.job = "job"

    def entry(self, run_id: str, event: Event | None, message: str = "") -> EventLogEntry:
        step = event.step_key if event is not None else None
        ts = 1_700_000_000.0 + next(self._ticks)
        return EventLogEntry(run_id, ts, event, job_name=self.job, step_key=step, user_message=message)

    def log(self, run_id: str, message: str = "hello") -> EventLogEntry:
        return self.entry(run_id, None, message)

    def run(self, run_id: str, event_type: EventType) -> EventLogEntry:
        return self.entry(run_id, Event(event_type, self.job, message=event_type.value))

    def step(self, run_id: str, event_type: EventType, step_key: str = "s") -> EventLogEntry:
        data = StepSuccessData(1.0) if event_type is EventType.STEP_SUCCESS else None
        return self.entry(run_id, Event(event_type, self.job, step_key=step_key, event_specific_data=data))

    def mat(
        self,
        run_id: str,
        key: str | list[str] | AssetKey,
        partition: str | None = None,
        metadata: dict[str, int] | None = None,
    ) -> EventLogEntry:
        data = AssetMaterialization(_key(key), partition=partition, metadata=metadata)
        return self.entry(
            run_id, Event(EventType.ASSET_MATERIALIZATION, self.job, "s", event_specific_data=data)
        )

    def obs(self, run_id: str, key: str, partition: str | None = None) -> EventLogEntry:
        data = AssetObservation(_key(key), partition=partition)
        return self.entry(run_id, Event(EventType.ASSET_OBSERVATION, self.job, "s", event_specific_data=data))

    def planned(self, run_id: str, key: str, partition: str | None = None) -> EventLogEntry:
        data = AssetMaterializationPlannedData(_key(key), partition)
        return self.entry(
            run_id, Event(EventType.ASSET_MATERIALIZATION_PLANNED, self.job, event_specific_data=data)
        )

    def failed(self, run_id: str, key: str, partition: str | None = None) -> EventLogEntry:
        data = AssetMaterializationPlannedData(_key(key), partition)
        return self.entry(
            run_id, Event(EventType.ASSET_FAILED_TO_MATERIALIZE, self.job, "s", event_specific_data=data)
        )

    @staticmethod
    def check_key(asset: str, name: str) -> AssetCheckKey:
        return AssetCheckKey(_key(asset), name)

    def check_planned(self, run_id: str, key: str, name: str) -> EventLogEntry:
        data = AssetCheckEvaluationPlanned(_key(key), name)
        return self.entry(
            run_id, Event(EventType.ASSET_CHECK_EVALUATION_PLANNED, self.job, event_specific_data=data)
        )

    def check(self, run_id: str, key: str, name: str, passed: bool) -> EventLogEntry:
        data = AssetCheckEvaluation(_key(key), name, passed)
        return self.entry(
            run_id, Event(EventType.ASSET_CHECK_EVALUATION, self.job, "s", event_specific_data=data)
        )


@pytest.fixture
def events() -> Events:
    return Events()
