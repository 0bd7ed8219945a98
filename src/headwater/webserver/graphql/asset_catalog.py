"""The asset catalog: asset nodes filtered by key, group, kind, owner, tag, location or the selection
syntax, sorted by key and paged."""

from __future__ import annotations

import bisect
from typing import NamedTuple, cast

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey
from headwater.core.codec import paused_gc
from headwater.errors import HeadwaterError
from headwater.selection.asset_selection import AssetSelection
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec
from headwater.storage.records import AssetIndexSummary
from headwater.webserver.context import READ_ALL_ABOVE as _READ_ALL_ABOVE
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.asset_keys import AssetKeyInput
from headwater.webserver.graphql.assets import AssetNode, checks_of
from headwater.webserver.graphql.errors import InvalidRequestError, PythonError
from headwater.webserver.graphql.limits import MAX_PAGE, page_size
from headwater.webserver.graphql.scalars import JSON
from headwater.webserver.graphql.staleness import workspace_staleness
from headwater.webserver.graphql.tags import ExecutionTag


@strawberry.input(description="Which assets to list; every field given must match.")
class AssetFilter:
    selection: str | None = strawberry.field(
        default=None, description="Dagster's selection syntax, e.g. 'group:raw and kind:python+'."
    )
    key_substring: str | None = None
    asset_keys: list[AssetKeyInput] | None = None
    groups: list[str] | None = None
    kinds: list[str] | None = None
    owners: list[str] | None = None
    tags: list[ExecutionTag] | None = None
    location_name: str | None = None


@strawberry.type(description="A page of asset nodes, sorted by key; pass cursor for the next page.")
class AssetNodeConnection:
    nodes: list[AssetNode]
    cursor: str | None
    has_more: bool
    total_count: int


def _matches(node: AssetNodeSpec, location: str, f: AssetFilter, wanted: set[CoreAssetKey] | None) -> bool:
    if wanted is not None and node.key not in wanted:
        return False
    if f.location_name is not None and location != f.location_name:
        return False
    if f.key_substring and f.key_substring.lower() not in node.key.to_user_string().lower():
        return False
    if f.groups is not None and node.group_name not in f.groups:
        return False
    if f.kinds is not None and not set(f.kinds) & set(node.kinds):
        return False
    if f.owners is not None and not set(f.owners) & set(node.owners):
        return False
    return not f.tags or all(node.tags.get(t.key) == t.value for t in f.tags)


class _Page(NamedTuple):
    rows: list[tuple[str, str, AssetNodeSpec]]
    cursor: str | None
    has_more: bool
    total_count: int


def _page(ctx: RequestContext, f: AssetFilter | None, cursor: str | None, limit: int | None) -> _Page:
    """The page of assets matching ``f`` after ``cursor`` (a key string), sorted by key string; raises
    ``HeadwaterError`` for a selection that does not parse."""
    f = f or AssetFilter()
    everything = ctx.sorted_asset_nodes()
    wanted: set[CoreAssetKey] | None = None
    if f.asset_keys is not None:
        wanted = {k.to_key() for k in f.asset_keys}
    if f.selection:
        graph = AssetGraph([node for _, _, node in everything.rows])
        selected = AssetSelection.from_string(f.selection).resolve(graph, allow_missing=True)
        wanted = selected if wanted is None else wanted & selected
    if wanted is None and f == AssetFilter():  # the whole catalog: page the sorted list directly
        matching = everything.rows
        start_at = bisect.bisect_right(everything.keys, cursor) if cursor else 0
    else:
        matching = [row for row in everything.rows if _matches(row[2], row[1], f, wanted)]
        start_at = bisect.bisect_right([row[0] for row in matching], cursor) if cursor else 0
    size = page_size(limit, default=MAX_PAGE)
    page = matching[start_at : start_at + size]
    return _Page(page, page[-1][0] if page else cursor, start_at + len(page) < len(matching), len(matching))


def select(
    ctx: RequestContext, f: AssetFilter | None, cursor: str | None, limit: int | None
) -> AssetNodeConnection | InvalidRequestError | PythonError:
    try:
        found = _page(ctx, f, cursor, limit)
    except HeadwaterError as exc:
        return InvalidRequestError(message=str(exc))
    # The index rows and check executions of the page are read in bulk on first use (when asked for).
    ctx.page_keys = [node.key for _, _, node in found.rows]
    ctx.memo["catalog_page"] = [(loc, node) for _, loc, node in found.rows]
    return AssetNodeConnection(
        nodes=[AssetNode.of(loc, node) for _, loc, node in found.rows],
        cursor=found.cursor,
        has_more=found.has_more,
        total_count=found.total_count,
    )


_NEVER = AssetIndexSummary(
    CoreAssetKey(["never materialized"]), None, None, None, None, None, None, None, None
)

#: The values of each row of an ``AssetCatalogPage``, in order.
CATALOG_COLUMNS = [
    "key",  # the key's path, a list of strings
    "groupName",
    "kinds",
    "owners",
    "locationName",
    "isPartitioned",
    "isMaterializable",
    "description",
    "dependencyKeys",  # the upstream keys' paths
    "lastMaterializationTimestamp",  # epoch seconds, or null
    "lastRunId",
    "lastMaterializationFailed",  # its latest attempt failed
    "staleStatus",  # FRESH, STALE or MISSING (see AssetNode.staleStatus)
    "checks",  # [[check name, latest execution status (PLANNED/SUCCEEDED/FAILED) or null], ...]
]


@strawberry.type(
    description="A page of the asset catalog as rows of plain values, one row per asset, in `columns` "
    "order (key path, group, kinds, owners, location, partitioned, materializable, description, upstream "
    "keys, last materialization "
    "time, its run, whether the latest attempt failed, stale status, checks with their latest status). "
    "What a list of "
    "thousands of assets shows, in one value; `assetNodes` gives every field of an asset, typed."
)
class AssetCatalogPage:
    columns: list[str]
    rows: JSON
    cursor: str | None
    has_more: bool
    total_count: int


def catalog_page(
    ctx: RequestContext, f: AssetFilter | None, cursor: str | None, limit: int | None
) -> AssetCatalogPage | InvalidRequestError | PythonError:
    with paused_gc():  # tens of thousands of small objects, all kept for the response
        return _catalog_page(ctx, f, cursor, limit)


def _catalog_page(
    ctx: RequestContext, f: AssetFilter | None, cursor: str | None, limit: int | None
) -> AssetCatalogPage | InvalidRequestError | PythonError:
    try:
        found = _page(ctx, f, cursor, limit)
    except HeadwaterError as exc:
        return InvalidRequestError(message=str(exc))
    everything = ctx.sorted_asset_nodes()
    store = ctx.storage.event_store
    asked = None if len(found.rows) > _READ_ALL_ABOVE else [node.key for _, _, node in found.rows]
    index = {s.asset_key: s for s in store.get_asset_index_summaries(asked)}
    checks = {(loc, node.key): checks_of(ctx, loc, node) for _, loc, node in found.rows}
    latest = store.get_latest_asset_check_execution_by_key([c.key for cs in checks.values() for c in cs])
    static = everything.memo.get("catalog_rows")
    if static is None:  # what the specs alone say of each asset: kept while the specs are unchanged
        static = everything.memo["catalog_rows"] = {
            key: (list(n.key.path), n.group_name, sorted(n.kinds), list(n.owners), loc,
                  n.partitions is not None, n.is_materializable, n.description,
                  [list(d.path) for d in n.deps])
            for key, loc, n in everything.rows
        }  # fmt: skip
    stale = workspace_staleness(ctx)
    rows: list[list[object]] = []
    for key, loc, node in found.rows:
        summary = index.get(node.key) or _NEVER
        specs = checks[(loc, node.key)]
        statuses = (
            [
                [c.key.name, record.status.value if (record := latest.get(c.key)) is not None else None]
                for c in specs
            ]
            if specs
            else []
        )
        rows.append(
            [
                *static[key],
                summary.last_materialization_timestamp,
                summary.last_run_id,
                summary.last_materialization_failed,
                state.status.value if (state := stale.get(node.key)) is not None else "MISSING",
                statuses,
            ]
        )
    return AssetCatalogPage(
        columns=CATALOG_COLUMNS,
        rows=cast(JSON, rows),
        cursor=found.cursor,
        has_more=found.has_more,
        total_count=found.total_count,
    )
