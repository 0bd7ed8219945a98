"""What the scheduler and sensor ticks need from code locations, without their code: each location's
spec, an evaluation of a schedule or sensor, and a run request checked by the code.

``WorkspaceLocations`` answers through a ``Workspace`` of code-location clients (the daemon's case);
anything with the same methods will do (tests answer in-process).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from headwater.locations.client.client import RunRequestReply
from headwater.locations.client.errors import LocationError
from headwater.locations.client.workspace import Workspace
from headwater.specs.instigation import TickEvaluation, TickEvaluationRequest
from headwater.specs.location import LocationSpec


class CodeLocations(Protocol):
    def location_names(self) -> Sequence[str]: ...

    def spec(self, location: str) -> LocationSpec: ...

    def evaluate(self, location: str, requests: Sequence[TickEvaluationRequest]) -> list[TickEvaluation]:
        """One evaluation per request, in order (the user's errors and timeouts in its ``error``)."""
        ...

    def run_requests(
        self, location: str, bodies: Sequence[dict[str, Any]]
    ) -> list[RunRequestReply | LocationError]:
        """One reply per run request body (``run_request_body``), or the error that refused it."""
        ...


def loaded_specs(
    locations: CodeLocations, log: logging.Logger, loop: str
) -> Iterator[tuple[str, LocationSpec]]:
    """Each location with its spec; one whose spec cannot be had is logged as skipped by ``loop``."""
    for location in locations.location_names():
        try:
            spec = locations.spec(location)
        except LocationError as exc:
            log.warning("%s: skipping code location %r: %s", loop, location, exc)
            continue
        yield location, spec


class WorkspaceLocations:
    """``CodeLocations`` over a workspace's code-location servers."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def location_names(self) -> Sequence[str]:
        return list(self.workspace.location_names)

    def spec(self, location: str) -> LocationSpec:
        return self.workspace.spec(location)

    def evaluate(self, location: str, requests: Sequence[TickEvaluationRequest]) -> list[TickEvaluation]:
        client = self.workspace.client(location)
        if len(requests) == 1:
            return [client.instigator_tick(requests[0])]
        return client.instigator_ticks(list(requests))

    def run_requests(
        self, location: str, bodies: Sequence[dict[str, Any]]
    ) -> list[RunRequestReply | LocationError]:
        return self.workspace.client(location).run_requests(list(bodies))


__all__ = ["CodeLocations", "WorkspaceLocations"]
