"""Declarative automation: the ``automation_evaluations`` table, one row per asset (or check) per
evaluation of an automation sensor, with its result tree (``storage.sql.automation_store``). The
sensors' cursors are their instigator state's cursor, as for other sensors.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _key(length: int = 255) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql"
    )


def upgrade() -> None:
    op.create_table(
        "automation_evaluations",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("selector_id", _key(), nullable=False),
        sa.Column("evaluation_id", sa.BigInteger(), nullable=False),
        sa.Column("entity_key", _key(400), nullable=False),
        sa.Column("timestamp", sa.Double(), nullable=False),
        sa.Column("num_requested", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text().with_variant(mysql.LONGTEXT(), "mysql"), nullable=False),
        sa.Column("run_ids", sa.Text().with_variant(mysql.LONGTEXT(), "mysql"), nullable=True),
    )
    op.create_index("idx_automation_evaluations_entity", "automation_evaluations", ["entity_key", "id"])
    op.create_index(
        "idx_automation_evaluations_tick",
        "automation_evaluations",
        ["selector_id", "evaluation_id", "entity_key"],
    )


def downgrade() -> None:
    op.drop_table("automation_evaluations")
