"""Assets: ``AssetNode`` (an asset's definition, from its location's spec, with its state from the
asset index) and ``Asset`` (a key known to storage or to a location, and its history).

A list of asset nodes reads the asset index rows of its page in one query (``RequestContext
.prefetch_entries``) and the latest execution of their checks in another, so the catalog's cost does
not grow with a query per asset.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey
from headwater.core.stale_status import StaleStatus
from headwater.events.event import EventLogRecord
from headwater.events.event_type import EventType
from headwater.specs.asset_graph import AssetCheckNodeSpec, AssetNodeSpec
from headwater.specs.freshness import FRESHNESS_CHECK_NAME
from headwater.storage.records import AssetRecordsFilter
from headwater.webserver.context import REPOSITORY_NAME, RequestContext, as_context
from headwater.webserver.graphql.asset_checks import AssetCheck
from headwater.webserver.graphql.asset_events import MaterializationEvent, ObservationEvent
from headwater.webserver.graphql.asset_keys import AssetKey
from headwater.webserver.graphql.automation import AutomationCondition
from headwater.webserver.graphql.errors import AssetNotFoundError, PythonError
from headwater.webserver.graphql.freshness import (
    FreshnessPolicy,
    FreshnessStatusInfo,
    InternalFreshnessPolicy,
    internal_policy,
    legacy_policy,
    status_info,
)
from headwater.webserver.graphql.limits import page_size
from headwater.webserver.graphql.metadata import MetadataEntry, metadata_entries
from headwater.webserver.graphql.partitions import (
    PartitionDefinition,
    PartitionKeysOrError,
    PartitionStats,
    PartitionStatusRangesOrError,
    partition_keys_page,
    partition_ranges,
    partition_stats,
)
from headwater.webserver.graphql.staleness import StaleCause, staleness_of
from headwater.webserver.graphql.table_metadata import AssetTableMetadata
from headwater.webserver.graphql.tags import DefinitionTag, definition_tags


def _history(
    ctx: RequestContext,
    key: CoreAssetKey,
    event_type: EventType,
    limit: int | None,
    cursor: str | None,
    partitions: list[str] | None,
) -> list[EventLogRecord]:
    records_filter = AssetRecordsFilter(asset_key=key, asset_partitions=partitions)
    event_filter = records_filter.to_event_records_filter(event_type, cursor or None, ascending=False)
    return list(ctx.storage.event_store.get_event_records(event_filter, page_size(limit, default=25), False))


@strawberry.type(description="An asset's definition (from its code location's spec) and its state.")
class AssetNode:
    spec: strawberry.Private[AssetNodeSpec]
    location_name: str
    # Plain attributes, set once by ``of``: a catalog of 10,000 assets reads them without a resolver call.
    id: strawberry.ID
    asset_key: AssetKey
    group_name: str
    description: str | None
    kinds: list[str]
    owners: list[str]
    code_version: str | None
    is_materializable: bool
    is_observable: bool
    is_partitioned: bool
    op_name: str | None = strawberry.field(
        description="The op (or graph) that computes it; null for external assets."
    )

    @strawberry.field
    def tags(self) -> list[DefinitionTag]:
        return definition_tags(self.spec.tags)

    @strawberry.field(
        description="How often the daemon observes this observable source asset, in minutes; null: "
        "it does not."
    )
    def auto_observe_interval_minutes(self) -> float | None:
        return self.spec.auto_observe_interval_minutes

    @strawberry.field(description="The jobs that materialize it.")
    def job_names(self, info: strawberry.Info) -> list[str]:
        return jobs_by_asset(as_context(info.context), self.location_name).get(self.spec.key, [])

    @strawberry.field
    def metadata_entries(self) -> list[MetadataEntry]:
        return metadata_entries(self.spec.metadata)

    @strawberry.field
    def dependency_keys(self) -> list[AssetKey]:
        return [AssetKey.of(k) for k in self.spec.deps]

    @strawberry.field
    def depended_by_keys(self, info: strawberry.Info) -> list[AssetKey]:
        return [AssetKey.of(k) for k in children_of(as_context(info.context)).get(self.spec.key, [])]

    @strawberry.field(description="The upstream assets that have definitions.")
    def dependencies(self, info: strawberry.Info) -> list[AssetNode]:
        ctx = as_context(info.context)
        return [AssetNode.of(*found) for k in self.spec.deps if (found := ctx.asset_node(k)) is not None]

    @strawberry.field(description="The downstream assets.")
    def depended_by(self, info: strawberry.Info) -> list[AssetNode]:
        ctx = as_context(info.context)
        keys = children_of(ctx).get(self.spec.key, [])
        return [AssetNode.of(*found) for k in keys if (found := ctx.asset_node(k)) is not None]

    @strawberry.field
    def partition_definition(self) -> PartitionDefinition | None:
        spec = self.spec.partitions
        return PartitionDefinition.of(spec) if spec is not None else None

    @strawberry.field(description="A page of its partition keys (null when it is not partitioned).")
    def partition_keys(
        self, info: strawberry.Info, cursor: str | None = None, limit: int | None = None
    ) -> PartitionKeysOrError | None:
        spec = self.spec.partitions
        if spec is None:
            return None
        return partition_keys_page(spec, as_context(info.context).storage.event_store, cursor, limit)

    @strawberry.field(description="How many partitions are materialized, failed, materializing.")
    def partition_stats(self, info: strawberry.Info) -> PartitionStats | None:
        spec = self.spec.partitions
        if spec is None:
            return None
        return partition_stats(self.spec.key, spec, as_context(info.context).storage.event_store)

    @strawberry.field(description="Its partitions as ranges of one state each.")
    def partition_status_ranges(self, info: strawberry.Info) -> PartitionStatusRangesOrError | None:
        spec = self.spec.partitions
        if spec is None:
            return None
        try:
            return partition_ranges(self.spec.key, spec, as_context(info.context).storage.event_store)
        except Exception as exc:
            return PythonError.from_exception(exc)

    @strawberry.field(description="When the daemon requests it (null: no automation condition).")
    def automation_condition(self) -> AutomationCondition | None:
        condition = self.spec.automation_condition
        return AutomationCondition.of(condition) if condition is not None else None

    @strawberry.field(
        description="FRESH, STALE or MISSING: whether its data (or the partition's) follows from its "
        "current code and inputs (from the asset index)."
    )
    def stale_status(self, info: strawberry.Info, partition: str | None = None) -> StaleStatus:
        return staleness_of(as_context(info.context), self.spec.key, partition).status

    @strawberry.field(description="Why it (or the partition) is stale; empty when it is not.")
    def stale_causes(self, info: strawberry.Info, partition: str | None = None) -> list[StaleCause]:
        causes = staleness_of(as_context(info.context), self.spec.key, partition).causes
        return [StaleCause.of(c) for c in causes]

    @strawberry.field(description="The status of each of ``partitions``, in order.")
    def stale_status_by_partition(self, info: strawberry.Info, partitions: list[str]) -> list[StaleStatus]:
        ctx = as_context(info.context)
        return [staleness_of(ctx, self.spec.key, p).status for p in partitions]

    @strawberry.field(description="The causes for each of ``partitions``, in order.")
    def stale_causes_by_partition(
        self, info: strawberry.Info, partitions: list[str]
    ) -> list[list[StaleCause]]:
        ctx = as_context(info.context)
        return [[StaleCause.of(c) for c in staleness_of(ctx, self.spec.key, p).causes] for p in partitions]

    @strawberry.field(description="The data version of its latest materialization (or observation).")
    def data_version(self, info: strawberry.Info, partition: str | None = None) -> str | None:
        return staleness_of(as_context(info.context), self.spec.key, partition).data_version

    @strawberry.field(description="The latest materialization (from the asset index).")
    def latest_materialization(self, info: strawberry.Info) -> MaterializationEvent | None:
        entry = as_context(info.context).asset_entry(self.spec.key)
        record = entry.last_materialization_record if entry is not None else None
        return MaterializationEvent.of(record) if record is not None else None

    @strawberry.field(
        description="Row count, column schema, column lineage, table name and URI from the well-known "
        "metadata keys (headwater/… or dagster/…) of the latest materialization, else of the definition."
    )
    def table_metadata(self, info: strawberry.Info) -> AssetTableMetadata:
        entry = as_context(info.context).asset_entry(self.spec.key)
        record = entry.last_materialization_record if entry is not None else None
        event = record.event_log_entry.dagster_event if record is not None else None
        data = event.event_specific_data if event is not None else None
        latest = getattr(getattr(data, "materialization", data), "metadata", None)
        return AssetTableMetadata.of(latest, self.spec.metadata)

    @strawberry.field(description="The latest observation (from the asset index).")
    def latest_observation(self, info: strawberry.Info) -> ObservationEvent | None:
        entry = as_context(info.context).asset_entry(self.spec.key)
        record = entry.last_observation_record if entry is not None else None
        return ObservationEvent.of(record) if record is not None else None

    @strawberry.field(description="The run that last materialized it or planned to.")
    def last_run_id(self, info: strawberry.Info) -> str | None:
        entry = as_context(info.context).asset_entry(self.spec.key)
        return entry.last_run_id if entry is not None else None

    @strawberry.field(description="Whether its latest materialization attempt failed.")
    def latest_materialization_failed(self, info: strawberry.Info) -> bool:
        entry = as_context(info.context).asset_entry(self.spec.key)
        if entry is None or entry.last_failed_to_materialize_storage_id is None:
            return False
        return entry.last_failed_to_materialize_storage_id > (entry.last_materialization_storage_id or -1)

    @strawberry.field(description="Materializations, newest first; cursor: a storageId to continue before.")
    def asset_materializations(
        self,
        info: strawberry.Info,
        limit: int | None = None,
        cursor: str | None = None,
        partitions: list[str] | None = None,
    ) -> list[MaterializationEvent]:
        ctx = as_context(info.context)
        records = _history(ctx, self.spec.key, EventType.ASSET_MATERIALIZATION, limit, cursor, partitions)
        return [MaterializationEvent.of(r) for r in records]

    @strawberry.field(description="Observations, newest first; cursor: a storageId to continue before.")
    def asset_observations(
        self,
        info: strawberry.Info,
        limit: int | None = None,
        cursor: str | None = None,
        partitions: list[str] | None = None,
    ) -> list[ObservationEvent]:
        ctx = as_context(info.context)
        records = _history(ctx, self.spec.key, EventType.ASSET_OBSERVATION, limit, cursor, partitions)
        return [ObservationEvent.of(r) for r in records]

    @strawberry.field(description="Its checks, with their latest executions.")
    def asset_checks(self, info: strawberry.Info) -> list[AssetCheck]:
        ctx = as_context(info.context)
        page = ctx.memo.pop("catalog_page", None)
        if page is not None:  # the first node of a catalog page: read every check of the page at once
            ctx.prefetch_checks([c.key for loc, node in page for c in checks_of(ctx, loc, node)])
        specs = checks_of(ctx, self.location_name, self.spec)
        ctx.prefetch_checks([s.key for s in specs])
        return [AssetCheck.of(s) for s in specs]

    @strawberry.field(description="Its FreshnessPolicy (time window or cron); null when it has none.")
    def internal_freshness_policy(self) -> InternalFreshnessPolicy | None:
        return internal_policy(self.spec)

    @strawberry.field(description="Its LegacyFreshnessPolicy; null when it has none.")
    def freshness_policy(self) -> FreshnessPolicy | None:
        return legacy_policy(self.spec.legacy_freshness_policy)

    @strawberry.field(description="Where it stands against its FreshnessPolicy now (NOT_APPLICABLE: none).")
    def freshness_status_info(self, info: strawberry.Info) -> FreshnessStatusInfo:
        return status_info(as_context(info.context), self.spec)

    @strawberry.field(
        description="Its freshness check (from build_*_freshness_checks), with its latest execution."
    )
    def freshness_check(self, info: strawberry.Info) -> AssetCheck | None:
        ctx = as_context(info.context)
        found = [
            c for c in checks_of(ctx, self.location_name, self.spec) if c.key.name == FRESHNESS_CHECK_NAME
        ]
        return AssetCheck.of(found[0]) if found else None

    @staticmethod
    def of(location_name: str, spec: AssetNodeSpec) -> AssetNode:
        key = spec.key
        return AssetNode(
            spec=spec,
            location_name=location_name,
            id=strawberry.ID(f"{location_name}.{REPOSITORY_NAME}.{key.to_string()}"),
            asset_key=AssetKey(path=list(key.path)),
            group_name=spec.group_name,
            description=spec.description,
            kinds=sorted(spec.kinds),
            owners=list(spec.owners),
            code_version=spec.code_version,
            is_materializable=spec.is_materializable,
            is_observable=spec.is_observable,
            is_partitioned=spec.partitions is not None,
            op_name=spec.node_name,
        )


AssetNodeOrError = Annotated[AssetNode | AssetNotFoundError, strawberry.union("AssetNodeOrError")]


@strawberry.type(description="An asset key known to storage or to a location, and its history.")
class Asset:
    key: AssetKey

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(CoreAssetKey(self.key.path).to_string())

    @strawberry.field(description="Its definition, when a loaded location defines it.")
    def definition(self, info: strawberry.Info) -> AssetNode | None:
        found = as_context(info.context).asset_node(CoreAssetKey(self.key.path))
        return AssetNode.of(*found) if found is not None else None

    @strawberry.field(description="Materializations, newest first; cursor: a storageId to continue before.")
    def asset_materializations(
        self,
        info: strawberry.Info,
        limit: int | None = None,
        cursor: str | None = None,
        partitions: list[str] | None = None,
    ) -> list[MaterializationEvent]:
        ctx = as_context(info.context)
        key = CoreAssetKey(self.key.path)
        return [
            MaterializationEvent.of(r)
            for r in _history(ctx, key, EventType.ASSET_MATERIALIZATION, limit, cursor, partitions)
        ]

    @strawberry.field(description="Observations, newest first; cursor: a storageId to continue before.")
    def asset_observations(
        self,
        info: strawberry.Info,
        limit: int | None = None,
        cursor: str | None = None,
        partitions: list[str] | None = None,
    ) -> list[ObservationEvent]:
        ctx = as_context(info.context)
        key = CoreAssetKey(self.key.path)
        return [
            ObservationEvent.of(r)
            for r in _history(ctx, key, EventType.ASSET_OBSERVATION, limit, cursor, partitions)
        ]


AssetOrError = Annotated[Asset | AssetNotFoundError, strawberry.union("AssetOrError")]


@strawberry.type(description="A page of assets, sorted by key; pass cursor for the next page.")
class AssetConnection:
    nodes: list[Asset]
    cursor: str | None


AssetsOrError = Annotated[AssetConnection | PythonError, strawberry.union("AssetsOrError")]


# -- per-request indexes over the specs ---------------------------------------------------------------
def jobs_by_asset(ctx: RequestContext, location_name: str) -> dict[CoreAssetKey, list[str]]:
    memo_key = ("jobs_by_asset", location_name)
    found = ctx.memo.get(memo_key)
    if found is None:
        spec = ctx.location_spec(location_name)
        found = {}
        for job in spec.jobs if spec is not None else ():
            for node in job.nodes:
                for output in node.outputs:
                    if output.asset_key is not None:
                        names = found.setdefault(output.asset_key, [])
                        if job.name not in names:
                            names.append(job.name)
        ctx.memo[memo_key] = found
    return found  # type: ignore[no-any-return]


def children_of(ctx: RequestContext) -> dict[CoreAssetKey, list[CoreAssetKey]]:
    found = ctx.memo.get("children")
    if found is None:
        found = {}
        for key, (_, node) in ctx.asset_nodes().items():
            for dep in node.deps:
                found.setdefault(dep, []).append(key)
        ctx.memo["children"] = found
    return found  # type: ignore[no-any-return]


def checks_of(ctx: RequestContext, location_name: str, node: AssetNodeSpec) -> list[AssetCheckNodeSpec]:
    memo_key = ("checks", location_name)
    found = ctx.memo.get(memo_key)
    if found is None:
        spec = ctx.location_spec(location_name)
        found = {}
        for check in spec.asset_checks if spec is not None else ():
            found.setdefault(check.key.asset_key, []).append(check)
        ctx.memo[memo_key] = found
    return list(found.get(node.key, []))
