"""What the webserver holds: the instance's stores, the workspace's code locations, and, per request, a
memo of what the request has read (location specs, asset index rows) so a list of 10,000 assets reads
each thing once.

Server processes never import user code (DESIGN.md §2): everything about the code arrives as a
``LocationSpec`` from a location's code server, and anything that needs the code (checking a run's
config, building an asset job) is a request to that server (``LocationClient``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.instance.core import Instance
from headwater.locations.client.errors import LocationError, LocationLoadError
from headwater.locations.client.workspace import Workspace
from headwater.specs.asset_graph import AssetNodeSpec
from headwater.specs.location import LocationSpec
from headwater.storage.protocols import Storage
from headwater.storage.records import AssetCheckExecutionRecord, AssetEntry

#: Past this many keys, reading the whole asset index is cheaper than a long IN list.
READ_ALL_ABOVE = 2000

#: The repository name of every location: a location holds one Definitions (Dagster's name for it).
REPOSITORY_NAME = "__repository__"


AssetNodes = dict[AssetKey, tuple[str, AssetNodeSpec]]


class WebserverContext:
    """One per webserver process: the instance (its storage, run coordinator and launcher) and the
    workspace. ``launched_run_ids`` are the runs this process launched (``headwater dev`` cancels those
    still running when it stops)."""

    def __init__(self, instance: Instance, workspace: Workspace, *, read_only: bool = False) -> None:
        self.instance = instance
        self.workspace = workspace
        self.read_only = read_only
        self.launched_run_ids: set[str] = set()
        self.lock = threading.Lock()
        self._sorted_assets: tuple[tuple[tuple[str, str], ...], SortedAssets] | None = None

    @property
    def storage(self) -> Storage:
        return self.instance.storage

    def request(self) -> RequestContext:
        return RequestContext(self)

    def sorted_assets(
        self,
        stamp: tuple[tuple[str, str], ...],
        nodes: Callable[[], dict[AssetKey, tuple[str, AssetNodeSpec]]],
    ) -> SortedAssets:
        """Every asset sorted by key string, built again only when a location's spec changed (``stamp``:
        each loaded location's name and content hash)."""
        cached = self._sorted_assets
        if cached is not None and cached[0] == stamp:
            return cached[1]
        rows = sorted(((k.to_string(), loc, node) for k, (loc, node) in nodes().items()), key=itemgetter(0))
        found = SortedAssets([row[0] for row in rows], rows)
        self._sorted_assets = (stamp, found)
        return found


@dataclass(frozen=True, slots=True)
class SortedAssets:
    """Every asset of the workspace as ``(key string, location name, spec)``, sorted by key string, and
    what resolvers derive from the specs alone (``memo``), kept as long as the specs are unchanged."""

    keys: list[str]
    rows: list[tuple[str, str, AssetNodeSpec]]
    memo: dict[Any, Any] = field(default_factory=dict)


@dataclass
class LocationState:
    """A location as one request sees it: its spec, or why it has none."""

    name: str
    spec: LocationSpec | None
    error: LocationError | None

    @property
    def load_error(self) -> LocationLoadError | None:
        return self.error if isinstance(self.error, LocationLoadError) else None


@dataclass
class RequestContext:
    """The GraphQL context of one request (or one subscription)."""

    server: WebserverContext
    #: How the operation arrived: "post", "get" or "websocket" (mutations run from "post" only).
    transport: str = "post"
    _locations: dict[str, LocationState] = field(default_factory=dict)
    _assets: dict[AssetKey, tuple[str, AssetNodeSpec]] | None = None
    _entries: dict[AssetKey, AssetEntry | None] = field(default_factory=dict)
    _checks: dict[AssetCheckKey, AssetCheckExecutionRecord | None] = field(default_factory=dict)
    #: The keys of the asset list being resolved: the first asset that needs its index row reads the
    #: rows of all of them.
    page_keys: list[AssetKey] | None = None
    #: Indexes a resolver builds once per request (jobs by asset, children...).
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def storage(self) -> Storage:
        return self.server.storage

    # -- locations --------------------------------------------------------------------------------------
    def location_names(self) -> list[str]:
        return self.server.workspace.location_names

    def location(self, name: str) -> LocationState:
        """The location's spec (fetched again only when its code changed) or its error; raises
        ``LocationRequestError`` for a name the workspace does not have."""
        state = self._locations.get(name)
        if state is None:
            handle = self.server.workspace.location(name)
            try:
                state = LocationState(name, handle.spec(), None)
            except LocationError as exc:
                state = LocationState(name, None, handle.error() or exc)
            self._locations[name] = state
        return state

    def forget(self, name: str) -> None:
        self._locations.pop(name, None)
        self._assets = None
        self.memo.clear()

    def loaded_locations(self) -> list[tuple[str, LocationSpec]]:
        out = []
        for name in self.location_names():
            state = self.location(name)
            if state.spec is not None:
                out.append((name, state.spec))
        return out

    # -- assets across locations ------------------------------------------------------------------------
    def asset_nodes(self) -> dict[AssetKey, tuple[str, AssetNodeSpec]]:
        """Every asset of every loaded location, with its location's name. A key defined in several
        locations (an external asset beside its definition) keeps the materializable definition."""
        if self._assets is None:
            nodes: dict[AssetKey, tuple[str, AssetNodeSpec]] = {}
            for name, spec in self.loaded_locations():
                for node in spec.assets:
                    seen = nodes.get(node.key)
                    if seen is None or (node.is_materializable and not seen[1].is_materializable):
                        nodes[node.key] = (name, node)
            self._assets = nodes
        return self._assets

    def sorted_asset_nodes(self) -> SortedAssets:
        """``asset_nodes`` sorted by key string (kept by the server while no location changed)."""
        stamp = tuple((name, spec.content_hash) for name, spec in self.loaded_locations())
        return self.server.sorted_assets(stamp, self.asset_nodes)

    def asset_node(self, key: AssetKey) -> tuple[str, AssetNodeSpec] | None:
        return self.asset_nodes().get(key)

    def location_spec(self, name: str) -> LocationSpec | None:
        return self.location(name).spec

    # -- the asset index, read in bulk --------------------------------------------------------------------
    def prefetch_entries(self, keys: Iterable[AssetKey]) -> None:
        """Read the asset index rows of ``keys`` in one query (a list resolver calls this first)."""
        wanted = [k for k in keys if k not in self._entries]
        if not wanted:
            return
        for key in wanted:
            self._entries[key] = None
        asked = None if len(wanted) > READ_ALL_ABOVE else wanted
        for record in self.storage.event_store.get_asset_records(asked):
            key = record.asset_entry.asset_key
            if key in self._entries:
                self._entries[key] = record.asset_entry

    def asset_entry(self, key: AssetKey) -> AssetEntry | None:
        if key not in self._entries:
            page, self.page_keys = self.page_keys, None
            self.prefetch_entries(page if page is not None and key in set(page) else [key])
        return self._entries.get(key)

    def prefetch_checks(self, keys: Sequence[AssetCheckKey]) -> None:
        wanted = [k for k in keys if k not in self._checks]
        if not wanted:
            return
        found = self.storage.event_store.get_latest_asset_check_execution_by_key(wanted)
        for key in wanted:
            self._checks[key] = found.get(key)

    def latest_check_execution(self, key: AssetCheckKey) -> AssetCheckExecutionRecord | None:
        if key not in self._checks:
            self.prefetch_checks([key])
        return self._checks.get(key)


def as_context(value: Any) -> RequestContext:
    """The RequestContext of a resolver's ``info.context``."""
    if isinstance(value, RequestContext):
        return value
    context = value.get("request_context") if isinstance(value, dict) else None
    if isinstance(context, RequestContext):
        return context
    raise TypeError(f"Not a webserver request context: {value!r}")
