"""``wipeAssets``: forget assets' index rows, partition status and check executions (their events stay
in the run logs)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.asset_keys import AssetKey, AssetKeyInput
from headwater.webserver.graphql.errors import (
    AssetNotFoundError,
    PythonError,
    UnauthorizedError,
    UnsupportedOperationError,
)
from headwater.webserver.graphql.launch import READ_ONLY


@strawberry.input(description="Which partitions (a range) -- not supported: whole assets are wiped.")
class PartitionsSelector:
    range_start: str | None = None
    range_end: str | None = None


@strawberry.input(description="An asset to wipe (Dagster's PartitionsByAssetSelector).")
class PartitionsByAssetSelector:
    asset_key: AssetKeyInput
    partitions: PartitionsSelector | None = None


@strawberry.type(description="An asset that was wiped.")
class AssetPartitionRange:
    asset_key: AssetKey


@strawberry.type(description="The assets were wiped.")
class AssetWipeSuccess:
    asset_partition_ranges: list[AssetPartitionRange]


AssetWipeMutationResult = Annotated[
    AssetWipeSuccess | AssetNotFoundError | UnauthorizedError | UnsupportedOperationError | PythonError,
    strawberry.union("AssetWipeMutationResult"),
]


def wipe(ctx: RequestContext, selectors: list[PartitionsByAssetSelector]) -> AssetWipeMutationResult:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    if any(s.partitions is not None for s in selectors):
        return UnsupportedOperationError(
            message="Wiping single partitions is not supported yet: wipe whole assets (leave partitions out)."
        )
    keys = [s.asset_key.to_key() for s in selectors]
    store = ctx.storage.event_store
    unknown = [k for k in keys if not store.has_asset_key(k) and ctx.asset_node(k) is None]
    if unknown:
        return AssetNotFoundError(message=f"No asset {', '.join(k.to_user_string() for k in unknown)}.")
    store.wipe_assets(keys)
    return AssetWipeSuccess(
        asset_partition_ranges=[AssetPartitionRange(asset_key=AssetKey.of(k)) for k in keys]
    )
