"""The SQL schema: one SQLAlchemy Core definition for SQLite, PostgreSQL and MySQL/MariaDB.

Every change goes with an Alembic migration in ``storage/migrations/versions`` (and a bump of
``HEAD_REVISION`` in ``storage/sql/migrate.py``).

Portability rules: key-like strings are VARCHARs with a binary collation on MySQL (case-sensitive
equality, byte order like SQLite and Python); bodies are TEXT (LONGTEXT on MySQL); times are
epoch seconds in DOUBLE columns; ids are 64-bit autoincrement (INTEGER PRIMARY KEY on SQLite).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

metadata = sa.MetaData()

#: Longest stored asset key (its JSON form) and partition key; longer ones are refused with an error.
MAX_ASSET_KEY_LENGTH = 400
MAX_NAME_LENGTH = 255


def Key(length: int = MAX_NAME_LENGTH) -> sa.types.TypeEngine[str]:
    """A key-like string: binary (case-sensitive) collation on MySQL."""
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql"
    )


def Body() -> sa.types.TypeEngine[str]:
    """A JSON body: TEXT, LONGTEXT on MySQL (TEXT there stops at 64 KiB)."""
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql")


def Id() -> sa.types.TypeEngine[int]:
    """An autoincrement id: BIGINT, INTEGER on SQLite (where only INTEGER PRIMARY KEY autoincrements)."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column[int]:
    return sa.Column("id", Id(), primary_key=True, autoincrement=True)


# -- runs
runs = sa.Table(
    "runs",
    metadata,
    _id(),
    sa.Column("run_id", Key(), nullable=False, unique=True),
    sa.Column("job_name", Key(), nullable=False),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("run_body", Body(), nullable=False),
    sa.Column("snapshot_id", Key(), nullable=True),
    sa.Column("partition", Key(), nullable=True),
    sa.Column("backfill_id", Key(), nullable=True),
    sa.Column("parent_run_id", Key(), nullable=True),
    sa.Column("root_run_id", Key(), nullable=True),
    sa.Column("create_timestamp", sa.Double(), nullable=False),
    sa.Column("update_timestamp", sa.Double(), nullable=False),
    sa.Column("start_time", sa.Double(), nullable=True),
    sa.Column("end_time", sa.Double(), nullable=True),
    sa.Index("idx_runs_job_name", "job_name", "id"),
    sa.Index("idx_runs_status", "status", "id"),
    sa.Index("idx_runs_update_timestamp", "update_timestamp"),
    sa.Index("idx_runs_backfill_status", "backfill_id", "status"),  # revision 0003: a backfill's runs
    sa.Index("idx_runs_finished", "status", "end_time"),  # revision 0002: retention
    sqlite_autoincrement=True,
)

run_tags = sa.Table(
    "run_tags",
    metadata,
    _id(),
    sa.Column("run_id", Key(), nullable=False),
    sa.Column("key", Key(), nullable=False),
    sa.Column("value", Body(), nullable=False),
    sa.Index("idx_run_tags_run_id", "run_id"),
    sa.Index("idx_run_tags_key_value", "key", "value", mysql_length={"value": 255}),
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    _id(),
    sa.Column("snapshot_id", Key(64), nullable=False, unique=True),
    sa.Column("kind", sa.String(63), nullable=False),
    sa.Column("body", Body(), nullable=False),
)

# -- the event log and its indexes
event_logs = sa.Table(
    "event_logs",
    metadata,
    _id(),
    sa.Column("run_id", Key(), nullable=False),
    sa.Column("event", Body(), nullable=False),
    sa.Column("dagster_event_type", sa.String(63), nullable=True),
    sa.Column("timestamp", sa.Double(), nullable=False),
    sa.Column("step_key", Key(), nullable=True),
    sa.Column("asset_key", Key(MAX_ASSET_KEY_LENGTH), nullable=True),
    sa.Column("partition", Key(), nullable=True),
    sa.Index("idx_event_logs_run_id", "run_id", "id"),
    sa.Index("idx_event_logs_type", "dagster_event_type", "id"),
    sa.Index("idx_event_logs_asset", "asset_key", "dagster_event_type", "id"),
    sqlite_autoincrement=True,
)

#: The asset index: one row per asset key, the storage ids of its latest events.
asset_keys = sa.Table(
    "asset_keys",
    metadata,
    _id(),
    sa.Column("asset_key", Key(MAX_ASSET_KEY_LENGTH), nullable=False, unique=True),
    sa.Column("last_materialization_id", sa.BigInteger(), nullable=True),
    sa.Column("last_run_id", Key(), nullable=True),
    sa.Column("last_observation_id", sa.BigInteger(), nullable=True),
    sa.Column("last_planned_id", sa.BigInteger(), nullable=True),
    sa.Column("last_planned_run_id", Key(), nullable=True),
    sa.Column("last_failed_id", sa.BigInteger(), nullable=True),
    sa.Column("wipe_timestamp", sa.Double(), nullable=True),
    # revision 0007: the versions of the latest materialization / versioned observation (core.asset_versions)
    sa.Column("materialized_version", Body(), nullable=True),
    sa.Column("observed_version", Body(), nullable=True),
)

#: The per-(asset, partition) status index, written in the transaction that stores the events.
asset_partitions = sa.Table(
    "asset_partitions",
    metadata,
    _id(),
    sa.Column("asset_key", Key(MAX_ASSET_KEY_LENGTH), nullable=False),
    sa.Column("partition", Key(), nullable=False),
    sa.Column("last_materialization_id", sa.BigInteger(), nullable=True),
    sa.Column("last_materialization_run_id", Key(), nullable=True),
    sa.Column("last_observation_id", sa.BigInteger(), nullable=True),
    sa.Column("last_failed_id", sa.BigInteger(), nullable=True),
    sa.Column("last_failed_run_id", Key(), nullable=True),
    sa.Column("last_planned_id", sa.BigInteger(), nullable=True),
    sa.Column("last_planned_run_id", Key(), nullable=True),
    # revision 0007: as on asset_keys
    sa.Column("materialized_version", Body(), nullable=True),
    sa.Column("observed_version", Body(), nullable=True),
    sa.UniqueConstraint("asset_key", "partition", name="uq_asset_partitions"),
    # revision 0002: covers "which partitions of this asset are materialized" (no table lookups)
    sa.Index("idx_asset_partitions_materialized", "asset_key", "last_materialization_id", "partition"),
)

asset_check_executions = sa.Table(
    "asset_check_executions",
    metadata,
    _id(),
    sa.Column("asset_key", Key(MAX_ASSET_KEY_LENGTH), nullable=False),
    sa.Column("check_name", Key(), nullable=False),
    sa.Column("partition", Key(), nullable=True),
    sa.Column("run_id", Key(), nullable=False),
    sa.Column("execution_status", sa.String(31), nullable=False),
    sa.Column("event", Body(), nullable=True),
    sa.Column("evaluation_event_storage_id", sa.BigInteger(), nullable=True),
    sa.Column("create_timestamp", sa.Double(), nullable=False),
    sa.Index("idx_asset_check_executions", "asset_key", "check_name", "id"),
    sa.Index("idx_asset_check_executions_run", "run_id"),
    sqlite_autoincrement=True,
)

dynamic_partitions = sa.Table(
    "dynamic_partitions",
    metadata,
    _id(),
    sa.Column("partitions_def_name", Key(), nullable=False),
    sa.Column("partition", Key(), nullable=False),
    sa.Column("create_timestamp", sa.Double(), nullable=False),
    sa.UniqueConstraint("partitions_def_name", "partition", name="uq_dynamic_partitions"),
)

# -- the daemon's tables (used from the daemon, backfill and concurrency issues on)
instigators = sa.Table(
    "instigators",
    metadata,
    _id(),
    sa.Column("selector_id", Key(), nullable=False, unique=True),
    sa.Column("repository_selector_id", Key(), nullable=True),
    sa.Column("instigator_type", sa.String(63), nullable=False),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("instigator_body", Body(), nullable=False),
    sa.Column("create_timestamp", sa.Double(), nullable=False),
    sa.Column("update_timestamp", sa.Double(), nullable=False),
)

ticks = sa.Table(
    "ticks",
    metadata,
    _id(),
    sa.Column("selector_id", Key(), nullable=False),
    sa.Column("tick_type", sa.String(63), nullable=False),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("timestamp", sa.Double(), nullable=False),
    sa.Column("tick_body", Body(), nullable=False),
    sa.Column("update_timestamp", sa.Double(), nullable=False),
    # revision 0004: one tick per (instigator, timestamp) -- a due tick is evaluated once
    sa.Index("uq_ticks_selector_timestamp", "selector_id", "timestamp", unique=True),
    sa.Index("idx_ticks_status", "selector_id", "status", "timestamp"),
)

backfills = sa.Table(
    "backfills",
    metadata,
    _id(),
    sa.Column("backfill_id", Key(), nullable=False, unique=True),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("job_name", Key(), nullable=True),
    sa.Column("body", Body(), nullable=False),
    sa.Column("create_timestamp", sa.Double(), nullable=False),
    sa.Column("update_timestamp", sa.Double(), nullable=False),
    sa.Column("end_timestamp", sa.Double(), nullable=True),  # revision 0003
    sa.Index("idx_backfills_status", "status", "id"),
)

daemon_heartbeats = sa.Table(
    "daemon_heartbeats",
    metadata,
    sa.Column("daemon_type", Key(), primary_key=True),
    sa.Column("daemon_id", Key(), nullable=False),
    sa.Column("timestamp", sa.Double(), nullable=False),
    sa.Column("body", Body(), nullable=True),
)

#: Leader leases (revision 0005): one row per loop name, never deleted, so ``token`` only grows.
daemon_leases = sa.Table(
    "daemon_leases",
    metadata,
    sa.Column("name", Key(), primary_key=True),
    sa.Column("holder", Key(), nullable=False),
    sa.Column("token", sa.BigInteger(), nullable=False),
    sa.Column("expires_at", sa.Double(), nullable=False),
    sa.Column("acquired_at", sa.Double(), nullable=False),
)

#: Automation condition evaluations (revision 0006): one row per evaluated asset or check per tick of
#: an automation sensor, the body an ``EntityEvaluation`` (its result tree) as JSON.
automation_evaluations = sa.Table(
    "automation_evaluations",
    metadata,
    _id(),
    sa.Column("selector_id", Key(), nullable=False),
    sa.Column("evaluation_id", sa.BigInteger(), nullable=False),
    sa.Column("entity_key", Key(MAX_ASSET_KEY_LENGTH), nullable=False),
    sa.Column("timestamp", sa.Double(), nullable=False),
    sa.Column("num_requested", sa.Integer(), nullable=False),
    sa.Column("body", Body(), nullable=False),
    sa.Column("run_ids", Body(), nullable=True),
    sa.Index("idx_automation_evaluations_entity", "entity_key", "id"),
    sa.Index("idx_automation_evaluations_tick", "selector_id", "evaluation_id", "entity_key"),
)

concurrency_limits = sa.Table(
    "concurrency_limits",
    metadata,
    _id(),
    sa.Column("concurrency_key", Key(), nullable=False, unique=True),
    sa.Column("limit", sa.Integer(), nullable=False),
    sa.Column("using_default", sa.Boolean(), nullable=False, default=False),
    sa.Column("update_timestamp", sa.Double(), nullable=False),
)

concurrency_slots = sa.Table(
    "concurrency_slots",
    metadata,
    _id(),
    sa.Column("concurrency_key", Key(), nullable=False),
    sa.Column("run_id", Key(), nullable=True),
    sa.Column("step_key", Key(), nullable=True),
    sa.Column("deleted", sa.Boolean(), nullable=False, default=False),
    sa.Column("create_timestamp", sa.Double(), nullable=False),
    sa.Index("idx_concurrency_slots", "concurrency_key", "run_id"),
)

pending_steps = sa.Table(
    "pending_steps",
    metadata,
    _id(),
    sa.Column("concurrency_key", Key(), nullable=False),
    sa.Column("run_id", Key(), nullable=False),
    sa.Column("step_key", Key(), nullable=False),
    sa.Column("priority", sa.Integer(), nullable=False, default=0),
    sa.Column("assigned_timestamp", sa.Double(), nullable=True),
    sa.Column("create_timestamp", sa.Double(), nullable=False),
    sa.UniqueConstraint("concurrency_key", "run_id", "step_key", name="uq_pending_steps"),
)

kv = sa.Table(
    "kv",
    metadata,
    sa.Column("key", Key(), primary_key=True),
    sa.Column("value", Body(), nullable=False),
)
