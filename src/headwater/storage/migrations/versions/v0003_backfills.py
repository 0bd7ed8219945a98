"""Backfills: their end time as a column (Dagster's ``backfill_end_timestamp``; ``headwater backfill
list`` shows it without reading bodies), and the runs of a backfill by status from one index (the
backfill tick reads them every tick).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("backfills", sa.Column("end_timestamp", sa.Double(), nullable=True))
    op.drop_index("idx_runs_backfill_id", table_name="runs")
    op.create_index("idx_runs_backfill_status", "runs", ["backfill_id", "status"])


def downgrade() -> None:
    op.drop_index("idx_runs_backfill_status", table_name="runs")
    op.create_index("idx_runs_backfill_id", "runs", ["backfill_id"])
    with op.batch_alter_table("backfills") as batch:
        batch.drop_column("end_timestamp")
