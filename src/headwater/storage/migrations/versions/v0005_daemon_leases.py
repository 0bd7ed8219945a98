"""Leader leases for the daemon's loops: which replica leads each loop, until when, under which
fencing token (``storage.sql.daemon_store``).

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _key() -> sa.types.TypeEngine[str]:
    return sa.String(255).with_variant(
        mysql.VARCHAR(255, charset="utf8mb4", collation="utf8mb4_bin"), "mysql"
    )


def upgrade() -> None:
    op.create_table(
        "daemon_leases",
        sa.Column("name", _key(), primary_key=True),
        sa.Column("holder", _key(), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False),
        sa.Column("acquired_at", sa.Double(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("daemon_leases")
