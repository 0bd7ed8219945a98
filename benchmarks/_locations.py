"""One code location answered in the benchmark process (what the code server runs behind its routes),
for timing a daemon tick without a code server. Headwater only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class InProcessLocation:
    """The daemon's view (``CodeLocations``) of the location ``bench`` of ``defs``; its runs load their
    code from ``module``. It evaluates no schedule or sensor."""

    def __init__(self, defs: Any, module: str) -> None:
        from headwater.locations.server.spec_builder import build_location_spec

        self.defs = defs
        self.module = module
        self._spec = build_location_spec(defs)

    def location_names(self) -> Sequence[str]:
        return ["bench"]

    def spec(self, location: str) -> Any:
        return self._spec

    def evaluate(self, location: str, requests: Sequence[Any]) -> list[Any]:
        raise AssertionError("the benchmarked tick evaluates no user code")

    def run_requests(self, location: str, bodies: Sequence[dict[str, Any]]) -> list[Any]:
        from headwater.core import codec
        from headwater.locations.client.client import RunRequestReply
        from headwater.locations.server.code_location import CodeTarget
        from headwater.locations.server.run_request import run_request

        target = CodeTarget(module_name=self.module)
        return [
            codec.convert(codec.to_builtins(run_request(self.defs, target, b)), RunRequestReply, "a reply")
            for b in bodies
        ]
