"""Alembic environment: runs on the connection Headwater passes in (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context

from headwater.storage.sql.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Headwater's migrations run through headwater.storage.sql.migrate (or Instance.upgrade()), "
        "which passes the connection; the alembic command line is not supported."
    )
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
