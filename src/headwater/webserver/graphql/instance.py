"""The instance: where runs and events are stored, how runs are launched and queued, and the daemon's
health (each loop's heartbeat, leader and last error, from the daemon's stores)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.instance.core import Instance as HeadwaterInstance
from headwater.storage.daemon import unhealthy_reason
from headwater.webserver.context import as_context
from headwater.webserver.graphql.errors import NotAvailableError, PythonError, unexpected


@strawberry.type(description="One daemon loop's heartbeat state (Dagster's daemon types are loops here).")
class DaemonStatus:
    id: strawberry.ID
    daemon_type: str = strawberry.field(description="The loop: run_queue, run_monitoring, ...")
    healthy: bool | None
    required: bool = strawberry.field(description="Whether this instance's configuration needs the loop.")
    last_heartbeat_time: float | None
    last_heartbeat_errors: list[PythonError] = strawberry.field(
        description="The last tick's error while the loop keeps failing (empty once a tick succeeds)."
    )
    unhealthy_reason: str | None = strawberry.field(description="Why it is not healthy, in words.")
    daemon_id: str | None = strawberry.field(description="The daemon process that wrote the last heartbeat.")
    leader: str | None = strawberry.field(description="The daemon that holds the loop's lease now.")
    fencing_token: int | None = strawberry.field(description="The lease's token: one more per new leader.")
    consecutive_failures: int


@strawberry.type(description="The daemon's health: every loop the instance needs or that has beaten.")
class DaemonHealth:
    id: strawberry.ID
    all_daemon_statuses: list[DaemonStatus]

    @strawberry.field
    def daemon_status(self, daemon_type: str) -> DaemonStatus | None:
        return next((s for s in self.all_daemon_statuses if s.daemon_type == daemon_type), None)


def daemon_health(instance: HeadwaterInstance) -> DaemonHealth:
    storage = instance.storage
    now = storage.clock()
    required = instance.get_required_daemon_types()
    beats = storage.daemon_heartbeats.get_heartbeats()
    leases = {lease.name: lease for lease in storage.leases.get_leases()}
    statuses = []
    for name in [*required, *sorted(set(beats) - set(required))]:
        beat = beats.get(name)
        lease = leases.get(name)
        reason = unhealthy_reason(beat, now)
        error = beat.last_error if beat is not None and beat.consecutive_failures else None
        statuses.append(
            DaemonStatus(
                id=strawberry.ID(name),
                daemon_type=name,
                healthy=reason is None,
                required=name in required,
                last_heartbeat_time=beat.timestamp if beat is not None else None,
                last_heartbeat_errors=[PythonError.from_traceback(error.message, error.traceback)]
                if error
                else [],
                unhealthy_reason=reason,
                daemon_id=beat.daemon_id if beat is not None else None,
                leader=lease.holder if lease is not None and lease.expires_at > now else None,
                fencing_token=lease.token if lease is not None else None,
                consecutive_failures=beat.consecutive_failures if beat is not None else 0,
            )
        )
    return DaemonHealth(id=strawberry.ID("daemonHealth"), all_daemon_statuses=statuses)


DaemonHealthOrError = Annotated[
    DaemonHealth | NotAvailableError | PythonError, strawberry.union("DaemonHealthOrError")
]


@strawberry.type(description="The run store's database.")
class StorageInfo:
    backend: str
    location: str
    schema_revision: str | None
    runs: int
    events: int


@strawberry.type(description="The run launcher (Dagster's name).")
class RunLauncher:
    name: str


@strawberry.type(description="The run queue's limits (a queued run coordinator only).")
class RunQueueConfig:
    max_concurrent_runs: int
    tag_concurrency_limits_yaml: str | None


@strawberry.type(description="The instance this webserver reads and writes.")
class Instance:
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID("instance")

    @strawberry.field(description="Where the instance lives (HEADWATER_HOME).")
    def root_directory(self, info: strawberry.Info) -> str:
        return as_context(info.context).server.instance.root_directory

    @strawberry.field
    def storage(self, info: strawberry.Info) -> StorageInfo:
        i = as_context(info.context).storage.info()
        return StorageInfo(
            backend=i.backend,
            location=i.location,
            schema_revision=i.schema_revision,
            runs=i.runs,
            events=i.events,
        )

    @strawberry.field
    def run_launcher(self, info: strawberry.Info) -> RunLauncher:
        return RunLauncher(name=type(as_context(info.context).server.instance.run_launcher).__name__)

    @strawberry.field(description="True when runs wait in a queue that the daemon drains.")
    def run_queuing_supported(self, info: strawberry.Info) -> bool:
        return as_context(info.context).server.instance.runs_settings.coordinator == "queued"

    @strawberry.field
    def run_queue_config(self, info: strawberry.Info) -> RunQueueConfig | None:
        instance = as_context(info.context).server.instance
        settings = instance.runs_settings
        if settings.coordinator != "queued":
            return None
        limits = settings.tag_concurrency_limits
        text = "\n".join(f"- key: {t.key}\n  limit: {t.limit}" for t in limits) or None
        return RunQueueConfig(
            max_concurrent_runs=settings.max_concurrent_runs, tag_concurrency_limits_yaml=text
        )

    @strawberry.field(description="Each daemon loop's heartbeat, leader and last error.")
    def daemon_health(self, info: strawberry.Info) -> DaemonHealthOrError:
        try:
            return daemon_health(as_context(info.context).server.instance)
        except Exception as exc:  # the database away: say so in the answer, not as a crash
            return unexpected(exc)
