"""The asset index keeps versions: for each asset and each partition, the data version, code version
and input data versions of its latest materialization (``materialized_version``) and of its latest
observation with a data version (``observed_version``), as JSON (``core.asset_versions``).

Rows stored before this revision keep NULL there; readers then derive the versions from the event the
row points at (``storage.sql.asset_versions``), so no stored data is rewritten or lost.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TABLES = ("asset_keys", "asset_partitions")
_COLUMNS = ("materialized_version", "observed_version")


def _body() -> sa.types.TypeEngine[str]:
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            for column in _COLUMNS:
                batch.add_column(sa.Column(column, _body(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            for column in _COLUMNS:
                batch.drop_column(column)
