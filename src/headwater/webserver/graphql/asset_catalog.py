"""The asset catalog: asset nodes filtered by key, group, kind, owner, tag, location or the selection
syntax, sorted by key and paged."""

from __future__ import annotations

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey
from headwater.errors import HeadwaterError
from headwater.selection.asset_selection import AssetSelection
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.asset_keys import AssetKeyInput
from headwater.webserver.graphql.assets import AssetNode
from headwater.webserver.graphql.errors import InvalidRequestError, PythonError
from headwater.webserver.graphql.limits import MAX_PAGE, page_size
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


def select(
    ctx: RequestContext, f: AssetFilter | None, cursor: str | None, limit: int | None
) -> AssetNodeConnection | InvalidRequestError | PythonError:
    f = f or AssetFilter()
    nodes = ctx.asset_nodes()
    wanted: set[CoreAssetKey] | None = None
    if f.asset_keys is not None:
        wanted = {k.to_key() for k in f.asset_keys}
    if f.selection:
        graph = AssetGraph([node for _, node in nodes.values()])
        try:
            selected = AssetSelection.from_string(f.selection).resolve(graph, allow_missing=True)
        except HeadwaterError as exc:
            return InvalidRequestError(message=str(exc))
        wanted = selected if wanted is None else wanted & selected
    matching = sorted(
        (
            (key.to_string(), loc, node)
            for key, (loc, node) in nodes.items()
            if _matches(node, loc, f, wanted)
        ),
        key=lambda item: item[0],
    )
    start = 0
    if cursor:
        import bisect

        start = bisect.bisect_right([m[0] for m in matching], cursor)
    size = page_size(limit, default=MAX_PAGE)
    page = matching[start : start + size]
    # The index rows and check executions of the page are read in bulk on first use (when asked for).
    ctx.page_keys = [node.key for _, _, node in page]
    ctx.memo["catalog_page"] = [(loc, node) for _, loc, node in page]
    has_more = start + len(page) < len(matching)
    return AssetNodeConnection(
        nodes=[AssetNode.of(loc, node) for _, loc, node in page],
        cursor=page[-1][0] if page else cursor,
        has_more=has_more,
        total_count=len(matching),
    )
