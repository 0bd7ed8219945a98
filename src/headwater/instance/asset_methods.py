"""The asset half of ``Instance``: asset events, the asset index, partitions, checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import AssetCheckEvaluation, AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.core.data_version import CODE_VERSION_TAG
from headwater.errors import InvariantViolationError
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.selection.partition_status import AssetPartitionStatus, PartitionStatusRanges
from headwater.selection.staleness import PartitionStaleness, Staleness, resolve_staleness
from headwater.specs.asset_graph import AssetGraph
from headwater.specs.partitions import (
    DynamicPartitionsSpec,
    MultiPartitionsSpec,
    PartitionsSpec,
    StaticPartitionsSpec,
    TimeWindowPartitionsSpec,
    partitions_spec_of,
)
from headwater.storage.partition_status import partition_status_ranges
from headwater.storage.protocols import EventStore
from headwater.storage.records import (
    AssetCheckExecutionRecord,
    AssetPartitionRecord,
    AssetRecord,
    AssetRecordsFilter,
    EventRecordsResult,
    make_result,
)

#: The run id and job name of asset events reported outside any run (as in Dagster).
RUNLESS_RUN_ID = ""
RUNLESS_JOB_NAME = ""


class AssetMethods:
    """Mixed into ``Instance``; reads and writes through ``self._events``."""

    _events: EventStore
    _clock: Callable[[], float]

    def _fetch(
        self,
        event_type: EventType,
        records_filter: AssetKey | AssetRecordsFilter,
        limit: int | None,
        cursor: str | None,
        ascending: bool,
    ) -> EventRecordsResult:
        if not isinstance(records_filter, AssetRecordsFilter):
            records_filter = AssetRecordsFilter(asset_key=AssetKey.from_coercible(records_filter))
        event_filter = records_filter.to_event_records_filter(event_type, cursor, ascending)
        records = self._events.get_event_records(event_filter, limit, ascending)
        return make_result(records, limit, cursor)

    def fetch_materializations(
        self,
        records_filter: AssetKey | AssetRecordsFilter,
        limit: int | None = None,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of an asset's materializations, newest first unless ``ascending``."""
        return self._fetch(EventType.ASSET_MATERIALIZATION, records_filter, limit, cursor, ascending)

    def fetch_observations(
        self,
        records_filter: AssetKey | AssetRecordsFilter,
        limit: int | None = None,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        return self._fetch(EventType.ASSET_OBSERVATION, records_filter, limit, cursor, ascending)

    def fetch_failed_materializations(
        self,
        records_filter: AssetKey | AssetRecordsFilter,
        limit: int | None = None,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        return self._fetch(EventType.ASSET_FAILED_TO_MATERIALIZE, records_filter, limit, cursor, ascending)

    # -- assets
    def get_latest_materialization_event(self, asset_key: AssetKey) -> EventLogEntry | None:
        return self._events.get_latest_materialization_events([asset_key]).get(asset_key)

    def get_latest_materialization_events(
        self, asset_keys: Iterable[AssetKey]
    ) -> Mapping[AssetKey, EventLogEntry | None]:
        return self._events.get_latest_materialization_events(asset_keys)

    def report_runless_asset_event(
        self, asset_event: AssetMaterialization | AssetObservation | AssetCheckEvaluation
    ) -> None:
        """Store an asset event that no run produced (reported from outside Headwater): run id and job
        name are empty, as in Dagster."""
        if isinstance(asset_event, AssetMaterialization):
            event_type = EventType.ASSET_MATERIALIZATION
        elif isinstance(asset_event, AssetObservation):
            event_type = EventType.ASSET_OBSERVATION
        elif isinstance(asset_event, AssetCheckEvaluation):
            event_type = EventType.ASSET_CHECK_EVALUATION
        else:
            raise InvariantViolationError(
                f"Received unexpected asset event type {asset_event!r}: report an AssetMaterialization, "
                "AssetObservation or AssetCheckEvaluation."
            )
        event = Event(event_type, RUNLESS_JOB_NAME, event_specific_data=asset_event)
        self._events.store_events(
            [EventLogEntry(RUNLESS_RUN_ID, self._clock(), event, job_name=RUNLESS_JOB_NAME)]
        )

    def get_latest_materialization_code_versions(
        self, asset_keys: Iterable[AssetKey]
    ) -> Mapping[AssetKey, str | None]:
        """The code version each asset's latest materialization was computed with (its ``code_version``,
        else the id of the run that materialized it); None for an asset never materialized, or
        materialized without one (reported from outside a run)."""
        keys = list(asset_keys)
        latest = self._events.get_latest_materialization_events(keys)
        out: dict[AssetKey, str | None] = {}
        for key in keys:
            entry = latest.get(key)
            mat = entry.asset_materialization if entry is not None else None
            out[key] = (mat.tags or {}).get(CODE_VERSION_TAG) if mat is not None else None
        return out

    def get_stale_status_by_asset(self, asset_graph: AssetGraph) -> Mapping[AssetKey, Staleness]:
        """Headwater: the staleness (status, causes, current data version) of every asset of
        ``asset_graph`` (``Definitions.resolve_asset_graph()``), from the asset index in one query."""
        return resolve_staleness(asset_graph, self._events.get_asset_versions())

    def get_stale_status_by_partition(
        self, asset_graph: AssetGraph, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Mapping[str, Staleness]:
        """Headwater: the staleness of each partition of ``asset_key`` (those given, else those with a
        materialization or observation)."""
        versions = self._events.get_asset_versions()
        resolver = PartitionStaleness(
            asset_graph,
            resolve_staleness(asset_graph, versions),
            versions,
            self._events.get_asset_partition_versions,
        )
        keys = list(partitions) if partitions is not None else sorted(resolver.versions_of(asset_key))
        return resolver.all(asset_key, keys)

    def get_asset_keys(
        self, prefix: Sequence[str] | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Sequence[AssetKey]:
        return self._events.get_asset_keys(prefix, limit, cursor)

    def get_asset_records(self, asset_keys: Sequence[AssetKey] | None = None) -> Sequence[AssetRecord]:
        return self._events.get_asset_records(asset_keys)

    def has_asset_key(self, asset_key: AssetKey) -> bool:
        return self._events.has_asset_key(asset_key)

    def wipe_assets(self, asset_keys: Sequence[AssetKey]) -> None:
        self._events.wipe_assets(list(asset_keys))

    def get_materialized_partitions(
        self, asset_key: AssetKey, before_cursor: int | None = None, after_cursor: int | None = None
    ) -> set[str]:
        return self._events.get_materialized_partitions(asset_key, before_cursor, after_cursor)

    def get_asset_partition_records(
        self, asset_key: AssetKey, partitions: Iterable[str] | None = None
    ) -> Sequence[AssetPartitionRecord]:
        """The partition status index of an asset: latest event ids per partition."""
        return self._events.get_asset_partition_records(asset_key, partitions)

    def get_latest_storage_id_by_partition(
        self,
        asset_key: AssetKey,
        event_type: EventType,
        partitions: set[str] | None = None,
        after_cursor: int | None = None,
    ) -> Mapping[str, int]:
        return self._events.get_latest_storage_id_by_partition(
            asset_key, event_type, partitions, after_cursor
        )

    def get_status_by_partition(
        self, asset_key: AssetKey, partition_keys: Sequence[str], partitions_def: object
    ) -> Mapping[str, AssetPartitionStatus | None]:
        """The status of each of ``partition_keys`` (None: missing), from the partition status index
        (Dagster's method; ``partitions_def`` is a partitions definition or its spec)."""
        _spec_of(partitions_def, asset_key)
        found = self._events.get_status_by_partition(asset_key, partition_keys)
        return {key: found.get(key) for key in partition_keys}

    def get_partition_status_ranges(
        self, asset_key: AssetKey, partitions_def: object
    ) -> PartitionStatusRanges:
        """Every partition of ``asset_key`` as ranges of consecutive keys with one status each, and
        the count of each status (what the webserver shows; 100,000 partitions in a few ranges)."""
        return partition_status_ranges(self._events, asset_key, _spec_of(partitions_def, asset_key))

    def get_latest_asset_check_evaluation_record(
        self, asset_check_key: AssetCheckKey
    ) -> AssetCheckExecutionRecord | None:
        return self._events.get_latest_asset_check_execution_by_key([asset_check_key]).get(asset_check_key)

    def get_asset_check_execution_history(
        self, check_key: AssetCheckKey, limit: int, cursor: int | None = None
    ) -> Sequence[AssetCheckExecutionRecord]:
        return self._events.get_asset_check_execution_history(check_key, limit, cursor)

    # -- dynamic partitions
    def add_dynamic_partitions(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None:
        self._events.add_dynamic_partitions(partitions_def_name, partition_keys)

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        return self._events.get_dynamic_partitions(partitions_def_name)

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        return self._events.has_dynamic_partition(partitions_def_name, partition_key)

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        self._events.delete_dynamic_partition(partitions_def_name, partition_key)


def _spec_of(partitions_def: object, asset_key: AssetKey) -> PartitionsSpec:
    if isinstance(
        partitions_def,
        (StaticPartitionsSpec, TimeWindowPartitionsSpec, DynamicPartitionsSpec, MultiPartitionsSpec),
    ):
        return partitions_def
    spec = partitions_spec_of(partitions_def)
    if spec is None:
        raise InvariantViolationError(
            f"partitions_def for asset {asset_key.to_user_string()!r} must be a partitions definition "
            f"(e.g. DailyPartitionsDefinition(...)) or its spec; got {partitions_def!r}."
        )
    return spec
