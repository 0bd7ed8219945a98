"""Staleness on asset nodes (Dagster's ``staleStatus``/``staleCauses`` fields): ``StaleStatus``,
``StaleCause``, computed once per request for the whole workspace from the asset index.

The workspace's asset graph is built once per version of the location specs (kept in the server's
``SortedAssets.memo``); each request reads the versions of every asset in one query and resolves the
whole graph in one pass (``selection.staleness``), so a catalog of 10,000 assets costs one read.
"""

from __future__ import annotations

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey
from headwater.core.stale_status import StaleCause as CoreStaleCause
from headwater.core.stale_status import StaleCauseCategory as CoreCategory
from headwater.core.stale_status import StaleStatus as CoreStatus
from headwater.selection.staleness import PartitionStaleness, Staleness, resolve_staleness
from headwater.specs.asset_graph import AssetGraph
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.asset_keys import AssetKey

StaleStatus = strawberry.enum(
    CoreStatus, description="Whether an asset's data follows from its code and inputs."
)
StaleCauseCategory = strawberry.enum(CoreCategory, description="What kind of change made an asset stale.")


@strawberry.type(description="Why an asset (or partition) is stale.")
class StaleCause:
    key: AssetKey
    partition_key: str | None
    category: CoreCategory
    reason: str
    dependency: AssetKey | None
    dependency_partition_key: str | None

    @staticmethod
    def of(cause: CoreStaleCause) -> StaleCause:
        dep = cause.dependency
        return StaleCause(
            key=AssetKey.of(cause.key),
            partition_key=cause.partition_key,
            category=cause.category,
            reason=cause.reason,
            dependency=AssetKey.of(dep) if dep is not None else None,
            dependency_partition_key=cause.dependency_partition_key,
        )


def workspace_graph(ctx: RequestContext) -> AssetGraph:
    """Every asset of the workspace as one graph (built again only when a location's spec changed)."""
    memo = ctx.sorted_asset_nodes().memo
    graph = memo.get("asset_graph")
    if graph is None:
        graph = memo["asset_graph"] = AssetGraph(node for _, (_, node) in ctx.asset_nodes().items())
    assert isinstance(graph, AssetGraph)
    return graph


def workspace_staleness(ctx: RequestContext) -> dict[CoreAssetKey, Staleness]:
    """The staleness of every asset of the workspace: once per request, and kept across requests
    while neither the specs nor the asset index changed (the UI polls the catalog)."""
    found = ctx.memo.get("staleness")
    if found is None:
        store = ctx.storage.event_store
        stamp = store.get_asset_versions_stamp()
        memo = ctx.sorted_asset_nodes().memo
        kept = memo.get("staleness")
        if kept is not None and kept[0] == stamp:
            versions, found = kept[1], kept[2]
        else:
            versions = store.get_asset_versions()
            found = resolve_staleness(workspace_graph(ctx), versions)
            memo["staleness"] = (stamp, versions, found)
        ctx.memo["asset_versions"] = versions
        ctx.memo["staleness"] = found
    assert isinstance(found, dict)
    return found


def partition_staleness(ctx: RequestContext) -> PartitionStaleness:
    found = ctx.memo.get("partition_staleness")
    if found is None:
        assets = workspace_staleness(ctx)
        store = ctx.storage.event_store
        found = PartitionStaleness(
            workspace_graph(ctx), assets, ctx.memo["asset_versions"], store.get_asset_partition_versions
        )
        ctx.memo["partition_staleness"] = found
    assert isinstance(found, PartitionStaleness)
    return found


def staleness_of(ctx: RequestContext, key: CoreAssetKey, partition: str | None) -> Staleness:
    if partition is None:
        return workspace_staleness(ctx).get(key) or Staleness(CoreStatus.MISSING)
    return partition_staleness(ctx).get(key, partition)
