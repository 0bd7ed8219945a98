"""The typed form of core.serde: compact, exact round trips of spec shapes; clear errors otherwise."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from headwater.core import serde
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.specs.job import InputKind, NodeInputSpec, OutputRef


@dataclass(frozen=True)
class Sample:
    keys: frozenset[AssetKey] = frozenset()
    by_key: dict[AssetKey, int] = field(default_factory=dict)
    check: AssetCheckKey | None = None
    pair: tuple[str, int] = ("a", 1)
    anything: Any = None
    children: tuple[Sample, ...] = ()


def round_trip(value: Any, tp: Any) -> Any:
    return serde.from_data(json.loads(serde.dumps(serde.to_data(value, tp))), tp)


def test_spec_shapes_round_trip_without_type_names() -> None:
    spec = NodeInputSpec(
        "x",
        InputKind.FAN_IN,
        (OutputRef("a", "result"), OutputRef("b", "out")),
        asset_key=AssetKey(["p", "x"]),
    )
    data = serde.to_data(spec, NodeInputSpec)
    assert data == {
        "name": "x",
        "kind": "fan_in",
        "sources": [{"node": "a", "output": "result"}, {"node": "b", "output": "out"}],
        "asset_key": ["p", "x"],
    }  # fields equal to their default are left out
    assert round_trip(spec, NodeInputSpec) == spec


def test_sets_sort_maps_with_key_objects_become_pairs_and_any_is_tagged() -> None:
    value = Sample(
        keys=frozenset({AssetKey("b"), AssetKey("a")}),
        by_key={AssetKey(["x", "y"]): 1},
        check=AssetCheckKey(AssetKey("a"), "c"),
        anything={"k": (1, 2)},
        children=(Sample(pair=("z", 2)),),
    )
    data = serde.to_data(value, Sample)
    assert data["keys"] == [["a"], ["b"]]
    assert data["by_key"] == [[["x", "y"], 1]]
    assert data["check"] == [["a"], "c"]
    assert data["anything"] == {"k": {"__tu": [1, 2]}}
    assert round_trip(value, Sample) == value


def test_unsupported_types_and_malformed_documents_raise_serde_error() -> None:
    class Opaque:
        pass

    with pytest.raises(serde.SerdeError, match="no JSON form"):
        serde.to_data(Opaque(), Opaque)
    with pytest.raises(serde.SerdeError, match="Cannot read Sample"):
        serde.from_data({"pair": 5}, Sample)
