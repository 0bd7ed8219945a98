"""The compact tagged form (stored event payloads): short type names, default fields left out, and
one ``decode`` for it and the full form."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from typing import Any

import pytest

from headwater.core import serde
from headwater.core._serde_compact import _is_default
from headwater.core._serde_names import SHORT_NAMES
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import (
    AssetCheckEvaluation,
    AssetCheckEvaluationTargetMaterializationData,
    AssetCheckSeverity,
    AssetMaterialization,
    AssetObservation,
)
from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo
from headwater.core.metadata_values import IntMetadataValue, MetadataValue, TextMetadataValue
from headwater.events import payloads
from headwater.events.run_status import RunStatus


def _error() -> ErrorInfo:
    try:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise ValueError("outer") from inner
    except ValueError as exc:
        return ErrorInfo.from_exception(exc)


VALUES: list[Any] = [
    None,
    "text",
    3,
    2.5,
    True,
    [1, "a", None],
    {"plain": [1, {"x": (1, 2)}]},
    {"__weird": 1, 3: "int key"},
    (1, "two"),
    frozenset({1, 2}),
    AssetKey(["a", "b"]),
    AssetCheckKey(AssetKey("a"), "c"),
    RunStatus.STARTED,
    AssetCheckSeverity.WARN,
    payloads.StepInputData("x"),
    payloads.StepInputData("x", payloads.TypeCheckData(True, "x")),
    payloads.StepOutputData(
        "result", "k", payloads.TypeCheckData(False, "int", "why"), {"n": IntMetadataValue(3)}
    ),
    payloads.StepFailureData(_error(), payloads.UserFailureData("bad", None, {"n": 1}), "USER_CODE_ERROR"),
    payloads.StepSuccessData(0.0),
    payloads.EngineEventData({"pid": 12, "value": TextMetadataValue("t")}, _error()),
    payloads.RunFailureData(None),
    AssetMaterialization(AssetKey("a"), metadata={"rows": 3}, partition="p"),
    AssetObservation(AssetKey("a"), tags={"dagster/data_version": "v1"}),
    AssetCheckEvaluation(
        AssetKey("a"),
        "c",
        True,
        target_materialization_data=AssetCheckEvaluationTargetMaterializationData(3, "r", 1.5),
        severity=AssetCheckSeverity.WARN,
    ),
    _error(),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_compact_form_round_trips_like_the_full_form(value: object) -> None:
    compact = serde.encode(value, compact=True)
    assert serde.decode(compact) == value == serde.decode(serde.encode(value))
    assert serde.loads(serde.dumps(compact)) == compact  # JSON-able
    assert "headwater." not in serde.dumps(compact)  # every stored class has a short name


def test_compact_form_uses_short_names_and_leaves_out_defaults() -> None:
    value = payloads.StepInputData("a", payloads.TypeCheckData(True, "a"))
    assert serde.encode(value, compact=True) == {
        "__t": "StepInputData",
        "__f": {
            "input_name": "a",
            "type_check_data": {"__t": "TypeCheckData", "__f": {"success": True, "label": "a"}},
        },
    }
    assert serde.encode(payloads.StepOutputData("r"), compact=True) == {
        "__t": "StepOutputData",
        "__f": {"output_name": "r"},
    }
    assert serde.encode(AssetCheckSeverity.WARN, compact=True) == {"__e": "AssetCheckSeverity", "v": "WARN"}


def test_full_form_is_unchanged() -> None:
    """Specs and runs use the full form: module paths, every field."""
    assert serde.encode(payloads.StepInputData("a")) == {
        "__t": "headwater.events.payloads:StepInputData",
        "__f": {"input_name": "a", "type_check_data": None},
    }


def test_module_paths_and_short_names_both_decode() -> None:
    full = {"__t": "headwater.events.payloads:StepSuccessData", "__f": {"duration_ms": 1.0}}
    short = {"__t": "StepSuccessData", "__f": {"duration_ms": 1.0}}
    assert serde.decode(full) == serde.decode(short) == payloads.StepSuccessData(1.0)
    assert (
        serde.decode({"__e": "headwater.core.asset_events:AssetCheckSeverity", "v": "WARN"})
        is AssetCheckSeverity.WARN
    )


def test_unknown_short_name_is_an_error_naming_it() -> None:
    with pytest.raises(serde.SerdeError, match=r"'NoSuchData'.*does not have"):
        serde.decode({"__t": "NoSuchData", "__f": {}})


def test_a_default_is_left_out_only_for_a_value_of_the_same_type() -> None:
    assert _is_default(None, None) and _is_default({}, {}) and _is_default(False, False)
    assert not _is_default(0, False) and not _is_default(1.0, 1) and not _is_default("", None)


def test_foreign_types_are_refused_in_the_compact_form_too() -> None:
    @dataclasses.dataclass
    class Mine:
        x: int

    with pytest.raises(serde.SerdeError, match="not a Headwater type"):
        serde.encode(Mine(1), compact=True)
    with pytest.raises(serde.SerdeError, match="Cannot store"):
        serde.encode(object(), compact=True)


def test_every_short_name_resolves_to_its_class() -> None:
    for name, path in SHORT_NAMES.items():
        assert ":" not in name
        module, _, qualname = path.partition(":")
        cls = getattr(importlib.import_module(module), qualname)
        assert serde._resolve(name) is cls


def _public_classes(module_name: str) -> list[type[Any]]:
    module = importlib.import_module(module_name)
    return [
        obj
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and obj.__module__ == module_name and not name.startswith("_")
    ]


@pytest.mark.parametrize(
    "module_name",
    [
        "headwater.events.payloads",
        "headwater.core.asset_events",
        "headwater.core.metadata_values",
        "headwater.core.structured_metadata",
        "headwater.core.table",
        "headwater.core.code_references",
    ],
)
def test_every_stored_class_has_a_short_name(module_name: str) -> None:
    """A new payload or metadata class needs a short name (core/_serde_names.py), or events that carry
    it are stored with its module path."""
    paths = set(SHORT_NAMES.values())
    for cls in _public_classes(module_name):
        if cls is MetadataValue or issubclass(cls, str):
            continue  # the base class is never stored; str enums are stored as strings
        assert f"{cls.__module__}:{cls.__qualname__}" in paths, cls
