"""The SQL store's dynamic partitions (``DynamicPartitionsDefinition`` keys added at run time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa

from headwater.storage.sql.database import Database
from headwater.storage.sql.schema import dynamic_partitions
from headwater.storage.sql.statements import insert_ignore


class SqlDynamicPartitions:
    """Mixed into the SQL event store."""

    _db: Database
    _clock: Callable[[], float]

    # -- dynamic partitions
    def add_dynamic_partitions(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None:
        if isinstance(partition_keys, str):
            raise TypeError(f"partition_keys must be a list of keys, not the string {partition_keys!r}.")
        if not partition_keys:
            return
        now = self._clock()
        keys = list(dict.fromkeys(partition_keys))
        rows = [
            {"partitions_def_name": partitions_def_name, "partition": k, "create_timestamp": now}
            for k in keys
        ]
        with self._db.write() as conn:
            insert_ignore(conn, dynamic_partitions, rows)

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        d = dynamic_partitions.c
        query = sa.select(d.partition).where(d.partitions_def_name == partitions_def_name).order_by(d.id)
        with self._db.read() as conn:
            return list(conn.execute(query).scalars())

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        d = dynamic_partitions.c
        query = sa.select(d.id).where(
            d.partitions_def_name == partitions_def_name, d.partition == partition_key
        )
        with self._db.read() as conn:
            return conn.execute(query).first() is not None

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        d = dynamic_partitions.c
        with self._db.write() as conn:
            conn.execute(
                sa.delete(dynamic_partitions).where(
                    d.partitions_def_name == partitions_def_name, d.partition == partition_key
                )
            )
