"""The state automation conditions read, from the asset index and the partition status index (never
an event scan): the one ``AutomationStateSource`` behind the daemon's automation loop and
``evaluate_automation_conditions``.

Per unpartitioned asset everything comes from the asset index row (one query for the whole catalog);
per partitioned asset, the materialized partitions and the status exceptions (``get_status_by_partition``),
plus the partitions materialized after the previous evaluation's storage id when the index row says
there are any. An asset with no index row has no events, so none of these is asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.selection.automation.state import NO_STATE, EntityState
from headwater.selection.automation.subsets import EMPTY, UNPARTITIONED
from headwater.selection.partition_status import AssetPartitionStatus
from headwater.storage.protocols import EventStore, RunStore
from headwater.storage.records import AssetCheckExecutionRecordStatus, AssetIndexSummary

_ONE = frozenset((UNPARTITIONED,))

#: Per asset: the index row's latest ids when its partition statuses were read, and those statuses
#: (materialized, in progress, failed). Kept by the daemon across ticks; an entry is only reused
#: while the row is unchanged and nothing was in progress, so it cannot be stale.
StatusCache = dict[AssetKey, tuple[tuple[object, ...], tuple[frozenset[str], frozenset[str], frozenset[str]]]]
_IN_PROGRESS = frozenset(
    {RunStatus.NOT_STARTED, RunStatus.QUEUED, RunStatus.STARTING, RunStatus.STARTED, RunStatus.CANCELING}
)


class StoredAutomationState:
    """Reads entity states from ``storage`` as of now; ``after_storage_id`` is the previous
    evaluation's newest storage id (None on the first evaluation: nothing counts as newly updated)."""

    def __init__(
        self,
        event_store: EventStore,
        run_store: RunStore,
        after_storage_id: int | None,
        upto_storage_id: int | None = None,
        cache: StatusCache | None = None,
    ) -> None:
        self.cache = cache
        self.events = event_store
        self.runs = run_store
        self.after = after_storage_id
        self.upto = upto_storage_id  # this evaluation's newest storage id: later events are the next's
        self._summaries: dict[AssetKey, AssetIndexSummary] | None = None
        self._run_in_progress: dict[str, bool] = {}

    def summaries(self) -> dict[AssetKey, AssetIndexSummary]:
        if self._summaries is None:
            self._summaries = {s.asset_key: s for s in self.events.get_asset_index_summaries(None)}
        return self._summaries

    def _in_progress(self, run_id: str | None) -> bool:
        if run_id is None:
            return False
        found = self._run_in_progress.get(run_id)
        if found is None:
            record = self.runs.get_run_record(run_id)
            found = record is not None and record.dagster_run.status in _IN_PROGRESS
            self._run_in_progress[run_id] = found
        return found

    def _newer(self, storage_id: int | None) -> bool:
        return (
            storage_id is not None
            and self.after is not None
            and storage_id > self.after
            and (self.upto is None or storage_id <= self.upto)
        )

    def asset_state(self, key: AssetKey, partition_keys: Sequence[str], observable: bool) -> EntityState:
        summary = self.summaries().get(key)
        if summary is None:
            return NO_STATE
        if len(partition_keys) == 1 and partition_keys[0] == UNPARTITIONED:
            return self._unpartitioned(key, summary, observable)
        events = self.events
        version = (
            summary.last_materialization_storage_id,
            summary.last_failed_storage_id,
            summary.last_planned_storage_id,
            summary.last_observation_timestamp,
        )
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None and cached[0] == version:
            materialized, in_progress, failed = cached[1]
        else:
            found = events.get_materialized_partitions(key)
            if observable:
                found |= set(events.get_latest_storage_id_by_partition(key, EventType.ASSET_OBSERVATION))
            statuses = events.get_status_by_partition(key)
            materialized = frozenset(found)
            in_progress = frozenset(p for p, s in statuses.items() if s is AssetPartitionStatus.IN_PROGRESS)
            failed = frozenset(p for p, s in statuses.items() if s is AssetPartitionStatus.FAILED)
            if self.cache is not None:
                if in_progress:  # its runs may finish without an event: read it again next time
                    self.cache.pop(key, None)
                else:  # final until a new event of the asset changes its index row
                    self.cache[key] = (version, (materialized, in_progress, failed))
        updated: frozenset[str] = EMPTY
        if self._newer(summary.last_materialization_storage_id) or (observable and self.after is not None):
            kinds = [EventType.ASSET_MATERIALIZATION] + ([EventType.ASSET_OBSERVATION] if observable else [])
            updated = frozenset(
                partition
                for kind in kinds
                for partition, storage_id in events.get_latest_storage_id_by_partition(
                    key, kind, after_cursor=self.after
                ).items()
                if self.upto is None or storage_id <= self.upto
            )
        return EntityState(materialized, in_progress, failed, updated)

    def _unpartitioned(self, key: AssetKey, summary: AssetIndexSummary, observable: bool) -> EntityState:
        mat = summary.last_materialization_storage_id
        materialized = mat is not None
        updated = self._newer(mat)
        if observable and summary.last_observation_timestamp is not None:
            materialized = True
            if self.after is not None:
                records = self.events.get_asset_records([key])
                entry = records[0].asset_entry if records else None
                rec = entry.last_observation_record if entry is not None else None
                updated = updated or (rec is not None and self._newer(rec.storage_id))
        planned = summary.last_planned_storage_id
        done = max(mat or -1, summary.last_failed_storage_id or -1)
        in_progress = (
            planned is not None and planned > done and self._in_progress(summary.last_planned_run_id)
        )
        return EntityState(
            _ONE if materialized else EMPTY,
            _ONE if in_progress else EMPTY,
            _ONE if summary.last_materialization_failed else EMPTY,
            _ONE if updated else EMPTY,
        )

    def check_state(self, key: AssetCheckKey) -> EntityState:
        record = self.events.get_latest_asset_check_execution_by_key([key]).get(key)
        if record is None:
            return NO_STATE
        status = record.status
        in_progress = status is AssetCheckExecutionRecordStatus.PLANNED and self._in_progress(record.run_id)
        executed = status is not AssetCheckExecutionRecordStatus.PLANNED
        newest = record.evaluation_storage_id if record.evaluation_storage_id is not None else record.id
        return EntityState(
            _ONE if executed else EMPTY,
            _ONE if in_progress else EMPTY,
            _ONE if status is AssetCheckExecutionRecordStatus.FAILED else EMPTY,
            _ONE if executed and self._newer(newest) else EMPTY,
        )


__all__ = ["StatusCache", "StoredAutomationState"]
