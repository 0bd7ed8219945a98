"""AssetMaterialization, AssetObservation, AssetCheckEvaluation.

Expected reprs and messages marked "Dagster" were observed with the reference Dagster 1.13.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

from headwater.core import codec
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import (
    AssetCheckEvaluation,
    AssetCheckEvaluationTargetMaterializationData,
    AssetCheckSeverity,
    AssetMaterialization,
    AssetObservation,
)
from headwater.core.asset_key import AssetKey
from headwater.core.metadata import (
    FloatMetadataValue,
    IntMetadataValue,
    MetadataValue,
    PathMetadataValue,
    TableRecord,
    TextMetadataValue,
)
from headwater.errors import InvalidDefinitionError, InvalidMetadataError


def _json(event: Any) -> Any:
    return json.loads(codec.encode(event))


def _round_trip(event: Any) -> Any:
    """Through strict JSON (no NaN literals) and back, as the event's own class."""
    return codec.decode(json.dumps(_json(event), allow_nan=False), type(event))


# --- AssetMaterialization / AssetObservation ---------------------------------------------------------


def test_materialization_repr_like_dagster() -> None:
    event = AssetMaterialization(
        ["a", "b"], metadata={"x": 1}, partition="p", tags={"t": "v"}, description="d"
    )
    assert repr(event) == (
        "AssetMaterialization(asset_key=AssetKey(['a', 'b']), description='d', "
        "metadata={'x': IntMetadataValue(value=1)}, partition='p', tags={'t': 'v'})"
    )
    assert repr(AssetMaterialization("a")) == (
        "AssetMaterialization(asset_key=AssetKey(['a']), description=None, metadata={}, "
        "partition=None, tags=None)"
    )


@pytest.mark.parametrize(
    ("raw", "path"),
    [  # Dagster splits event key strings on every character outside [A-Za-z0-9_]
        ("a", ["a"]),
        ("a/b", ["a", "b"]),
        ("a-b.c d", ["a", "b", "c", "d"]),
        ("/tmp/x.csv", ["tmp", "x", "csv"]),
        (["a", "b-c"], ["a", "b-c"]),
        (("a", "b"), ["a", "b"]),
        (AssetKey(["a/b"]), ["a/b"]),
    ],
)
def test_asset_key_coercion(raw: Any, path: list[str]) -> None:
    assert AssetMaterialization(raw).asset_key == AssetKey(path)
    assert AssetObservation(raw).asset_key == AssetKey(path)


def test_asset_key_given_as_key_is_kept() -> None:
    key = AssetKey(["a"])
    assert AssetMaterialization(key).asset_key is key


def test_bad_asset_keys() -> None:
    with pytest.raises(InvalidDefinitionError) as info:
        AssetMaterialization("///")
    assert str(info.value) == (
        "AssetMaterialization: asset_key must be a string with at least one letter, digit or '_'; "
        "got '///' (str)."
    )
    with pytest.raises(InvalidDefinitionError) as info:
        AssetObservation(3)  # type: ignore[arg-type]
    assert (
        str(info.value)
        == "AssetObservation: asset_key must be an AssetKey, a str or a list of str; got 3 (int)."
    )


def test_label_joins_path_with_spaces_like_dagster() -> None:
    assert AssetMaterialization("a/b").label == "a b"
    assert AssetObservation("a").label == "a"


def test_metadata_is_normalized_without_copying_values() -> None:
    text = MetadataValue.text("t")
    event = AssetMaterialization("a", metadata={"t": text, "n": 1, "f": 1.5})
    assert event.metadata == {"t": text, "n": IntMetadataValue(1), "f": FloatMetadataValue(1.5)}
    assert event.metadata["t"] is text


def test_invalid_metadata_names_the_key() -> None:
    with pytest.raises(
        InvalidMetadataError, match=r'^Could not resolve the metadata value for "x" to a known type'
    ):
        AssetMaterialization("a", metadata={"x": object()})


def test_tags_defaults_match_dagster() -> None:
    assert AssetMaterialization("a").tags is None
    assert AssetObservation("a").tags == {}
    assert AssetObservation("a", tags={"t": "v"}).tags == {"t": "v"}


def test_tags_are_copied() -> None:
    tags = {"t": "v"}
    event = AssetMaterialization("a", tags=tags)
    tags["t"] = "changed"
    assert event.tags == {"t": "v"}


def test_bad_tags() -> None:
    with pytest.raises(InvalidDefinitionError) as info:
        AssetMaterialization("a", tags={"x": 1})  # type: ignore[dict-item]
    assert str(info.value) == "AssetMaterialization: tag values must be strings, got type int at key x."
    with pytest.raises(InvalidDefinitionError, match=r"tag keys must be strings; got 1 \(int\)"):
        AssetObservation("a", tags={1: "x"})  # type: ignore[dict-item]


def test_bad_description_and_partition() -> None:
    with pytest.raises(InvalidDefinitionError) as info:
        AssetMaterialization("a", partition=3)  # type: ignore[arg-type]
    assert str(info.value) == "AssetMaterialization: partition must be a str or None; got 3 (int)."
    with pytest.raises(InvalidDefinitionError) as info:
        AssetObservation("a", description=3)  # type: ignore[arg-type]
    assert str(info.value) == "AssetObservation: description must be a str or None; got 3 (int)."


def test_file_constructor_like_dagster() -> None:
    event = AssetMaterialization.file("/tmp/x.csv")
    assert repr(event) == (
        "AssetMaterialization(asset_key=AssetKey(['tmp', 'x', 'csv']), description=None, "
        "metadata={'path': PathMetadataValue(fspath='/tmp/x.csv')}, partition=None, tags=None)"
    )
    named = AssetMaterialization.file("/tmp/x.csv", description="d", asset_key="x")
    assert named.asset_key == AssetKey("x")
    assert named.metadata == {"path": PathMetadataValue("/tmp/x.csv")}


def test_with_metadata_replaces_metadata() -> None:
    event = AssetObservation("a", metadata={"x": 1}, tags={"t": "v"}, partition="p", description="d")
    updated = event.with_metadata({"y": "z"})
    assert updated == AssetObservation(
        "a", metadata={"y": "z"}, tags={"t": "v"}, partition="p", description="d"
    )
    assert event.metadata == {"x": IntMetadataValue(1)}
    assert AssetMaterialization("a").with_metadata({"y": "z"}).metadata == {"y": TextMetadataValue("z")}


def test_observation_data_version() -> None:
    assert AssetObservation("a", tags={"dagster/data_version": "v1"}).data_version == "v1"
    assert AssetObservation("a").data_version is None


def test_equality_hash_and_immutability() -> None:
    one = AssetMaterialization("a", metadata={"x": [1, 2]}, tags={"t": "v"})
    two = AssetMaterialization("a", metadata={"x": [1, 2]}, tags={"t": "v"})
    assert one == two
    assert hash(one) == hash(two)
    assert one != AssetMaterialization("a", metadata={"x": [1, 3]}, tags={"t": "v"})
    assert AssetMaterialization("a") != AssetObservation("a", tags=None)
    with pytest.raises(AttributeError, match="immutable type: 'AssetMaterialization'"):
        one.partition = "p"  # type: ignore[misc]


@pytest.mark.parametrize(
    "event",
    [
        AssetMaterialization("a"),
        AssetMaterialization(
            ["a", "b"],
            description="d",
            metadata={"n": 1, "nan": float("nan"), "t": MetadataValue.table([TableRecord({"c": 1})])},
            partition="2024-01-01",
            tags={"t": "v"},
        ),
        AssetMaterialization("a", tags={}),
        AssetObservation("a"),
        AssetObservation("a", description="d", metadata={"x": "y"}, partition="p", tags={"t": "v"}),
    ],
)
def test_event_json_round_trip(event: AssetMaterialization | AssetObservation) -> None:
    back = _round_trip(event)
    assert type(back) is type(event)
    assert repr(back) == repr(event)
    assert back.tags == event.tags


def test_event_json_shape() -> None:
    event = AssetMaterialization(["a", "b"], metadata={"n": 1}, partition="p")
    assert _json(event) == {
        "type": "AssetMaterialization",
        "asset_key": ["a", "b"],
        "metadata": {"n": {"type": "int", "value": 1}},
        "partition": "p",
    }
    assert _json(AssetObservation("a")) == {"type": "AssetObservation", "asset_key": ["a"], "tags": {}}


def test_events_pickle() -> None:
    event = AssetMaterialization("a", metadata={"x": 1}, tags={"t": "v"})
    assert pickle.loads(pickle.dumps(event)) == event


# --- asset checks ----------------------------------------------------------------------------------


def test_severity_values_like_dagster() -> None:
    assert [s.value for s in AssetCheckSeverity] == ["WARN", "ERROR"]
    assert AssetCheckSeverity("ERROR") is AssetCheckSeverity.ERROR


def test_check_evaluation_repr_and_key_like_dagster() -> None:
    evaluation = AssetCheckEvaluation(asset_key=AssetKey("a"), check_name="c", passed=True)
    assert repr(evaluation) == (
        "AssetCheckEvaluation(asset_key=AssetKey(['a']), check_name='c', passed=True, metadata={}, "
        "target_materialization_data=None, severity=<AssetCheckSeverity.ERROR: 'ERROR'>, description=None, "
        "blocking=None, partition=None)"
    )
    assert evaluation.asset_check_key == AssetCheckKey(AssetKey(["a"]), "c")


def test_check_evaluation_with_everything() -> None:
    target = AssetCheckEvaluationTargetMaterializationData(storage_id=1, run_id="r", timestamp=1.5)
    evaluation = AssetCheckEvaluation(
        AssetKey("a"),
        "c",
        False,
        metadata={"rows": 3},
        target_materialization_data=target,
        severity=AssetCheckSeverity.WARN,
        description="d",
        blocking=True,
        partition="p",
    )
    assert evaluation.metadata == {"rows": IntMetadataValue(3)}
    assert (
        repr(target)
        == "AssetCheckEvaluationTargetMaterializationData(storage_id=1, run_id='r', timestamp=1.5)"
    )
    assert _json(evaluation) == {
        "type": "AssetCheckEvaluation",
        "asset_key": ["a"],
        "check_name": "c",
        "passed": False,
        "severity": "WARN",
        "metadata": {"rows": {"type": "int", "value": 3}},
        "target_materialization_data": {"storage_id": 1, "run_id": "r", "timestamp": 1.5},
        "description": "d",
        "blocking": True,
        "partition": "p",
    }
    assert _round_trip(evaluation) == evaluation
    assert evaluation.with_metadata({"x": "y"}).metadata == {"x": TextMetadataValue("y")}
    assert evaluation.with_metadata({"x": "y"}).target_materialization_data is target


def test_check_evaluation_minimal_round_trip() -> None:
    evaluation = AssetCheckEvaluation(AssetKey(["a", "b"]), "c", True)
    assert _json(evaluation) == {
        "type": "AssetCheckEvaluation",
        "asset_key": ["a", "b"],
        "check_name": "c",
        "passed": True,
    }  # the default severity (ERROR) is left out
    assert _round_trip(evaluation) == evaluation


def test_check_evaluation_coercions() -> None:
    # Dagster insists on an AssetKey and an AssetCheckSeverity; we also accept their coercible forms.
    evaluation = AssetCheckEvaluation(["a", "b"], "c", True, severity="WARN")  # type: ignore[arg-type]
    assert evaluation.asset_key == AssetKey(["a", "b"])
    assert evaluation.severity is AssetCheckSeverity.WARN


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"check_name": 3}, "AssetCheckEvaluation: check_name must be a str; got 3 (int)."),
        ({"passed": 1}, "AssetCheckEvaluation: passed must be a bool; got 1 (int)."),
        (
            {"severity": "FATAL"},
            "AssetCheckEvaluation: severity must be AssetCheckSeverity.WARN or AssetCheckSeverity.ERROR; "
            "got 'FATAL' (str).",
        ),
        ({"blocking": "yes"}, "AssetCheckEvaluation: blocking must be a bool or None; got 'yes' (str)."),
        (
            {"target_materialization_data": 5},
            "AssetCheckEvaluation: target_materialization_data must be an "
            "AssetCheckEvaluationTargetMaterializationData or None; got 5 (int).",
        ),
    ],
)
def test_check_evaluation_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"asset_key": AssetKey("a"), "check_name": "c", "passed": True, **kwargs}
    with pytest.raises(InvalidDefinitionError) as info:
        AssetCheckEvaluation(**arguments)
    assert str(info.value) == message
