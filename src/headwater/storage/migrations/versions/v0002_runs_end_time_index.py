"""Index runs by (status, end_time): retention (``headwater instance prune``) finds finished runs
that ended before a cutoff without scanning every run.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("idx_runs_finished", "runs", ["status", "end_time"])


def downgrade() -> None:
    op.drop_index("idx_runs_finished", table_name="runs")
