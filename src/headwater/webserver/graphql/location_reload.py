"""``reloadRepositoryLocation`` and ``shutdownRepositoryLocation``: reload a location's code (its server
re-imports it; a load error is kept and shown) or restart its server process."""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.locations.client.errors import (
    LocationError,
    LocationLoadError,
    LocationRequestError,
    LocationUnavailableError,
)
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.errors import (
    PythonError,
    ReloadNotSupported,
    RepositoryLocationNotFound,
    UnauthorizedError,
    location_not_found,
)
from headwater.webserver.graphql.launch import READ_ONLY
from headwater.webserver.graphql.locations import WorkspaceLocationEntry

ReloadRepositoryLocationMutationResult = Annotated[
    WorkspaceLocationEntry
    | ReloadNotSupported
    | RepositoryLocationNotFound
    | UnauthorizedError
    | PythonError,
    strawberry.union("ReloadRepositoryLocationMutationResult"),
]


@strawberry.type(description="The location's server was stopped and started again.")
class ShutdownRepositoryLocationSuccess:
    repository_location_name: str


ShutdownRepositoryLocationMutationResult = Annotated[
    ShutdownRepositoryLocationSuccess | RepositoryLocationNotFound | UnauthorizedError | PythonError,
    strawberry.union("ShutdownRepositoryLocationMutationResult"),
]


def reload(ctx: RequestContext, name: str) -> ReloadRepositoryLocationMutationResult:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    if name not in ctx.location_names():
        return location_not_found(name, ctx.location_names())
    workspace = ctx.server.workspace
    try:
        workspace.reload(name)
    except LocationLoadError:
        pass  # the entry below shows the load error
    except LocationUnavailableError:
        if not workspace.location(name).entry.is_managed:
            ctx.forget(name)
            return WorkspaceLocationEntry(state=ctx.location(name))
        try:
            workspace.restart(name)  # its server died: start it again
        except LocationError as exc:
            return PythonError(message=str(exc), stack=[], class_name=type(exc).__name__)
    except LocationRequestError as exc:
        return ReloadNotSupported(message=str(exc))
    ctx.forget(name)
    return WorkspaceLocationEntry(state=ctx.location(name))


def shutdown(ctx: RequestContext, name: str) -> ShutdownRepositoryLocationMutationResult:
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    if name not in ctx.location_names():
        return location_not_found(name, ctx.location_names())
    try:
        ctx.server.workspace.restart(name)
    except LocationError as exc:
        return PythonError(message=str(exc), stack=[], class_name=type(exc).__name__)
    ctx.forget(name)
    return ShutdownRepositoryLocationSuccess(repository_location_name=name)
