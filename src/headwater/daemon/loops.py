"""Which loops a daemon runs, built from an ``Instance``.

``LOOP_FACTORIES`` is the registry: one ``(name, factory)`` per loop, in the order the daemon starts
them. A factory takes the ``DaemonContext`` and returns the loop built from the parts it needs (the
storage, the run coordinator and launcher, the code locations). Which loops run is the instance's
``get_required_daemon_types()`` (the run queue only with a queued run coordinator, run monitoring
only while ``run_monitoring.enabled``; the scheduler, sensors, backfills, automation and
auto-observation always): ``daemon status`` and the webserver's daemon health read the same list.
Adding a loop is one factory, one entry in the list, and its name in ``get_required_daemon_types``.
The scheduler, sensor, automation and auto-observe loops start the code-location servers of the
daemon's ``-m``/``-f``/``-w`` (with none, they have nothing to evaluate).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from headwater.daemon.loop import DaemonLoop, DaemonRunner, LeaderFence
from headwater.daemon.monitor_loop import RunMonitoringLoop
from headwater.daemon.run_queue_loop import RunQueueLoop
from headwater.instance.core import Instance

if TYPE_CHECKING:
    from headwater.locations.client.workspace import Workspace
    from headwater.locations.client.workspace_file import LocationEntry


@dataclass
class DaemonContext:
    """What loop factories build loops from. ``workspace()`` starts the code-location servers on
    first use, so a daemon whose loops need no user code (run queue, monitoring) starts none."""

    instance: Instance
    fence: LeaderFence
    locations: Sequence[LocationEntry] = ()
    _workspace: Workspace | None = field(default=None, repr=False)

    def still_leader(self, name: str) -> Callable[[], bool]:
        """The fencing check of loop ``name``, for loops that act on shared state."""
        return partial(self.fence.check, name)

    def workspace(self) -> Workspace:
        if self._workspace is None:
            from headwater.locations.client.workspace import Workspace

            self._workspace = Workspace(list(self.locations)).start()
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


LoopFactory = Callable[[DaemonContext], DaemonLoop]


def run_queue_loop(context: DaemonContext) -> DaemonLoop:
    instance = context.instance
    settings = instance.runs_settings
    return RunQueueLoop(
        instance.storage,
        settings,
        instance.run_launcher,
        still_leader=context.still_leader(RunQueueLoop.name),
    )


def run_monitoring_loop(context: DaemonContext) -> DaemonLoop:
    instance = context.instance
    settings = instance.runs_settings
    return RunMonitoringLoop(
        instance.storage,
        settings,
        instance.run_coordinator,
        instance.run_launcher,
        still_leader=context.still_leader(RunMonitoringLoop.name),
    )


def _location_tick(context: DaemonContext, tick_class: Any) -> DaemonLoop:
    """A tick that evaluates through the code locations and submits the runs it asks for."""
    from headwater.daemon.code_locations import WorkspaceLocations
    from headwater.daemon.tick_runs import submitter

    instance = context.instance
    submit = submitter(instance.storage, instance.run_coordinator, instance.run_launcher)
    loop: DaemonLoop = tick_class(instance.storage, WorkspaceLocations(context.workspace()), submit)
    return loop


def scheduler_loop(context: DaemonContext) -> DaemonLoop:
    from headwater.daemon.scheduler_tick import SchedulerTick

    return _location_tick(context, SchedulerTick)


def sensor_loop(context: DaemonContext) -> DaemonLoop:
    from headwater.daemon.sensor_tick import SensorTick

    return _location_tick(context, SensorTick)


def backfill_loop(context: DaemonContext) -> DaemonLoop:
    from headwater.daemon.backfill_tick import BackfillDaemon

    instance = context.instance
    return BackfillDaemon(instance.storage, instance.run_coordinator, instance.run_launcher)


def automation_loop(context: DaemonContext) -> DaemonLoop:
    from headwater.daemon.automation_tick import AutomationTick

    return _location_tick(context, AutomationTick)


def auto_observe_loop(context: DaemonContext) -> DaemonLoop:
    from headwater.daemon.auto_observe_tick import AutoObserveTick

    return _location_tick(context, AutoObserveTick)


#: Every loop the daemon knows, in start order.
LOOP_FACTORIES: list[tuple[str, LoopFactory]] = [
    ("run_queue", run_queue_loop),
    ("run_monitoring", run_monitoring_loop),
    ("scheduler", scheduler_loop),
    ("sensors", sensor_loop),
    ("backfills", backfill_loop),
    ("automation", automation_loop),
    ("auto_observe", auto_observe_loop),
]


def loop_names() -> list[str]:
    return [name for name, _ in LOOP_FACTORIES]


def build_loops(context: DaemonContext, only: Sequence[str] | None = None) -> list[DaemonLoop]:
    """The loops ``context.instance`` calls for (``only``: just these names)."""
    known = loop_names()
    unknown = [n for n in only or () if n not in known]
    if unknown:
        raise ValueError(f"Unknown daemon loop(s) {', '.join(unknown)}; the loops are: {', '.join(known)}.")
    required = set(context.instance.get_required_daemon_types())
    missing = sorted(required - set(known))
    if missing:
        raise ValueError(
            f"The instance needs daemon loop(s) {', '.join(missing)} that this daemon cannot build."
        )
    return [
        factory(context)
        for name, factory in LOOP_FACTORIES
        if name in required and (only is None or name in only)
    ]


def build_runner(context: DaemonContext, only: Sequence[str] | None = None, **options: Any) -> DaemonRunner:
    """A ``DaemonRunner`` of the loops ``context.instance`` calls for, sharing the context's fence (so
    the loops' fencing checks see the leases the runner holds); ``options`` go to the runner."""
    return DaemonRunner(build_loops(context, only), context.instance.storage, fence=context.fence, **options)
