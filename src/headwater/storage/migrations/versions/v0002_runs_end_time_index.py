"""Two indexes for reads that scan:

* runs by (status, end_time): retention (``headwater instance prune``) finds finished runs that
  ended before a cutoff without scanning every run;
* asset_partitions by (asset_key, last_materialization_id, partition): "the materialized partitions
  of this asset" is read from the index alone (100,000 partitions in a few tens of ms).

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
    op.create_index(
        "idx_asset_partitions_materialized",
        "asset_partitions",
        ["asset_key", "last_materialization_id", "partition"],
    )


def downgrade() -> None:
    op.drop_index("idx_asset_partitions_materialized", table_name="asset_partitions")
    op.drop_index("idx_runs_finished", table_name="runs")
