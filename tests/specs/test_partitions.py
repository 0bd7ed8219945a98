"""specs.partitions: the closed union of partitions descriptions, its JSON, helpers and the asset layer."""

from __future__ import annotations

import json
from typing import Any

import pytest

import headwater as hw
from headwater.core import codec
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError
from headwater.locations.server.spec_builder import build_location_spec
from headwater.specs.location import from_json, to_json
from headwater.specs.partitions import (
    DynamicPartitionsSpec,
    HasPartitionsSpec,
    MultiPartitionsSpec,
    PartitionDimensionSpec,
    PartitionsSpec,
    StaticPartitionsSpec,
    TimeWindowPartitionsSpec,
    partitions_spec_of,
)

DAILY = TimeWindowPartitionsSpec(
    "0 2 * * *", start=1704067200.0, fmt="%Y-%m-%d", timezone="Europe/Paris", end=1706745600.0
)
SPECS: list[Any] = [
    StaticPartitionsSpec(("a", "b", "c")),
    DAILY,
    TimeWindowPartitionsSpec("0 * * * *", start=0.0, fmt="%Y-%m-%d-%H:%M"),
    DynamicPartitionsSpec("customers"),
    MultiPartitionsSpec(
        (
            PartitionDimensionSpec("region", StaticPartitionsSpec(["east", "west"])),
            PartitionDimensionSpec("date", DAILY),
        )
    ),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: type(s).__name__)
def test_specs_round_trip_through_json_as_the_union(spec: Any) -> None:
    back = codec.decode(codec.encode(spec), PartitionsSpec)  # type: ignore[arg-type]
    assert back == spec and type(back) is type(spec)


def test_json_shapes() -> None:
    assert json.loads(codec.encode(SPECS[0])) == {"type": "static", "partition_keys": ["a", "b", "c"]}
    assert json.loads(codec.encode(DAILY)) == {
        "type": "time_window",
        "cron_schedule": "0 2 * * *",
        "start": 1704067200.0,
        "fmt": "%Y-%m-%d",
        "timezone": "Europe/Paris",
        "end": 1706745600.0,
    }
    assert json.loads(codec.encode(DynamicPartitionsSpec())) == {"type": "dynamic"}


def test_static_and_multi_keys() -> None:
    assert StaticPartitionsSpec(["b", "a"]).get_partition_keys() == ["b", "a"]
    multi = SPECS[4]
    assert multi.dimension_names == ["date", "region"]  # Dagster orders dimensions by name
    assert multi.key({"region": "east", "date": "2024-01-01"}) == "2024-01-01|east"
    keys = multi.get_partition_keys({"date": ["2024-01-01", "2024-01-02"]})
    assert keys == ["2024-01-01|east", "2024-01-01|west", "2024-01-02|east", "2024-01-02|west"]
    with pytest.raises(InvalidDefinitionError, match="keys of dimension 'date'"):
        multi.get_partition_keys()
    with pytest.raises(InvalidDefinitionError, match="a key for each of"):
        multi.key({"region": "east"})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: StaticPartitionsSpec(("a", "a")), r"unique; repeated: \['a'\]"),
        (lambda: StaticPartitionsSpec("ab"), "must be a list of str"),
        (
            lambda: TimeWindowPartitionsSpec("@daily", start=10.0, fmt="%Y", end=5.0),
            "must be after its start",
        ),
        (
            lambda: MultiPartitionsSpec((PartitionDimensionSpec("x", DynamicPartitionsSpec()),)),
            "exactly two dimensions",
        ),
    ],
)
def test_bad_specs_are_refused(make: Any, message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=message):
        make()


def test_a_malformed_stored_spec_names_the_place() -> None:
    with pytest.raises(codec.SerdeError, match=r"at `\$.dimensions\[0\].partitions.type`"):
        codec.decode(
            b'{"type": "multi", "dimensions": [{"name": "x", "partitions": {"type": "multi"}}]}',
            PartitionsSpec,  # type: ignore[arg-type]
        )


class _Static:
    """A stand-in partitions definition implementing the protocol."""

    def __init__(self, *keys: str) -> None:
        self.keys = keys

    def to_partitions_spec(self) -> StaticPartitionsSpec:
        return StaticPartitionsSpec(self.keys)


def test_the_protocol() -> None:
    assert isinstance(_Static("a"), HasPartitionsSpec)
    assert partitions_spec_of(_Static("a", "b")) == StaticPartitionsSpec(("a", "b"))
    assert partitions_spec_of(None) is None and partitions_spec_of(object()) is None

    class Bad:
        def to_partitions_spec(self) -> object:
            return "static"

    with pytest.raises(InvalidDefinitionError, match=r"Bad.to_partitions_spec\(\) returned 'static'"):
        partitions_spec_of(Bad())


def test_asset_specs_carry_partitions_across_the_wire() -> None:
    @hw.asset(partitions_def=_Static("x", "y"))
    def parted() -> None: ...

    @hw.asset(partitions_def=object())  # not a partitions definition: an error when definitions load
    def opaque() -> None: ...

    with pytest.raises(InvalidDefinitionError, match=r"'opaque': partitions_def=.* is not a partitions"):
        hw.Definitions(assets=[opaque]).get_all_asset_specs()

    @hw.asset
    def plain() -> None: ...

    spec = build_location_spec(hw.Definitions(assets=[parted, plain]))
    back = from_json(to_json(spec), verify=True)
    nodes = back.asset_graph.nodes
    assert nodes[AssetKey("parted")].partitions == StaticPartitionsSpec(("x", "y"))
    assert nodes[AssetKey("parted")].partitioned
    assert nodes[AssetKey("plain")].partitions is None
