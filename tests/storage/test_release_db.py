"""A database written by the previous release (commit aaae449, ``release_db.py``) reads back equal with
today's code: every event row (formats 1 and 2), every run (format 1) and every snapshot."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from headwater.core.asset_key import AssetKey
from headwater.planning.plan import build_plan
from headwater.runs.snapshots import load_job_spec, load_plan
from headwater.storage.runs import Run
from headwater.storage.sql import SqlStorage

from . import release_db
from .test_serde_entries import fields

HERE = Path(__file__).parent
EXPECTED: dict[str, Any] = json.loads((HERE / release_db.EXPECTED_NAME).read_text())


@pytest.fixture
def storage(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[SqlStorage]:
    path = tmp_path / "release.db"
    shutil.copy(HERE / release_db.DB_NAME, path)
    caplog.set_level(logging.WARNING, logger="headwater.storage")
    store = SqlStorage.sqlite(path, upgrade=True)  # later schema revisions migrate it first
    try:
        yield store
    finally:
        store.dispose()
    assert "Skipping event log row" not in caplog.text  # no row was unreadable


def same(a: Any, b: Any) -> bool:
    """Equal, or equal but for NaN metadata values (NaN is never equal to itself; its repr is)."""
    return bool(a == b) or repr(a) == repr(b)


def test_the_fixture_holds_rows_of_both_formats() -> None:
    with closing(sqlite3.connect(HERE / release_db.DB_NAME)) as conn:
        versions = dict(conn.execute("SELECT substr(event, 1, 6), count(*) FROM event_logs GROUP BY 1"))
    assert versions['{"v":1'] >= 15 and versions['{"v":2'] >= 50, versions


def test_every_event_row_reads_back_equal(storage: SqlStorage) -> None:
    built = release_db.entries()
    by_id = dict(zip(EXPECTED["hand_built_ids"], built, strict=True))
    store = storage.event_store
    seen = 0
    for run_id in {entry.run_id for entry in built}:
        for record in store.get_records_for_run(run_id).records:
            assert same(fields(record.event_log_entry), fields(by_id[record.storage_id])), record.storage_id
            seen += 1
    assert seen == len(built)


def test_rows_of_a_real_run_read_back(storage: SqlStorage) -> None:
    hand_built = {run.run_id for run in release_db.runs()}
    real = [
        [r.storage_id, *release_db.describe(r.event_log_entry)]
        for record in storage.run_store.get_run_records()
        if record.dagster_run.run_id not in hand_built
        for r in storage.event_store.get_records_for_run(record.dagster_run.run_id).records
    ]
    assert real == EXPECTED["real_rows"]


def test_runs_read_back_equal(storage: SqlStorage) -> None:
    for run in release_db.runs():
        record = storage.run_store.get_run_record(run.run_id)
        assert record is not None and record.dagster_run == run


def test_snapshots_read_back_equal(storage: SqlStorage) -> None:
    spec = release_db.job_spec()
    runs = storage.run_store
    run = Run("jobby", job_snapshot_id=EXPECTED["job_snapshot_id"])
    assert load_job_spec(runs, run) == spec  # type: ignore[arg-type]
    for snapshot_id, steps in (("plan_snapshot_id", None), ("subset_plan_snapshot_id", ["up", "check"])):
        run = Run("jobby", execution_plan_snapshot_id=EXPECTED[snapshot_id])
        assert load_plan(runs, run) == build_plan(spec, steps)  # type: ignore[arg-type]


def test_the_asset_index_points_at_readable_rows(storage: SqlStorage) -> None:
    built = release_db.entries()
    store = storage.event_store
    for key in (AssetKey("a"), AssetKey(["p", "a"])):
        latest = store.get_latest_materialization_events([key])[key]
        expected = [
            e
            for e in built
            if e.asset_materialization is not None and e.asset_materialization.asset_key == key
        ]
        assert latest is not None and same(fields(latest), fields(expected[-1]))
