"""``loaded_specs``: every daemon loop's walk over the code locations, skipping (and logging) the one
whose spec cannot be had."""

from __future__ import annotations

import logging

import pytest

from headwater.daemon.code_locations import loaded_specs
from headwater.definitions.asset_decorators import asset
from headwater.definitions.definitions import Definitions
from headwater.locations.client.errors import LocationError
from headwater.specs.location import LocationSpec

from .locations import InProcessLocations


@asset
def one() -> int:
    return 1


class TwoLocations(InProcessLocations):
    """``loc`` answers; ``broken`` cannot be reached."""

    def location_names(self) -> list[str]:
        return ["broken", "loc"]

    def spec(self, location: str) -> LocationSpec:
        if location == "broken":
            raise LocationError("connection refused")
        return super().spec(location)


def test_a_location_without_a_spec_is_skipped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    locations = TwoLocations(Definitions(assets=[one]))
    log = logging.getLogger("headwater.daemon.test")
    with caplog.at_level(logging.WARNING, logger="headwater.daemon.test"):
        found = list(loaded_specs(locations, log, "Sensors"))
    assert [(name, [a.key.to_user_string() for a in spec.assets]) for name, spec in found] == [
        ("loc", ["one"])
    ]
    assert [r.getMessage() for r in caplog.records] == [
        "Sensors: skipping code location 'broken': connection refused"
    ]
