"""Stored records and read filters, with Dagster's names and fields.

Runs: ``Run``, ``RunRecord``, ``RunsFilter`` (defined in ``storage.runs``, re-exported here).
Events: ``EventRecordsFilter``, ``AssetRecordsFilter``, ``EventRecordsResult``, ``EventLogConnection``.
Assets: ``AssetEntry``/``AssetRecord`` (the asset index), ``AssetPartitionRecord`` (the per-partition
status index), ``AssetCheckExecutionRecord``.

Cursors are storage ids: event cursors are the decimal string of a storage id (``"42"``), accepted
back as that string or as an int.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.events.event import EventLogEntry, EventLogRecord
from headwater.events.event_type import EventType
from headwater.storage.runs import (
    PARTITION_NAME_TAG,
    RUN_EVENT_TO_STATUS,
    DagsterRun,
    Run,
    RunRecord,
    RunsFilter,
)

__all__ = [
    "ASSET_INDEX_EVENT_TYPES",
    "PARTITION_NAME_TAG",
    "RUN_EVENT_TO_STATUS",
    "AssetCheckExecutionRecord",
    "AssetCheckExecutionRecordStatus",
    "AssetDetails",
    "AssetEntry",
    "AssetIndexSummary",
    "AssetPartitionRecord",
    "AssetRecord",
    "AssetRecordsFilter",
    "DagsterRun",
    "EventLogConnection",
    "EventRecordsFilter",
    "EventRecordsResult",
    "Run",
    "RunRecord",
    "RunsFilter",
    "decode_cursor",
    "encode_cursor",
    "event_type_set",
]

#: Event types that update the asset index and the per-partition status index.
ASSET_INDEX_EVENT_TYPES = frozenset(
    {
        EventType.ASSET_MATERIALIZATION,
        EventType.ASSET_OBSERVATION,
        EventType.ASSET_MATERIALIZATION_PLANNED,
        EventType.ASSET_FAILED_TO_MATERIALIZE,
    }
)


def event_type_set(of_type: EventType | Iterable[EventType] | None) -> frozenset[EventType] | None:
    """Normalize an ``of_type`` argument: one type, several, or None for all."""
    if of_type is None:
        return None
    if isinstance(of_type, EventType):
        return frozenset((of_type,))
    return frozenset(EventType(t) for t in of_type)


def encode_cursor(storage_id: int) -> str:
    return str(storage_id)


def decode_cursor(cursor: str | int | None) -> int | None:
    """The storage id in an event cursor; ``None``/``""`` mean "no cursor"."""
    if cursor is None or cursor == "":
        return None
    if isinstance(cursor, int):
        return cursor
    try:
        return int(cursor)
    except ValueError:
        raise ValueError(
            f"Invalid event cursor {cursor!r}: expected the cursor string returned by a previous "
            "read (a storage id such as '42'), or None to start from the beginning."
        ) from None


@dataclass(frozen=True, slots=True)
class EventRecordsFilter:
    """Which events to read (Dagster's ``EventRecordsFilter``); cursors are storage ids, exclusive."""

    event_type: EventType
    asset_key: AssetKey | None = None
    asset_partitions: Sequence[str] | None = None
    after_cursor: int | None = None
    before_cursor: int | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    storage_ids: Sequence[int] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "event_type", EventType(self.event_type))
        if self.asset_partitions is not None:
            if isinstance(self.asset_partitions, str):
                raise TypeError("asset_partitions must be a list of partition keys, not one string.")
            object.__setattr__(self, "asset_partitions", tuple(self.asset_partitions))
        if self.storage_ids is not None:
            object.__setattr__(self, "storage_ids", tuple(self.storage_ids))
        for name in ("after_cursor", "before_cursor"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, int):
                object.__setattr__(self, name, decode_cursor(value))


@dataclass(frozen=True, slots=True)
class AssetRecordsFilter:
    """Which events of one asset to read (Dagster's ``AssetRecordsFilter``)."""

    asset_key: AssetKey
    asset_partitions: Sequence[str] | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    after_storage_id: int | None = None
    before_storage_id: int | None = None
    storage_ids: Sequence[int] | None = None

    def to_event_records_filter(
        self, event_type: EventType, cursor: str | int | None = None, ascending: bool = False
    ) -> EventRecordsFilter:
        """The equivalent ``EventRecordsFilter``, narrowed by a paging ``cursor``."""
        before, after = cursor_bounds(cursor, ascending)
        if self.before_storage_id is not None:
            before = self.before_storage_id if before is None else min(before, self.before_storage_id)
        if self.after_storage_id is not None:
            after = self.after_storage_id if after is None else max(after, self.after_storage_id)
        return EventRecordsFilter(
            event_type=event_type,
            asset_key=self.asset_key,
            asset_partitions=self.asset_partitions,
            after_cursor=after,
            before_cursor=before,
            after_timestamp=self.after_timestamp,
            before_timestamp=self.before_timestamp,
            storage_ids=self.storage_ids,
        )


def cursor_bounds(cursor: str | int | None, ascending: bool) -> tuple[int | None, int | None]:
    """``(before, after)`` storage ids for a paging cursor: pages continue past the cursor."""
    storage_id = decode_cursor(cursor)
    if storage_id is None:
        return None, None
    return (None, storage_id) if ascending else (storage_id, None)


class EventRecordsResult(NamedTuple):
    """A page of event records, the cursor to pass for the next page, and whether more may follow."""

    records: Sequence[EventLogRecord]
    cursor: str
    has_more: bool


class EventLogConnection(NamedTuple):
    """A page of one run's event records (``get_records_for_run``)."""

    records: Sequence[EventLogRecord]
    cursor: str
    has_more: bool


def make_result(
    records: Sequence[EventLogRecord], limit: int | None, cursor: str | int | None
) -> EventRecordsResult:
    if records:
        new_cursor = encode_cursor(records[-1].storage_id)
    elif cursor is not None and cursor != "":
        new_cursor = str(cursor)
    else:
        new_cursor = encode_cursor(-1)
    return EventRecordsResult(records, new_cursor, limit is not None and len(records) == limit)


@dataclass(frozen=True, slots=True)
class AssetDetails:
    last_wipe_timestamp: float | None = None


@dataclass(frozen=True, slots=True)
class AssetEntry:
    """The asset index row of one asset: its latest events (Dagster's ``AssetEntry``)."""

    asset_key: AssetKey
    last_materialization_record: EventLogRecord | None = None
    last_run_id: str | None = None
    asset_details: AssetDetails | None = None
    last_observation_record: EventLogRecord | None = None
    last_planned_materialization_storage_id: int | None = None
    last_planned_materialization_run_id: str | None = None
    last_failed_to_materialize_record: EventLogRecord | None = None

    @property
    def last_materialization(self) -> EventLogEntry | None:
        rec = self.last_materialization_record
        return rec.event_log_entry if rec is not None else None

    @property
    def last_observation(self) -> EventLogEntry | None:
        rec = self.last_observation_record
        return rec.event_log_entry if rec is not None else None

    @property
    def last_materialization_storage_id(self) -> int | None:
        rec = self.last_materialization_record
        return rec.storage_id if rec is not None else None

    @property
    def last_observation_storage_id(self) -> int | None:
        rec = self.last_observation_record
        return rec.storage_id if rec is not None else None

    @property
    def last_failed_to_materialize_entry(self) -> EventLogEntry | None:
        rec = self.last_failed_to_materialize_record
        return rec.event_log_entry if rec is not None else None

    @property
    def last_failed_to_materialize_storage_id(self) -> int | None:
        rec = self.last_failed_to_materialize_record
        return rec.storage_id if rec is not None else None

    @property
    def last_event_storage_id(self) -> int | None:
        ids = [
            self.last_materialization_storage_id,
            self.last_observation_storage_id,
            self.last_failed_to_materialize_storage_id,
            self.last_planned_materialization_storage_id,
        ]
        present = [i for i in ids if i is not None]
        return max(present) if present else None


@dataclass(frozen=True, slots=True)
class AssetRecord:
    """An asset index row with its storage id (Dagster's ``AssetRecord``)."""

    storage_id: int
    asset_entry: AssetEntry


class AssetIndexSummary(NamedTuple):
    """An asset index row with the timestamps of its latest events but not their bodies: what a list of
    thousands of assets shows (``EventStore.get_asset_index_summaries``)."""

    asset_key: AssetKey
    last_materialization_storage_id: int | None
    last_materialization_timestamp: float | None
    last_run_id: str | None
    last_failed_storage_id: int | None
    last_failed_timestamp: float | None
    last_observation_timestamp: float | None
    last_planned_storage_id: int | None
    last_planned_run_id: str | None

    @property
    def last_materialization_failed(self) -> bool:
        """Its latest materialization attempt failed (a failure newer than its last materialization)."""
        failed = self.last_failed_storage_id
        return failed is not None and failed > (self.last_materialization_storage_id or -1)


@dataclass(frozen=True, slots=True)
class AssetPartitionRecord:
    """The status index row of one partition of one asset: storage ids of its latest events.

    Kept in step with the event log (written in the same batch), so partition status never needs a
    scan of the log.
    """

    asset_key: AssetKey
    partition: str
    last_materialization_storage_id: int | None = None
    last_materialization_run_id: str | None = None
    last_observation_storage_id: int | None = None
    last_failed_storage_id: int | None = None
    last_failed_run_id: str | None = None
    last_planned_storage_id: int | None = None
    last_planned_run_id: str | None = None

    @property
    def is_materialized(self) -> bool:
        """Materialized at least once (Dagster's ``get_materialized_partitions`` membership)."""
        return self.last_materialization_storage_id is not None

    @property
    def is_failed(self) -> bool:
        """The latest materialization attempt failed."""
        failed = self.last_failed_storage_id
        return failed is not None and failed > (self.last_materialization_storage_id or -1)

    @property
    def is_planned(self) -> bool:
        """A materialization is planned later than the latest success or failure (maybe in progress)."""
        planned = self.last_planned_storage_id
        done = max(self.last_materialization_storage_id or -1, self.last_failed_storage_id or -1)
        return planned is not None and planned > done

    def latest_storage_id(self, event_type: EventType) -> int | None:
        if event_type is EventType.ASSET_MATERIALIZATION:
            return self.last_materialization_storage_id
        if event_type is EventType.ASSET_OBSERVATION:
            return self.last_observation_storage_id
        if event_type is EventType.ASSET_FAILED_TO_MATERIALIZE:
            return self.last_failed_storage_id
        if event_type is EventType.ASSET_MATERIALIZATION_PLANNED:
            return self.last_planned_storage_id
        raise ValueError(f"The partition status index does not track {event_type.value} events.")


class AssetCheckExecutionRecordStatus(StrEnum):
    PLANNED = "PLANNED"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class AssetCheckExecutionRecord:
    """One execution of an asset check: planned, then resolved by its evaluation event."""

    key: AssetCheckKey
    id: int
    run_id: str
    status: AssetCheckExecutionRecordStatus
    event: EventLogEntry | None
    create_timestamp: float
    partition: str | None = None
    evaluation_storage_id: int | None = None
