"""core.codec: one msgspec JSON codec; typed reads with errors naming where; canonical form; versions."""

from __future__ import annotations

import json
import math
import pickle
from typing import Any

import msgspec
import pytest

from headwater.core import codec
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.metadata import (
    AnyMetadataValue,
    FloatMetadataValue,
    MetadataValue,
    TimestampMetadataValue,
)


class Sample(msgspec.Struct, frozen=True, omit_defaults=True):
    key: AssetKey
    keys: frozenset[AssetKey] = frozenset()
    check: AssetCheckKey | None = None
    by_name: dict[str, int] = {}
    anything: Any = None


def test_asset_keys_are_their_paths_and_named_tuples_are_arrays() -> None:
    value = Sample(AssetKey(["a", "b"]), check=AssetCheckKey(AssetKey("c"), "chk"), anything={"k": [1]})
    data = json.loads(codec.encode(value))
    assert data == {"key": ["a", "b"], "check": [["c"], "chk"], "anything": {"k": [1]}}  # defaults left out
    assert codec.decode(codec.encode(value), Sample) == value


def test_canonical_form_sorts_keys_and_sets() -> None:
    one = Sample(AssetKey("k"), keys=frozenset({AssetKey("b"), AssetKey("a")}), by_name={"z": 1, "y": 2})
    text = codec.canonical(one)
    assert text == b'{"by_name":{"y":2,"z":1},"key":["k"],"keys":[["a"],["b"]]}'
    two = Sample(AssetKey("k"), keys=frozenset({AssetKey("a"), AssetKey("b")}), by_name={"y": 2, "z": 1})
    assert codec.canonical(two) == text


def test_a_malformed_document_names_the_type_and_the_place() -> None:
    with pytest.raises(
        codec.SerdeError,
        match=r"Cannot read Sample: an asset key is a list of strings, got int - at `\$.key`",
    ):
        codec.decode(b'{"key": 5}', Sample)
    with pytest.raises(
        codec.SerdeError, match=r"Cannot read the thing: .*AssetKey needs at least one path part"
    ):
        codec.decode(b'{"key": []}', Sample, "the thing")
    with pytest.raises(codec.SerdeError, match="Cannot read Sample: JSON is malformed"):
        codec.decode(b"{nope", Sample)


def test_values_without_a_json_form_are_refused_naming_them() -> None:
    class Opaque:
        pass

    with pytest.raises(codec.SerdeError, match=r"Cannot serialize .*Opaque has no JSON form"):
        codec.encode({"x": Opaque()})


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_survive_strict_json(value: float) -> None:
    for meta in (FloatMetadataValue(value), TimestampMetadataValue(value)):
        data = json.loads(codec.encode(meta))
        assert isinstance(data["value"], str)
        json.dumps(data, allow_nan=False)
        back = codec.decode(codec.encode(meta), AnyMetadataValue)  # type: ignore[arg-type]
        assert type(back) is type(meta) and repr(back) == repr(meta)
        assert isinstance(back.value, float) and (math.isnan(back.value) or back.value == value)
        assert repr(pickle.loads(pickle.dumps(meta))) == repr(meta)


def test_a_non_finite_float_must_be_spelled_as_written() -> None:
    with pytest.raises(codec.SerdeError, match="a float"):
        codec.decode(b'{"type": "float", "value": "nan-ish"}', AnyMetadataValue)  # type: ignore[arg-type]


def test_every_metadata_value_class_is_in_the_union_with_a_unique_tag() -> None:
    import typing

    classes = typing.get_args(AnyMetadataValue)
    tags = [cls.__struct_config__.tag for cls in classes]
    assert len(set(tags)) == len(tags) == 20
    leaves = {c for c in _subclasses(MetadataValue) if not c.__name__.startswith("_")}
    assert leaves == set(classes)


def _subclasses(cls: type[Any]) -> set[type[Any]]:
    out = set()
    for sub in cls.__subclasses__():
        out.add(sub)
        out |= _subclasses(sub)
    return out


def test_versions() -> None:
    assert codec.version_of(b'{"x": 1, "v": 3}', "a doc") == 3
    with pytest.raises(codec.SerdeError, match=r'Cannot read a doc: it has no format version \("v"\)'):
        codec.version_of(b'{"x": 1}', "a doc")
    with pytest.raises(codec.SerdeError, match="Cannot read a doc: it is not JSON"):
        codec.version_of(b"{nope", "a doc")
    with pytest.raises(codec.SerdeError, match="expected a JSON object"):
        codec.version_of(b"[1]", "a doc")
    codec.check_version(2, "a doc", newest=2)
    with pytest.raises(codec.SerdeError, match=r"version 3, and this Headwater reads versions 1 to 2.*newer"):
        codec.check_version(3, "a doc", newest=2)
    with pytest.raises(codec.SerdeError, match=r"version 1, .* versions 2 to 2.*older Headwater"):
        codec.check_version(1, "a doc", newest=2, oldest=2)
