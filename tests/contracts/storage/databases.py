"""Fresh databases for tests: a new SQLite file, in-memory SQLite database, PostgreSQL schema or MySQL
database per test.

Servers come from HEADWATER_TEST_POSTGRES_URL / HEADWATER_TEST_MYSQL_URL (scripts/test sets them);
when one does not answer, the test fails and says how to start it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get(
    "HEADWATER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MYSQL_URL = os.environ.get("HEADWATER_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
_HOW = "start it with scripts/services.sh (as root), or point {var} at a running server"
#: Every backend the storage contract runs on: SQLite in a file and in memory, PostgreSQL, MySQL.
BACKENDS = ["sqlite", "sqlite_memory", "postgres", "mysql"]


def _admin_engine(url: str, var: str) -> sa.Engine:
    engine = sa.create_engine(url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        pytest.fail(f"Database server at {url} is not reachable ({exc.orig}); {_HOW.format(var=var)}.")
    return engine


@contextmanager
def postgres_url() -> Iterator[str]:
    """A URL whose connections use a new, empty schema (dropped afterwards)."""
    engine = _admin_engine(POSTGRES_URL, "HEADWATER_TEST_POSTGRES_URL")
    schema = f"hw_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@contextmanager
def mysql_url() -> Iterator[str]:
    """A URL of a new, empty database (dropped afterwards)."""
    engine = _admin_engine(MYSQL_URL, "HEADWATER_TEST_MYSQL_URL")
    name = f"hw_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        yield sa.make_url(MYSQL_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE `{name}`")
        engine.dispose()


@contextmanager
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'headwater.db'}"
    elif backend == "sqlite_memory":
        yield "sqlite://"  # each store opened on it is a new, private database
    elif backend == "postgres":
        with postgres_url() as url:
            yield url
    elif backend == "mysql":
        with mysql_url() as url:
            yield url
    else:
        raise AssertionError(f"unknown SQL backend {backend!r}")
