"""The instance: where runs and events are stored, how runs are launched and queued, and (with the
daemon, not in this build) the daemons' health."""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.webserver.context import as_context
from headwater.webserver.graphql.errors import NotAvailableError, PythonError, not_available


@strawberry.type(description="One daemon's heartbeat state.")
class DaemonStatus:
    daemon_type: str
    healthy: bool | None
    required: bool
    last_heartbeat_time: float | None
    last_heartbeat_errors: list[PythonError]


@strawberry.type(description="The daemons' health.")
class DaemonHealth:
    all_daemon_statuses: list[DaemonStatus]


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

    @strawberry.field(description="The daemons' heartbeats: not in this build yet.")
    def daemon_health(self) -> DaemonHealthOrError:
        return not_available("Daemon health")
