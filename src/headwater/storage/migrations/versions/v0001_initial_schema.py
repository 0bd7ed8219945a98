"""Initial schema: runs, event log and its indexes, checks, partitions, daemon tables, kv.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Self-contained on purpose: a migration is a snapshot and never imports the live schema module.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _key(length: int = 255) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql"
    )


def _body() -> sa.types.TypeEngine[str]:
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql")


def _id() -> sa.Column[int]:
    return sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
    )


def _col(name: str, type_: sa.types.TypeEngine[Any], nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=nullable)


def upgrade() -> None:
    key, body, dbl, bigint = _key, _body, sa.Double, sa.BigInteger
    op.create_table(
        "runs",
        _id(),
        _col("run_id", key(), False),
        _col("job_name", key(), False),
        _col("status", sa.String(63), False),
        _col("run_body", body(), False),
        _col("snapshot_id", key()),
        _col("partition", key()),
        _col("backfill_id", key()),
        _col("parent_run_id", key()),
        _col("root_run_id", key()),
        _col("create_timestamp", dbl(), False),
        _col("update_timestamp", dbl(), False),
        _col("start_time", dbl()),
        _col("end_time", dbl()),
        sa.UniqueConstraint("run_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_runs_job_name", "runs", ["job_name", "id"])
    op.create_index("idx_runs_status", "runs", ["status", "id"])
    op.create_index("idx_runs_update_timestamp", "runs", ["update_timestamp"])
    op.create_index("idx_runs_backfill_id", "runs", ["backfill_id"])

    op.create_table(
        "run_tags",
        _id(),
        _col("run_id", key(), False),
        _col("key", key(), False),
        _col("value", body(), False),
    )
    op.create_index("idx_run_tags_run_id", "run_tags", ["run_id"])
    op.create_index("idx_run_tags_key_value", "run_tags", ["key", "value"], mysql_length={"value": 255})

    op.create_table(
        "snapshots",
        _id(),
        _col("snapshot_id", key(64), False),
        _col("kind", sa.String(63), False),
        _col("body", body(), False),
        sa.UniqueConstraint("snapshot_id"),
    )

    op.create_table(
        "event_logs",
        _id(),
        _col("run_id", key(), False),
        _col("event", body(), False),
        _col("dagster_event_type", sa.String(63)),
        _col("timestamp", dbl(), False),
        _col("step_key", key()),
        _col("asset_key", key(400)),
        _col("partition", key()),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_event_logs_run_id", "event_logs", ["run_id", "id"])
    op.create_index("idx_event_logs_type", "event_logs", ["dagster_event_type", "id"])
    op.create_index("idx_event_logs_asset", "event_logs", ["asset_key", "dagster_event_type", "id"])

    op.create_table(
        "asset_keys",
        _id(),
        _col("asset_key", key(400), False),
        _col("last_materialization_id", bigint()),
        _col("last_run_id", key()),
        _col("last_observation_id", bigint()),
        _col("last_planned_id", bigint()),
        _col("last_planned_run_id", key()),
        _col("last_failed_id", bigint()),
        _col("wipe_timestamp", dbl()),
        sa.UniqueConstraint("asset_key"),
    )
    op.create_table(
        "asset_partitions",
        _id(),
        _col("asset_key", key(400), False),
        _col("partition", key(), False),
        _col("last_materialization_id", bigint()),
        _col("last_materialization_run_id", key()),
        _col("last_observation_id", bigint()),
        _col("last_failed_id", bigint()),
        _col("last_failed_run_id", key()),
        _col("last_planned_id", bigint()),
        _col("last_planned_run_id", key()),
        sa.UniqueConstraint("asset_key", "partition", name="uq_asset_partitions"),
    )
    op.create_table(
        "asset_check_executions",
        _id(),
        _col("asset_key", key(400), False),
        _col("check_name", key(), False),
        _col("partition", key()),
        _col("run_id", key(), False),
        _col("execution_status", sa.String(31), False),
        _col("event", body()),
        _col("evaluation_event_storage_id", bigint()),
        _col("create_timestamp", dbl(), False),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_asset_check_executions", "asset_check_executions", ["asset_key", "check_name", "id"])
    op.create_index("idx_asset_check_executions_run", "asset_check_executions", ["run_id"])
    op.create_table(
        "dynamic_partitions",
        _id(),
        _col("partitions_def_name", key(), False),
        _col("partition", key(), False),
        _col("create_timestamp", dbl(), False),
        sa.UniqueConstraint("partitions_def_name", "partition", name="uq_dynamic_partitions"),
    )

    op.create_table(
        "instigators",
        _id(),
        _col("selector_id", key(), False),
        _col("repository_selector_id", key()),
        _col("instigator_type", sa.String(63), False),
        _col("status", sa.String(63), False),
        _col("instigator_body", body(), False),
        _col("create_timestamp", dbl(), False),
        _col("update_timestamp", dbl(), False),
        sa.UniqueConstraint("selector_id"),
    )
    op.create_table(
        "ticks",
        _id(),
        _col("selector_id", key(), False),
        _col("tick_type", sa.String(63), False),
        _col("status", sa.String(63), False),
        _col("timestamp", dbl(), False),
        _col("tick_body", body(), False),
        _col("update_timestamp", dbl(), False),
    )
    op.create_index("idx_ticks_selector", "ticks", ["selector_id", "timestamp"])
    op.create_index("idx_ticks_status", "ticks", ["selector_id", "status", "timestamp"])
    op.create_table(
        "backfills",
        _id(),
        _col("backfill_id", key(), False),
        _col("status", sa.String(63), False),
        _col("job_name", key()),
        _col("body", body(), False),
        _col("create_timestamp", dbl(), False),
        _col("update_timestamp", dbl(), False),
        sa.UniqueConstraint("backfill_id"),
    )
    op.create_index("idx_backfills_status", "backfills", ["status", "id"])
    op.create_table(
        "daemon_heartbeats",
        sa.Column("daemon_type", key(), primary_key=True),
        _col("daemon_id", key(), False),
        _col("timestamp", dbl(), False),
        _col("body", body()),
    )
    op.create_table(
        "concurrency_limits",
        _id(),
        _col("concurrency_key", key(), False),
        _col("limit", sa.Integer(), False),
        _col("using_default", sa.Boolean(), False),
        _col("update_timestamp", dbl(), False),
        sa.UniqueConstraint("concurrency_key"),
    )
    op.create_table(
        "concurrency_slots",
        _id(),
        _col("concurrency_key", key(), False),
        _col("run_id", key()),
        _col("step_key", key()),
        _col("deleted", sa.Boolean(), False),
        _col("create_timestamp", dbl(), False),
    )
    op.create_index("idx_concurrency_slots", "concurrency_slots", ["concurrency_key", "run_id"])
    op.create_table(
        "pending_steps",
        _id(),
        _col("concurrency_key", key(), False),
        _col("run_id", key(), False),
        _col("step_key", key(), False),
        _col("priority", sa.Integer(), False),
        _col("assigned_timestamp", dbl()),
        _col("create_timestamp", dbl(), False),
        sa.UniqueConstraint("concurrency_key", "run_id", "step_key", name="uq_pending_steps"),
    )
    op.create_table("kv", sa.Column("key", key(), primary_key=True), _col("value", body(), False))


def downgrade() -> None:
    for table in (
        "kv", "pending_steps", "concurrency_slots", "concurrency_limits", "daemon_heartbeats", "backfills",
        "ticks", "instigators", "dynamic_partitions", "asset_check_executions", "asset_partitions",
        "asset_keys", "event_logs", "snapshots", "run_tags", "runs",
    ):  # fmt: skip
        op.drop_table(table)
