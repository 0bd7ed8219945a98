"""The Alembic migrations build exactly the schema in storage/sql/schema.py, on every backend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from contracts.storage.databases import database_url
from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.storage.errors import SchemaMismatchError, StorageConfigError, StorageUnavailableError
from headwater.storage.runs import Run
from headwater.storage.sql import HEAD_REVISION, SqlStorage
from headwater.storage.sql.database import Database
from headwater.storage.sql.migrate import (
    MIGRATIONS_DIR,
    SchemaChange,
    current_revision,
    known_revisions,
    upgrade_locked,
)
from headwater.storage.sql.schema import metadata


def test_head_revision_constant_matches_the_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mysql"])
def test_migrated_schema_equals_the_declared_schema(backend: str, tmp_path: Path) -> None:
    with database_url(backend, tmp_path) as url:
        storage = SqlStorage(url)
        try:
            with storage.database.engine.connect() as conn:
                assert current_revision(conn) == HEAD_REVISION
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(context, metadata)
            assert diff == [], f"schema.py and the migrations disagree on {backend}: {diff}"
            SqlStorage(url).dispose()  # a second open finds the schema current
        finally:
            storage.dispose()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "headwater.db"
    SqlStorage.sqlite(path).dispose()
    code = (
        "import sys; from headwater.storage.sql import SqlStorage; "
        f"SqlStorage.sqlite({str(path)!r}).dispose(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_database_from_a_newer_headwater_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "headwater.db"
    SqlStorage.sqlite(path).dispose()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(SchemaMismatchError, match=r"9999.*newer Headwater"):
        SqlStorage.sqlite(path)


def test_unreachable_server_says_how_to_fix() -> None:
    with pytest.raises(
        StorageUnavailableError, match=r"Cannot connect to .*127\.0\.0\.1:1.*start PostgreSQL"
    ):
        SqlStorage("postgresql+psycopg://postgres@127.0.0.1:1/postgres?connect_timeout=2")


def test_bad_urls() -> None:
    with pytest.raises(StorageConfigError, match="Unsupported database 'oracle'"):
        Database("oracle://u@h/db")
    with pytest.raises(StorageConfigError, match="Invalid database URL"):
        Database("not a url")


def test_default_drivers() -> None:
    assert Database("postgresql://u@h/db").url.drivername == "postgresql+psycopg"
    mysql = Database("mysql://u@h/db").url
    assert mysql.drivername == "mysql+pymysql" and mysql.query["charset"] == "utf8mb4"


def test_deadlocks_are_retryable() -> None:
    from headwater.storage.sql.database import is_retryable

    class PgError(Exception):
        sqlstate = "40P01"

    def wrap(orig: Exception) -> sa.exc.DBAPIError:
        return sa.exc.DBAPIError("stmt", {}, orig)

    assert is_retryable(wrap(PgError()))
    assert is_retryable(wrap(Exception(1213, "Deadlock found")))
    assert not is_retryable(wrap(Exception(1062, "Duplicate entry")))
    assert not is_retryable(wrap(ValueError("boom")))


# -- explicit upgrades: an older database is refused on open and upgraded by `migrate`
OLDEST = "0001"


def _make_old_database(url: str) -> None:
    """A database at the oldest revision, holding a finished run with a materialization."""
    db = Database(url)
    try:
        with db.write() as conn:
            upgrade_locked(db, conn, OLDEST)
    finally:
        db.dispose()
    old = SqlStorage(url, check_schema=False)
    # The code of that revision wrote no versions into the asset index (revision 0007 added them).
    try:
        old.run_store.add_run(Run(job_name="job", run_id="old-run"))
        with patch("headwater.storage.sql.events._versions", lambda *args: None):
            old.handle_new_events([_entry(EventType.RUN_START), _mat(), _entry(EventType.RUN_SUCCESS)])
    finally:
        old.dispose()


def _entry(event_type: EventType) -> EventLogEntry:
    return EventLogEntry("old-run", 1_700_000_000.0, Event(event_type, "job"), job_name="job")


def _mat() -> EventLogEntry:
    data = AssetMaterialization(AssetKey("kept"), partition="2024-01-01")
    event = Event(EventType.ASSET_MATERIALIZATION, "job", "s", event_specific_data=data)
    return EventLogEntry("old-run", 1_700_000_001.0, event, job_name="job", step_key="s")


def _schema(conn: sa.Connection) -> dict[str, object]:
    """Tables with their columns (name, type, nullable), indexes and unique constraints."""
    inspector = sa.inspect(conn)
    out: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        columns = [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)]
        indexes = sorted(
            (i["name"] or "", tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
        )
        uniques = sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
        out[table] = (columns, indexes, uniques)
    return out


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mysql"])
def test_older_database_is_refused_then_migrated_in_place(backend: str, tmp_path: Path) -> None:
    assert known_revisions()[0] == OLDEST and HEAD_REVISION != OLDEST
    with database_url(backend, tmp_path / "old") as url:
        _make_old_database(url)
        with pytest.raises(SchemaMismatchError) as info:
            SqlStorage(url)
        message = str(info.value)
        assert f"at schema revision {OLDEST}, the code needs {HEAD_REVISION}" in message
        assert "headwater instance migrate" in message

        migrated = SqlStorage(url, upgrade=True)
        try:
            assert migrated.schema_change == SchemaChange(OLDEST, HEAD_REVISION)
            assert migrated.schema_revision() == HEAD_REVISION
            record = migrated.run_store.get_run_record("old-run")
            assert record is not None and record.dagster_run.status is RunStatus.SUCCESS
            assert len(migrated.event_store.get_logs_for_run("old-run")) == 3
            assert migrated.event_store.get_materialized_partitions(AssetKey("kept")) == {"2024-01-01"}
            # 0007: the versions of a materialization stored before come from its event.
            kept = migrated.event_store.get_asset_versions([AssetKey("kept")])[AssetKey("kept")]
            assert kept.materialized is not None and kept.materialized.timestamp == 1_700_000_001.0
            assert not kept.materialized.has_provenance
        finally:
            migrated.dispose()
        again = SqlStorage(url, upgrade=True)  # migrating a current database is a no-op
        assert again.schema_change is None
        again.dispose()
        reopened = SqlStorage(url)  # and a normal open works again
        try:
            with reopened.database.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, metadata) == []
                migrated_schema = _schema(conn)
        finally:
            reopened.dispose()
        with database_url(backend, tmp_path / "fresh") as fresh_url:
            fresh = SqlStorage(fresh_url)
            try:
                assert fresh.schema_change == SchemaChange(None, HEAD_REVISION)
                with fresh.database.engine.connect() as conn:
                    fresh_schema = _schema(conn)
            finally:
                fresh.dispose()
        assert fresh_schema == migrated_schema, f"fresh and migrated schemas differ on {backend}"


def test_normal_open_never_runs_alembic_on_an_old_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'headwater.db'}"
    _make_old_database(url)
    code = (
        "import sys; from headwater.storage.sql import SqlStorage\n"
        f"try:\n    SqlStorage({url!r})\nexcept Exception as e:\n    print(type(e).__name__)\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["SchemaMismatchError", "False"]


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mysql"])
def test_revision_0005_adds_leader_leases_and_keeps_heartbeats(backend: str, tmp_path: Path) -> None:
    from headwater.storage.daemon import DaemonHeartbeat

    with database_url(backend, tmp_path) as url:
        db = Database(url)
        try:
            with db.write() as conn:
                upgrade_locked(db, conn, "0002")
        finally:
            db.dispose()
        old = SqlStorage(url, check_schema=False)
        try:
            old.daemon_heartbeats.add_heartbeat(
                DaemonHeartbeat(loop_name="run_queue", daemon_id="d", timestamp=1.0)
            )
        finally:
            old.dispose()
        migrated = SqlStorage(url, upgrade=True)
        try:
            assert migrated.schema_change == SchemaChange("0002", HEAD_REVISION)
            assert migrated.daemon_heartbeats.get_heartbeats()["run_queue"].daemon_id == "d"
            lease = migrated.leases.acquire("run_queue", "d", 10.0, 15.0)
            assert lease is not None and lease.token == 1
        finally:
            migrated.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mysql"])
def test_revision_0006_adds_automation_evaluations_and_keeps_leases(backend: str, tmp_path: Path) -> None:
    from headwater.selection.automation.records import ConditionResult, EntityEvaluation
    from headwater.selection.automation.subsets import KeyRanges

    with database_url(backend, tmp_path) as url:
        db = Database(url)
        try:
            with db.write() as conn:
                upgrade_locked(db, conn, "0005")
        finally:
            db.dispose()
        old = SqlStorage(url, check_schema=False)
        try:
            assert old.leases.acquire("automation", "d", 10.0, 15.0) is not None
        finally:
            old.dispose()
        migrated = SqlStorage(url, upgrade=True)
        try:
            assert migrated.schema_change == SchemaChange("0005", HEAD_REVISION)
            lease = migrated.leases.acquire("automation", "d", 30.0, 15.0)
            assert lease is not None and lease.token == 2  # the old lease row was kept
            root = ConditionResult("0", "missing", "Missing", KeyRanges(1, (("", ""),)), 1)
            evaluation = EntityEvaluation("a", False, 1, 1.0, False, 1, KeyRanges(1, (("", ""),)), root)
            migrated.automation.add_evaluations("loc:default_automation_condition_sensor", [evaluation])
            assert migrated.automation.get_evaluations("a")[0].evaluation == evaluation
        finally:
            migrated.dispose()
