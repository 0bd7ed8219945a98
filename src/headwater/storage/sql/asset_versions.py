"""The SQL event store's versions index: each asset's (and partition's) latest materialization and
versioned observation, with their data, code and input versions (``core.asset_versions``).

The columns are written with the events (``storage.sql.events``). A row written before revision 0007,
or rebuilt after a run's events were deleted, has the event ids but no versions: they are derived
from those events here (one batched read), so that staleness never scans the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec
import sqlalchemy as sa

from headwater.core.asset_key import AssetKey
from headwater.core.asset_versions import AssetVersions, VersionRecord, decode_version_record
from headwater.core.codec import paused_gc
from headwater.storage.sql.database import Database
from headwater.storage.sql.entry_cache import ENTRY_COLUMNS, decode_row
from headwater.storage.sql.schema import asset_keys, asset_partitions, event_logs
from headwater.storage.sql.statements import select_all

_A = asset_keys.c
_P = asset_partitions.c
_PATH = msgspec.json.Decoder(list[str])
_ASSET_COLUMNS = (
    _A.asset_key,
    _A.materialized_version,
    _A.observed_version,
    _A.last_materialization_id,
    _A.last_observation_id,
)
_PARTITION_COLUMNS = (
    _P.partition,
    _P.materialized_version,
    _P.observed_version,
    _P.last_materialization_id,
    _P.last_observation_id,
)


#: Asset keys by their stored form: a graph's staleness is read every few seconds (the UI's catalog),
#: always for the same keys -- building 10,000 AssetKeys was a third of the read.
_KEYS: dict[str, AssetKey] = {}
_MAX_KEYS = 200_000


def _key(stored: str) -> AssetKey:
    key = _KEYS.get(stored)
    if key is None:
        if len(_KEYS) >= _MAX_KEYS:
            _KEYS.clear()
        key = _KEYS[stored] = AssetKey(_PATH.decode(stored))
    return key


class SqlAssetVersions:
    """Mixed into the SQL event store's asset reads."""

    _db: Database

    def _derived_versions(self) -> dict[int, VersionRecord]:
        """This store's versions derived from events (see ``_records_from_events``)."""
        found: dict[int, VersionRecord] | None = self.__dict__.get("_derived")
        if found is None:
            found = self.__dict__["_derived"] = {}
        return found

    def get_asset_versions(
        self, asset_keys_: Sequence[AssetKey] | None = None
    ) -> Mapping[AssetKey, AssetVersions]:
        """The versions of every asset in the index (or of ``asset_keys_``), in one query; assets
        never materialized nor observed with a data version are left out."""
        query = sa.select(*_ASSET_COLUMNS).where(
            sa.or_(_A.last_materialization_id.is_not(None), _A.last_observation_id.is_not(None))
        )
        if asset_keys_ is not None:
            query = query.where(_A.asset_key.in_([k.to_string() for k in asset_keys_]))
        with self._db.read() as conn:
            rows = select_all(conn, query, many=asset_keys_ is None)
            out = _versions_of(conn, [(_key(row[0]), *row[1:]) for row in rows], self._derived_versions())
        return out

    def get_asset_versions_stamp(self) -> tuple[int, ...]:
        """A value that changes whenever ``get_asset_versions()`` may answer differently: from the
        index rows, their count, and the sum and the maximum of their latest materialization and
        observation ids. A new event raises a maximum (ids only grow); a wipe or a row rebuilt after
        a run's events were deleted lowers a sum. One scan of the index, nothing decoded."""
        func, mat, obs = sa.func, _A.last_materialization_id, _A.last_observation_id
        query = sa.select(
            func.count(),
            *(func.coalesce(f(c), 0) for c in (mat, obs) for f in (func.sum, func.max)),
        )
        with self._db.read() as conn:
            row = conn.execute(query).one()
        return tuple(int(v) for v in row)

    def get_asset_partition_versions(
        self, asset_key: AssetKey, partitions: Sequence[str] | None = None
    ) -> Mapping[str, AssetVersions]:
        """The versions of each partition of ``asset_key`` (or of ``partitions``) that was materialized
        or observed."""
        query = sa.select(*_PARTITION_COLUMNS).where(_P.asset_key == asset_key.to_string())
        if partitions is not None:
            query = query.where(_P.partition.in_(list(partitions)))
        with self._db.read() as conn:
            return _versions_of(conn, [tuple(row) for row in conn.execute(query)], self._derived_versions())


def _versions_of(
    conn: sa.Connection, rows: Iterable[tuple[Any, ...]], derived: dict[int, VersionRecord]
) -> dict[Any, AssetVersions]:
    """``(name, materialized, observed, materialization id, observation id)`` rows as versions; a row
    whose materialization has no versions column (stored before revision 0007, or rebuilt) gets them
    from that event. (Observations of that time are not read: they carried no data versions.)"""
    out: dict[Any, AssetVersions] = {}
    legacy: list[tuple[Any, int, VersionRecord | None]] = []
    decode = decode_version_record
    with paused_gc():
        for name, mat_text, obs_text, mat_id, _obs_id in rows:
            mat = decode(mat_text) if mat_text is not None else None
            obs = decode(obs_text) if obs_text is not None else None
            if mat is None and mat_id is not None:
                legacy.append((name, mat_id, obs))
            elif mat is not None or obs is not None:
                out[name] = AssetVersions(mat, obs)
    if legacy:
        records = _records_from_events(conn, [mat_id for _, mat_id, _ in legacy], derived)
        for name, mat_id, obs in legacy:
            mat = records.get(mat_id)
            if mat is not None or obs is not None:
                out[name] = AssetVersions(mat, obs)
    return out


def _records_from_events(
    conn: sa.Connection, ids: list[int], derived: dict[int, VersionRecord]
) -> dict[int, VersionRecord]:
    """The versions recorded by the events ``ids``; ``derived`` keeps them (an event never changes),
    so a store written before revision 0007 is read once per store, not on every staleness query."""
    out = {i: found for i in ids if (found := derived.get(i)) is not None}
    ids = [i for i in ids if i not in out]
    if len(derived) + len(ids) > _MAX_KEYS:
        derived.clear()
    for start in range(0, len(ids), 5000):
        chunk = sorted(set(ids[start : start + 5000]))
        query = sa.select(*ENTRY_COLUMNS).where(event_logs.c.id.in_(chunk))
        for row in conn.execute(query):
            entry = decode_row(row)
            event = entry.dagster_event if entry is not None else None
            if entry is None or event is None:
                continue
            tags = getattr(event.event_specific_data, "tags", None) or {}
            out[row[0]] = derived[row[0]] = VersionRecord.of_event(row[0], entry.timestamp, tags)
    return out


__all__ = ["SqlAssetVersions"]
