"""Code locations answered in this process, for driving the scheduler and sensor ticks with a fake
clock: the same functions the code server runs behind ``POST /instigator-tick`` and ``/run-request``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from headwater.core import codec
from headwater.definitions.definitions import Definitions
from headwater.errors import HeadwaterError
from headwater.locations.client.client import RunRequestReply
from headwater.locations.client.errors import LocationError, LocationRequestError
from headwater.locations.server.code_location import CodeTarget
from headwater.locations.server.instigator_tick import evaluate_instigator
from headwater.locations.server.run_request import run_request
from headwater.locations.server.spec_builder import build_location_spec
from headwater.specs.instigation import TickEvaluation, TickEvaluationRequest
from headwater.specs.location import LocationSpec


class InProcessLocations:
    def __init__(
        self, defs: Definitions, instance: Any = None, name: str = "loc", module: str = "tests.daemon.fake"
    ) -> None:
        self.name = name
        self.module = module  # where a run worker loads the code of the runs (a real module to run them)
        self.defs = defs
        self.instance = instance
        self._spec = build_location_spec(defs)
        self.evaluations: list[TickEvaluationRequest] = []

    def location_names(self) -> Sequence[str]:
        return [self.name]

    def spec(self, location: str) -> LocationSpec:
        return self._spec

    def evaluate(self, location: str, requests: Sequence[TickEvaluationRequest]) -> list[TickEvaluation]:
        self.evaluations.extend(requests)
        return [evaluate_instigator(self.defs, r, self.instance) for r in requests]

    def run_requests(
        self, location: str, bodies: Sequence[dict[str, Any]]
    ) -> list[RunRequestReply | LocationError]:
        out: list[RunRequestReply | LocationError] = []
        for body in bodies:
            try:
                reply = run_request(self.defs, CodeTarget(module_name=self.module), body)
            except HeadwaterError as exc:
                out.append(LocationRequestError(str(exc), status=400, kind="bad_request", location=location))
                continue
            out.append(codec.convert(codec.to_builtins(reply), RunRequestReply, "a run request reply"))
        return out
