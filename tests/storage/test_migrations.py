"""The Alembic migrations build exactly the schema in storage/sql/schema.py, on every backend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from contracts.storage.databases import database_url
from headwater.storage.errors import SchemaMismatchError, StorageConfigError, StorageUnavailableError
from headwater.storage.sql import HEAD_REVISION, SqlStorage
from headwater.storage.sql.database import Database
from headwater.storage.sql.migrate import MIGRATIONS_DIR, current_revision
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
    with pytest.raises(StorageConfigError, match=r"Instance\.ephemeral"):
        Database("sqlite://")
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
