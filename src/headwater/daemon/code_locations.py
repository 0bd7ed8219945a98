"""What the scheduler and sensor ticks need from code locations, without their code: each location's
spec, an evaluation of a schedule or sensor, and a run request checked by the code.

``WorkspaceLocations`` answers through a ``Workspace`` of code-location clients (the daemon's case);
anything with the same methods will do (tests answer in-process).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from headwater.core.asset_key import AssetKey
from headwater.locations.client.client import RunRequestReply
from headwater.locations.client.workspace import Workspace
from headwater.specs.instigation import TickEvaluation, TickEvaluationRequest
from headwater.specs.location import LocationSpec


class CodeLocations(Protocol):
    def location_names(self) -> Sequence[str]: ...

    def spec(self, location: str) -> LocationSpec: ...

    def evaluate(self, location: str, request: TickEvaluationRequest) -> TickEvaluation: ...

    def run_request(
        self,
        location: str,
        *,
        job: str | None,
        asset_selection: Iterable[AssetKey] | None,
        run_config: dict[str, Any],
        partition_key: str | None,
        tags: dict[str, str],
    ) -> RunRequestReply: ...


class WorkspaceLocations:
    """``CodeLocations`` over a workspace's code-location servers."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def location_names(self) -> Sequence[str]:
        return list(self.workspace.location_names)

    def spec(self, location: str) -> LocationSpec:
        return self.workspace.spec(location)

    def evaluate(self, location: str, request: TickEvaluationRequest) -> TickEvaluation:
        return self.workspace.client(location).instigator_tick(request)

    def run_request(
        self,
        location: str,
        *,
        job: str | None,
        asset_selection: Iterable[AssetKey] | None,
        run_config: dict[str, Any],
        partition_key: str | None,
        tags: dict[str, str],
    ) -> RunRequestReply:
        return self.workspace.client(location).run_request(
            job=job,
            asset_selection=asset_selection,
            run_config=run_config,
            partition_key=partition_key,
            tags=tags,
        )


__all__ = ["CodeLocations", "WorkspaceLocations"]
