"""A database that goes away during a run, for real: PostgreSQL connections killed with
``pg_terminate_backend`` while the role is barred from logging in again.

Writes are retried with backoff; if the database comes back within the retries nothing is lost or
doubled; if it stays away the caller gets ``StorageUnavailableError`` and, once storage answers
again, the run is marked FAILED instead of being left STARTED.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

import headwater as hw
from contracts.storage.databases import POSTGRES_URL, _admin_engine
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.instance import Instance
from headwater.storage.errors import StorageUnavailableError
from headwater.storage.retry import RetryPolicy
from headwater.storage.sql import SqlStorage


@dataclass
class Outage:
    """A PostgreSQL role with its own schema, and the switch that cuts it off."""

    admin: sa.Engine
    role: str
    url: str

    def start(self) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER ROLE "{self.role}" NOLOGIN')
            killed = conn.exec_driver_sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = %s",
                (self.role,),
            ).scalar()
        assert killed, "expected the store to hold an open connection to kill"

    def end(self) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER ROLE "{self.role}" LOGIN')

    def run_status(self, run_id: str) -> str:
        with self.admin.connect() as conn:
            return str(
                conn.exec_driver_sql(
                    f'SELECT status FROM "{self.role}".runs WHERE run_id = %s', (run_id,)
                ).scalar()
            )


@pytest.fixture
def outage() -> Iterator[Outage]:
    admin = _admin_engine(POSTGRES_URL, "HEADWATER_TEST_POSTGRES_URL")
    role = f"hw_outage_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql(f'CREATE SCHEMA "{role}" AUTHORIZATION "{role}"')
    base = sa.make_url(POSTGRES_URL).set(username=role, password=None)
    url = base.update_query_dict({"options": f"-csearch_path={role}"}).render_as_string(hide_password=False)
    try:
        yield Outage(admin, role, url)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER ROLE "{role}" LOGIN')
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
            )
            conn.exec_driver_sql(f'DROP SCHEMA "{role}" CASCADE')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()


def _entry(run_id: str, event_type: EventType | None, message: str = "") -> EventLogEntry:
    event = Event(event_type, "job") if event_type is not None else None
    return EventLogEntry(run_id, 1_700_000_000.0, event, job_name="job", user_message=message)


def test_write_retries_with_backoff_until_the_database_is_back(outage: Outage) -> None:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 3:
            outage.end()  # the database comes back during the third pause

    storage = SqlStorage(
        outage.url, retry=RetryPolicy(attempts=5, first_delay=0.1, max_delay=0.3, sleep=sleep)
    )
    instance = Instance(storage)
    try:
        run = instance.create_run(job_name="job")
        instance.handle_new_events([_entry(run.run_id, EventType.RUN_START)])
        outage.start()
        ids = instance.handle_new_events([_entry(run.run_id, None, f"line {i}") for i in range(3)])
        assert slept == [0.1, 0.2, 0.3]
        assert len(ids) == 3
        logs = instance.all_logs(run.run_id)
        assert [e.user_message for e in logs[1:]] == ["line 0", "line 1", "line 2"]  # stored once each
        assert instance.runs_interrupted_by_storage_outage == []
        record = instance.get_run_record_by_id(run.run_id)
        assert record is not None and record.dagster_run.status is RunStatus.STARTED
    finally:
        instance.dispose()


def test_database_that_stays_away_fails_the_write_then_the_run(outage: Outage) -> None:
    config: dict[str, Any] = {
        "storage": {"postgres": {"postgres_url": outage.url}},
        "storage_retry": {"attempts": 3, "first_delay": 0.05, "max_delay": 0.1},
    }
    instance = Instance.from_config(config, "/nonexistent-home")
    run = instance.create_run(job_name="job")
    instance.handle_new_events([_entry(run.run_id, EventType.RUN_START)])
    outage.start()
    with pytest.raises(StorageUnavailableError) as info:
        instance.handle_new_events([_entry(run.run_id, EventType.RUN_SUCCESS)])
    message = str(info.value)
    assert "Gave up writing after 3 attempt(s)" in message and "the batch was not stored" in message
    assert outage.role in message and "not permitted to log in" in message
    assert "start PostgreSQL" in message
    assert instance.runs_interrupted_by_storage_outage == [run.run_id]

    outage.end()
    assert outage.run_status(run.run_id) == "STARTED"  # the SUCCESS batch was not written
    assert instance.recover_from_storage_outage() == [run.run_id]
    record = instance.get_run_record_by_id(run.run_id)
    assert record is not None and record.dagster_run.status is RunStatus.FAILURE
    [failure] = instance.all_logs(run.run_id, of_type=EventType.RUN_FAILURE)
    assert "storage was unreachable" in failure.user_message
    instance.dispose()


def test_engine_run_interrupted_by_an_outage_ends_failed(outage: Outage) -> None:
    """A real run: the database goes away while a step runs and stays away through the retries."""

    @hw.asset
    def cuts_the_database() -> int:
        outage.start()
        return 1

    storage = SqlStorage(outage.url, retry=RetryPolicy(attempts=2, first_delay=0.05))
    instance = Instance(storage)
    with pytest.raises(StorageUnavailableError, match="Gave up writing after 2 attempt"):
        hw.materialize([cuts_the_database], instance=instance)
    [run_id] = instance.runs_interrupted_by_storage_outage
    outage.end()
    assert outage.run_status(run_id) == "STARTED"
    instance.dispose()  # storage is back: the interrupted run is marked failed on the way out
    assert outage.run_status(run_id) == "FAILURE"
