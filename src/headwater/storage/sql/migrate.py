"""The schema of a SQL store: created on first open, upgraded only when asked.

``ensure_schema`` reads ``alembic_version``:

* at ``HEAD_REVISION``: returns at once (Alembic is not even imported);
* no Headwater tables yet: creates the current schema from ``schema.py`` and stamps it (under a
  lock, so several processes starting together create it once);
* an older revision: raises ``SchemaMismatchError`` -- a database is never upgraded behind its
  owner's back -- unless ``upgrade=True`` (``headwater instance migrate``), which runs the Alembic
  migrations in place;
* an unknown (newer) revision: raises ``SchemaMismatchError``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from headwater.storage.errors import SchemaMismatchError
from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import metadata

#: The newest migration in storage/migrations/versions; bump it with every new migration.
HEAD_REVISION = "0007"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_LOCK_NAME = "headwater_migrate"
_PG_LOCK_ID = 0x6865_6164  # "head"
_VERSION_TABLE = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SchemaChange:
    """What opening (or migrating) a database did: ``before`` is None for a new database."""

    before: str | None
    after: str


def current_revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> list[str]:
    """Revisions of the migration scripts, oldest first."""
    return sorted(p.name.split("_", 1)[0].lstrip("v") for p in (MIGRATIONS_DIR / "versions").glob("v*.py"))


def ensure_schema(db: Database, *, upgrade: bool = False) -> SchemaChange | None:
    """Create the schema of a new database, check an existing one (upgrade it if ``upgrade``)."""
    with db.read() as conn:
        revision = current_revision(conn)
    if revision == HEAD_REVISION:
        return None
    _check_revision(db, revision, upgrade)
    if db.dialect == "mysql":
        with db.connection() as conn:
            # MySQL DDL commits implicitly, so a named lock (held by the session) serializes upgrades;
            # the work runs in a transaction begun once the lock is held (a snapshot that sees the
            # schema another process may have just created).
            conn.execute(sa.text("SELECT GET_LOCK(:name, 600)"), {"name": _LOCK_NAME})
            conn.commit()
            try:
                with conn.begin():
                    return _change_locked(db, conn, upgrade)
            finally:
                conn.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": _LOCK_NAME})
                conn.commit()
    with db.write() as conn:  # BEGIN IMMEDIATE on SQLite: one migrating process at a time
        if db.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
        return _change_locked(db, conn, upgrade)


def _change_locked(db: Database, conn: sa.Connection, upgrade: bool) -> SchemaChange | None:
    revision = current_revision(conn)  # again: another process may have got here first
    if revision == HEAD_REVISION:
        return None
    _check_revision(db, revision, upgrade)
    if revision is None:
        log.info("Creating the Headwater schema (revision %s) in %s", HEAD_REVISION, db.describe())
        metadata.create_all(conn)
        _VERSION_TABLE.create(conn, checkfirst=True)
        conn.execute(sa.delete(_VERSION_TABLE))
        conn.execute(sa.insert(_VERSION_TABLE).values(version_num=HEAD_REVISION))
        return SchemaChange(None, HEAD_REVISION)
    upgrade_locked(db, conn, "head")
    return SchemaChange(revision, HEAD_REVISION)


def upgrade_locked(db: Database, conn: sa.Connection, target: str) -> None:
    """Run the Alembic migrations on ``conn`` up to ``target`` (a revision or ``"head"``)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", os.fspath(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    log.info("Migrating %s to schema revision %s", db.describe(), target)
    command.upgrade(config, target)


def _check_revision(db: Database, revision: str | None, upgrade: bool) -> None:
    if revision is None:
        return
    if revision not in known_revisions():
        raise SchemaMismatchError(
            f"The database {db.describe()} has schema revision {revision}, which this version of Headwater "
            f"does not know (newest known: {HEAD_REVISION}). It was written by a newer Headwater: upgrade "
            "Headwater, or point this instance at another database."
        )
    if not upgrade:
        raise SchemaMismatchError(
            f"This store ({db.describe()}) is at schema revision {revision}, the code needs {HEAD_REVISION}: "
            "run `headwater instance migrate` to upgrade it in place (back it up first)."
        )
