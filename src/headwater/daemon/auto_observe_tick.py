"""Auto-observation: at each ``tick(now)``, observe every observable source asset whose
``auto_observe_interval_minutes`` has elapsed since it was last requested.

* **From the specs alone**: the interval is carried in each asset's spec (``AssetNodeSpec``), so the
  daemon never imports user code; the code server checks the run request, as for schedules.
* **Due**: an asset is due when it was never requested, or its last request is more than its interval
  old (Dagster's legacy asset daemon rule: the time of the last *request*, not of the last observation,
  so a failing observation is retried at the interval, not at every tick).
* **Runs**: one run per code location and partitions definition (as Dagster groups them), over the due
  keys and the other keys of their ``@multi_observable_source_asset``, through the implicit asset job;
  a partitioned source is observed by a run without a partition key (its function reports the
  partitions it observed: ``DataVersionsByPartition``).
* **Recorded before acting**: one tick row per location holds, in a single insert, the runs it will
  launch (ids derived from the tick, see ``tick_runs``) and the new per-asset request times (its
  ``cursor``); the runs are launched only after. A tick left STARTED by a crash is finished on the next
  pass: its runs are found by id rather than launched twice, and its request times stand.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping

from headwater.core import codec
from headwater.core.asset_key import AssetKey
from headwater.daemon.code_locations import CodeLocations, loaded_specs
from headwater.daemon.tick_records import joined_error
from headwater.daemon.tick_runs import Launch, Submit, launch_all, plan_runs
from headwater.specs.asset_graph import AssetNodeSpec
from headwater.specs.instigation import RunRequestData
from headwater.storage.instigators import InstigatorTick, InstigatorType, TickData, TickStatus, selector_id
from headwater.storage.protocols import Storage

log = logging.getLogger("headwater.daemon.auto_observe")

#: The instigator name of a location's auto-observe ticks (selector ``<location>:__auto_observe__``).
AUTO_OBSERVE_NAME = "__auto_observe__"
#: The tag on the runs the daemon launches to observe (Dagster's auto-observe runs carry the same one).
AUTO_OBSERVE_TAG = "dagster/auto_observe"


def due_assets(
    nodes: Mapping[AssetKey, AssetNodeSpec] | list[AssetNodeSpec],
    last_requested: Mapping[str, float],
    now: float,
) -> list[AssetNodeSpec]:
    """The observable assets with an interval that are due at ``now``."""
    found = []
    for node in nodes.values() if isinstance(nodes, Mapping) else nodes:
        minutes = node.auto_observe_interval_minutes
        if not node.is_observable or not minutes:
            continue
        last = last_requested.get(node.key.to_user_string())
        if last is None or last + minutes * 60 < now:
            found.append(node)
    return found


def with_siblings(due: list[AssetNodeSpec], observed: list[AssetNodeSpec]) -> list[AssetNodeSpec]:
    """``due`` and the other assets observed by the same function (a ``@multi_observable_source_asset``
    runs whole unless it can subset, and then observing its siblings too costs nothing more)."""
    nodes = {n.node_name for n in due if n.node_name is not None}
    keys = {n.key for n in due}
    return [n for n in observed if n.key in keys or (n.node_name is not None and n.node_name in nodes)]


def _cursor(tick: InstigatorTick | None) -> dict[str, float]:
    if tick is None or not tick.cursor:
        return {}
    try:
        loaded = json.loads(tick.cursor)
    except ValueError:
        log.warning("Auto-observe: ignoring the unreadable cursor of tick %s.", tick.tick_id)
        return {}
    return {str(k): float(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


class AutoObserveTick:
    """The auto-observe loop's tick (the daemon loop protocol: ``name``, ``interval_seconds``, ``tick``)."""

    name = "auto_observe"

    def __init__(
        self,
        storage: Storage,
        locations: CodeLocations,
        submit: Submit,
        *,
        interval_seconds: float = 30.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.storage = storage
        self.locations = locations
        self.submit = submit
        self.interval_seconds = interval_seconds
        self._clock = clock or storage.clock

    def tick(self, now: float) -> None:
        store = self.storage.instigators
        work: list[tuple[str, list[AssetNodeSpec]]] = []
        for location, spec in loaded_specs(self.locations, log, "Auto-observe"):
            observed = [n for n in spec.assets if n.is_observable]
            if any(n.auto_observe_interval_minutes for n in observed):
                work.append((location, observed))
        if not work:
            return
        latest = store.get_latest_ticks(selector_id(loc, AUTO_OBSERVE_NAME) for loc, _ in work)
        pending: list[InstigatorTick] = []
        for location, observed in work:
            last = latest.get(selector_id(location, AUTO_OBSERVE_NAME))
            if last is not None and last.status is TickStatus.STARTED:
                pending.append(last)  # interrupted by a crash: its runs and request times stand
                if last.timestamp >= now:
                    continue
            requested = _cursor(last)
            due = with_siblings(due_assets(observed, requested, now), observed)
            if not due:
                continue
            made = store.create_ticks([self._tick_data(location, due, requested, now)])[0]
            if made is not None:  # else another daemon made this tick, and acts on it
                pending.append(made)
        for tick in pending:
            self._launch(tick)

    def _tick_data(
        self, location: str, due: list[AssetNodeSpec], requested: dict[str, float], now: float
    ) -> TickData:
        groups: dict[str, list[AssetKey]] = {}
        for node in due:
            part = json.dumps(node.partitions and _partitions_key(node), sort_keys=True)
            groups.setdefault(part, []).append(node.key)
        requests = [
            RunRequestData(asset_selection=tuple(sorted(keys, key=_path)), tags={AUTO_OBSERVE_TAG: "true"})
            for _, keys in sorted(groups.items())
        ]
        planned, _ = plan_runs(
            self.storage, InstigatorType.AUTO_OBSERVE, location, AUTO_OBSERVE_NAME, now, requests
        )
        cursor = {**requested, **{n.key.to_user_string(): now for n in due}}
        return TickData(
            location,
            AUTO_OBSERVE_NAME,
            InstigatorType.AUTO_OBSERVE,
            TickStatus.STARTED,
            now,
            evaluated=True,
            planned=planned,
            cursor=json.dumps(cursor, sort_keys=True),
        )

    def _launch(self, tick: InstigatorTick) -> None:
        data = tick.tick_data
        launch = Launch(data.location, data.name, tick.timestamp, None, None, data.planned)
        [outcome] = launch_all(
            self.storage, self.locations, self.submit, InstigatorType.AUTO_OBSERVE, [launch]
        )
        error = joined_error(outcome.errors)
        if error is not None:
            log.warning("Auto-observe in %r: %s", data.location, error.message)
        self.storage.instigators.update_ticks(
            [
                tick.with_data(
                    status=TickStatus.FAILURE if error is not None else TickStatus.SUCCESS,
                    run_ids=tuple(outcome.run_ids),
                    error=error,
                    end_timestamp=self._clock(),
                )
            ]
        )


def _path(key: AssetKey) -> list[str]:
    return list(key.path)


def _partitions_key(node: AssetNodeSpec) -> object:
    return codec.to_builtins(node.partitions)


__all__ = ["AUTO_OBSERVE_NAME", "AUTO_OBSERVE_TAG", "AutoObserveTick", "due_assets", "with_siblings"]
