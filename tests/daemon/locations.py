"""Code locations answered in this process, for driving the scheduler and sensor ticks with a fake
clock: the same functions the code server runs behind ``POST /instigator-tick`` and ``/run-request``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from headwater.core import codec
from headwater.core.asset_key import AssetKey
from headwater.definitions.definitions import Definitions
from headwater.locations.client.client import RunRequestReply
from headwater.locations.server.code_location import CodeTarget
from headwater.locations.server.instigator_tick import evaluate_instigator
from headwater.locations.server.run_request import run_request
from headwater.locations.server.spec_builder import build_location_spec
from headwater.specs.instigation import TickEvaluation, TickEvaluationRequest
from headwater.specs.location import LocationSpec


class InProcessLocations:
    def __init__(self, defs: Definitions, instance: Any = None, name: str = "loc") -> None:
        self.name = name
        self.defs = defs
        self.instance = instance
        self._spec = build_location_spec(defs)
        self.evaluations: list[TickEvaluationRequest] = []

    def location_names(self) -> Sequence[str]:
        return [self.name]

    def spec(self, location: str) -> LocationSpec:
        return self._spec

    def evaluate(self, location: str, request: TickEvaluationRequest) -> TickEvaluation:
        self.evaluations.append(request)
        return evaluate_instigator(self.defs, request, self.instance)

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
        body = {
            "job": job,
            "asset_selection": None if asset_selection is None else [k.path for k in asset_selection],
            "run_config": run_config,
            "partition_key": partition_key,
            "tags": tags,
        }
        reply = run_request(self.defs, CodeTarget(module_name="tests.daemon.fake"), body)
        return codec.convert(codec.to_builtins(reply), RunRequestReply, "a run request reply")
