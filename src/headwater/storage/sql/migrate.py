"""Bring a database to the current schema with Alembic (imported only when there is work to do).

``ensure_schema`` reads ``alembic_version``: at ``HEAD_REVISION`` it returns at once; an empty or
older database is upgraded under a lock (so several processes starting together migrate once); a
database from a newer Headwater is refused.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import sqlalchemy as sa

from headwater.storage.errors import SchemaMismatchError
from headwater.storage.sql.database import Database

#: The newest migration in storage/migrations/versions; bump it with every new migration.
HEAD_REVISION = "0001"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_LOCK_NAME = "headwater_migrate"
_PG_LOCK_ID = 0x6865_6164  # "head"

log = logging.getLogger(__name__)


def current_revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(db: Database) -> None:
    """Create or upgrade the schema of ``db`` to ``HEAD_REVISION``."""
    with db.read() as conn:
        revision = current_revision(conn)
    if revision == HEAD_REVISION:
        return
    _check_known(db, revision)
    if db.dialect == "mysql":
        with db.write() as conn:
            # MySQL DDL commits implicitly, so a named lock (held by the session) serializes upgrades.
            conn.execute(sa.text("SELECT GET_LOCK(:name, 600)"), {"name": _LOCK_NAME})
            try:
                _upgrade_locked(db, conn)
            finally:
                conn.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": _LOCK_NAME})
        return
    with db.write() as conn:  # BEGIN IMMEDIATE on SQLite: one migrating process at a time
        if db.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
        _upgrade_locked(db, conn)


def _upgrade_locked(db: Database, conn: sa.Connection) -> None:
    revision = current_revision(conn)
    if revision == HEAD_REVISION:
        return
    _check_known(db, revision)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", os.fspath(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    log.info(
        "Migrating %s from schema revision %s to %s", db.describe(), revision or "(empty)", HEAD_REVISION
    )
    command.upgrade(config, "head")


def _check_known(db: Database, revision: str | None) -> None:
    if revision is None:
        return
    known = {p.name.split("_", 1)[0].lstrip("v") for p in (MIGRATIONS_DIR / "versions").glob("v*.py")}
    if revision not in known:
        raise SchemaMismatchError(
            f"The database {db.describe()} has schema revision {revision}, which this version of Headwater "
            f"does not know (newest known: {HEAD_REVISION}). It was written by a newer Headwater: upgrade "
            "Headwater, or point this instance at another database."
        )
