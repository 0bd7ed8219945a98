"""Code locations: the workspace's entries, each loaded (a ``RepositoryLocation`` with one
``Repository``: the location's Definitions) or failed (a ``PythonError`` with the user's traceback,
and ``loadError`` with the file and line where the code broke)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from headwater.specs.location import LocationSpec
from headwater.webserver.context import REPOSITORY_NAME, LocationState, as_context
from headwater.webserver.graphql.assets import AssetNode
from headwater.webserver.graphql.errors import PythonError, SourceLocation, innermost_frame
from headwater.webserver.graphql.instigators import Schedule, Sensor
from headwater.webserver.graphql.jobs import Job


@strawberry.enum(description="Whether a location is being (re)loaded.")
class RepositoryLocationLoadStatus(Enum):
    LOADING = "LOADING"
    LOADED = "LOADED"


@strawberry.type(description="A resource of the location: its key, class and config schema.")
class Resource:
    key: str
    type_name: str
    description: str | None


@strawberry.type(description="The Definitions of a code location (Dagster calls it a repository).")
class Repository:
    spec: strawberry.Private[LocationSpec]
    location_name: str

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(f"{self.location_name}.{REPOSITORY_NAME}")

    @strawberry.field
    def name(self) -> str:
        return REPOSITORY_NAME

    @strawberry.field
    def location(self) -> RepositoryLocation:
        return RepositoryLocation(spec=self.spec, name=self.location_name)

    @strawberry.field
    def jobs(self) -> list[Job]:
        return [Job(spec=j, location_name=self.location_name) for j in self.spec.jobs]

    @strawberry.field(description="Dagster's name of jobs.")
    def pipelines(self) -> list[Job]:
        return [Job(spec=j, location_name=self.location_name) for j in self.spec.jobs]

    @strawberry.field
    def asset_nodes(self) -> list[AssetNode]:
        return [AssetNode.of(self.location_name, a) for a in self.spec.assets]

    @strawberry.field
    def asset_groups(self) -> list[str]:
        return sorted({a.group_name for a in self.spec.assets})

    @strawberry.field
    def schedules(self) -> list[Schedule]:
        return [Schedule(spec=s, location_name=self.location_name) for s in self.spec.schedules]

    @strawberry.field
    def sensors(self) -> list[Sensor]:
        return [Sensor(spec=s, location_name=self.location_name) for s in self.spec.sensors]

    @strawberry.field
    def resources(self) -> list[Resource]:
        return [
            Resource(key=r.key, type_name=r.type_name, description=r.description) for r in self.spec.resources
        ]


@strawberry.type(description="A loaded code location.")
class RepositoryLocation:
    spec: strawberry.Private[LocationSpec]
    name: str

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.name)

    @strawberry.field
    def is_reload_supported(self) -> bool:
        return True

    @strawberry.field(description="The sha256 of its spec: changes when its code does.")
    def version_key(self) -> str:
        return self.spec.content_hash

    @strawberry.field
    def repositories(self) -> list[Repository]:
        return [Repository(spec=self.spec, location_name=self.name)]


RepositoryLocationOrLoadError = Annotated[
    RepositoryLocation | PythonError, strawberry.union("RepositoryLocationOrLoadError")
]


@strawberry.type(description="Why a location's code failed to load: message, traceback, file and line.")
class LocationLoadError:
    message: str
    traceback: str | None
    source: SourceLocation | None


@strawberry.type(description="An entry of the workspace: a location, loaded or not.")
class WorkspaceLocationEntry:
    state: strawberry.Private[LocationState]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.state.name)

    @strawberry.field
    def name(self) -> str:
        return self.state.name

    @strawberry.field
    def load_status(self) -> RepositoryLocationLoadStatus:
        return RepositoryLocationLoadStatus.LOADED

    @strawberry.field(description="The location, or the error that kept it from loading.")
    def location_or_load_error(self) -> RepositoryLocationOrLoadError | None:
        state = self.state
        if state.spec is not None:
            return RepositoryLocation(spec=state.spec, name=state.name)
        if state.error is None:
            return None
        load = state.load_error
        if load is not None:
            return PythonError.from_traceback(load.summary, load.user_traceback, "LocationLoadError")
        return PythonError(message=str(state.error), stack=[], class_name=type(state.error).__name__)

    @strawberry.field(description="Set when the code failed to load (or its server did not start).")
    def load_error(self) -> LocationLoadError | None:
        state = self.state
        if state.error is None:
            return None
        load = state.load_error
        if load is not None:
            return LocationLoadError(
                message=load.summary,
                traceback=load.user_traceback,
                source=innermost_frame(load.user_traceback),
            )
        return LocationLoadError(message=str(state.error), traceback=None, source=None)

    @strawberry.field(description="The sha256 of the location's spec (null when it failed to load).")
    def version_key(self) -> str | None:
        return self.state.spec.content_hash if self.state.spec is not None else None


@strawberry.type(description="Every location of the workspace.")
class Workspace:
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID("workspace")

    @strawberry.field
    def location_entries(self, info: strawberry.Info) -> list[WorkspaceLocationEntry]:
        ctx = as_context(info.context)
        return [WorkspaceLocationEntry(state=ctx.location(n)) for n in ctx.location_names()]


WorkspaceOrError = Annotated[Workspace | PythonError, strawberry.union("WorkspaceOrError")]


@strawberry.type(description="The repositories of every loaded location.")
class RepositoryConnection:
    nodes: list[Repository]


RepositoriesOrError = Annotated[RepositoryConnection | PythonError, strawberry.union("RepositoriesOrError")]
