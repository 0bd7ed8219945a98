"""Schedules and sensors: one tick per (instigator, timestamp).

The ``instigators`` and ``ticks`` tables exist since 0001; this makes the ticks index unique, so a due
schedule tick is stored (and so evaluated and acted on) once, even by two daemons at the same time.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("idx_ticks_selector", table_name="ticks")
    op.create_index("uq_ticks_selector_timestamp", "ticks", ["selector_id", "timestamp"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_ticks_selector_timestamp", table_name="ticks")
    op.create_index("idx_ticks_selector", "ticks", ["selector_id", "timestamp"])
