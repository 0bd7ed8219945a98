"""MetadataValue, the Table* types, normalize_metadata and the JSON form.

Expected reprs and messages marked "Dagster" were observed with the reference Dagster 1.13.
"""

from __future__ import annotations

import copy
import enum
import fractions
import json
import math
import pathlib
import pickle
import types
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from headwater.core import codec
from headwater.core.asset_key import AssetKey
from headwater.core.metadata import (
    AnyMetadataValue,
    BoolMetadataValue,
    CodeReferencesMetadataValue,
    DagsterAssetMetadataValue,
    DagsterJobMetadataValue,
    DagsterRunMetadataValue,
    FloatMetadataValue,
    IntMetadataValue,
    JsonMetadataValue,
    LocalFileCodeReference,
    MarkdownMetadataValue,
    MetadataValue,
    NotebookMetadataValue,
    NullMetadataValue,
    PathMetadataValue,
    PoolMetadataValue,
    PythonArtifactMetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableColumnDep,
    TableColumnLineage,
    TableColumnLineageMetadataValue,
    TableConstraints,
    TableMetadataValue,
    TableRecord,
    TableSchema,
    TableSchemaMetadataValue,
    TextMetadataValue,
    TimestampMetadataValue,
    UrlCodeReference,
    UrlMetadataValue,
    normalize_metadata,
)
from headwater.errors import HeadwaterError, InvalidMetadataError

DEFAULT_COLUMN = "TableColumnConstraints(nullable=True, unique=False, other=[])"


class Color(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


# --- normalize_metadata: Dagster's coercion rules -------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected_repr", "expected_value"),
    [  # reprs and .value as Dagster 1.13 prints them
        ("x", "TextMetadataValue(text='x')", "x"),
        (3, "IntMetadataValue(value=3)", 3),
        (1.5, "FloatMetadataValue(value=1.5)", 1.5),
        (True, "BoolMetadataValue(value=True)", True),
        (False, "BoolMetadataValue(value=False)", False),
        ({"a": 1}, "JsonMetadataValue(data={'a': 1})", {"a": 1}),
        ([1, 2], "JsonMetadataValue(data=[1, 2])", [1, 2]),
        (None, "NullMetadataValue()", None),
        (
            AssetKey(["a", "b"]),
            "DagsterAssetMetadataValue(asset_key=AssetKey(['a', 'b']))",
            AssetKey(["a", "b"]),
        ),
        (pathlib.Path("/tmp/x"), "PathMetadataValue(fspath='/tmp/x')", "/tmp/x"),
    ],
)
def test_normalize_coerces_like_dagster(raw: Any, expected_repr: str, expected_value: Any) -> None:
    value = normalize_metadata({"k": raw})["k"]
    assert repr(value) == expected_repr
    assert value.value == expected_value


def test_bool_is_checked_before_int() -> None:
    values = normalize_metadata({"t": True, "one": 1})
    assert type(values["t"]) is BoolMetadataValue
    assert type(values["one"]) is IntMetadataValue


def test_schema_and_lineage_are_wrapped() -> None:
    schema = TableSchema([TableColumn("a")])
    lineage = TableColumnLineage({"x": [TableColumnDep("up", "y")]})
    values = normalize_metadata({"s": schema, "l": lineage})
    assert values["s"] == TableSchemaMetadataValue(schema)
    assert values["l"] == TableColumnLineageMetadataValue(lineage)
    assert values["l"].value is lineage


def test_metadata_values_pass_through_unchanged_and_order_is_kept() -> None:
    url = MetadataValue.url("http://x")
    values = normalize_metadata({"z": url, "a": 1, "m": "s"})
    assert values["z"] is url
    assert list(values) == ["z", "a", "m"]


def test_empty_and_none_give_an_empty_dict() -> None:
    assert normalize_metadata(None) == {}
    assert normalize_metadata({}) == {}


def test_subclasses_of_basic_types_are_stored_as_the_base_value() -> None:
    values = normalize_metadata({"c": Color.RED, "l": Level.HIGH})
    assert values["c"] == TextMetadataValue("red")
    assert type(values["c"].value) is str
    assert values["l"] == IntMetadataValue(3)
    assert type(values["l"].value) is int


def test_extensions_beyond_dagster() -> None:
    # Dagster rejects these; coercing them is a strict superset of its rules.
    aware = datetime(2024, 1, 1, tzinfo=UTC)
    values = normalize_metadata(
        {"when": aware, "frac": fractions.Fraction(1, 2), "proxy": types.MappingProxyType({"a": 1})}
    )
    assert values["when"] == TimestampMetadataValue(1704067200.0)
    assert values["frac"] == FloatMetadataValue(0.5)
    assert values["proxy"] == JsonMetadataValue({"a": 1})


def test_uncoercible_value_names_key_type_and_accepted_types() -> None:
    with pytest.raises(InvalidMetadataError) as info:
        normalize_metadata({"k": object()})
    assert str(info.value) == (
        'Could not resolve the metadata value for "k" to a known type. '
        "Its type was <class 'object'>; metadata values must be a MetadataValue, str, int, float, bool, "
        "dict, list, None, an os.PathLike, AssetKey, TableSchema, TableColumnLineage or a timezone-aware "
        "datetime. Wrap other values with a MetadataValue constructor, e.g. MetadataValue.text(str(value))."
    )
    assert isinstance(info.value, HeadwaterError)


def test_tuple_gets_a_hint() -> None:
    with pytest.raises(InvalidMetadataError, match=r'"tup".*<class \'tuple\'>.*Convert it to a list'):
        normalize_metadata({"tup": (1, 2)})


def test_naive_datetime_is_rejected_with_advice() -> None:
    with pytest.raises(InvalidMetadataError) as info:
        normalize_metadata({"when": datetime(2024, 1, 1)})
    assert str(info.value) == (
        'Could not resolve the metadata value for "when" to a known type. Its value was a naive datetime '
        "(2024-01-01T00:00:00), whose timestamp is ambiguous. Give it a time zone, e.g. "
        "value.replace(tzinfo=timezone.utc), or wrap it with MetadataValue.timestamp."
    )


def test_unserializable_json_names_key() -> None:
    with pytest.raises(InvalidMetadataError) as info:
        normalize_metadata({"k": {"a": object()}})
    assert str(info.value) == (
        'Could not resolve the metadata value for "k" to a known type. '
        "Value is not JSON serializable: Object of type object is not JSON serializable."
    )


def test_non_string_key_is_rejected() -> None:
    with pytest.raises(InvalidMetadataError, match=r"Metadata keys must be strings; got 1 \(int\)\."):
        normalize_metadata({1: "x"})  # type: ignore[dict-item]


def test_allow_invalid_replaces_with_placeholder_text() -> None:
    values = normalize_metadata({"k": object(), "ok": 1}, allow_invalid=True)
    assert values == {"k": TextMetadataValue("[object] (unserializable)"), "ok": IntMetadataValue(1)}


# --- static constructors and value classes ----------------------------------------------------


class _Artifact:
    pass


@pytest.mark.parametrize(
    ("value", "expected_repr"),
    [  # Dagster's reprs
        (MetadataValue.text("a"), "TextMetadataValue(text='a')"),
        (MetadataValue.url("http://x"), "UrlMetadataValue(url='http://x')"),
        (MetadataValue.path(pathlib.Path("/a")), "PathMetadataValue(fspath='/a')"),
        (MetadataValue.notebook("/a.ipynb"), "NotebookMetadataValue(fspath='/a.ipynb')"),
        (MetadataValue.json({"a": (1, 2)}), "JsonMetadataValue(data={'a': [1, 2]})"),
        (MetadataValue.json({1: 2}), "JsonMetadataValue(data={'1': 2})"),
        (MetadataValue.md("# hi"), "MarkdownMetadataValue(md_str='# hi')"),
        (MetadataValue.float(1.5), "FloatMetadataValue(value=1.5)"),
        (MetadataValue.int(2), "IntMetadataValue(value=2)"),
        (MetadataValue.bool(False), "BoolMetadataValue(value=False)"),
        (MetadataValue.timestamp(1.5), "TimestampMetadataValue(value=1.5)"),
        (
            MetadataValue.timestamp(datetime(2024, 1, 1, tzinfo=UTC)),
            "TimestampMetadataValue(value=1704067200.0)",
        ),
        (MetadataValue.dagster_run("abc"), "DagsterRunMetadataValue(run_id='abc')"),
        (MetadataValue.asset(AssetKey("a")), "DagsterAssetMetadataValue(asset_key=AssetKey(['a']))"),
        (
            MetadataValue.job("j", "loc"),
            "DagsterJobMetadataValue(job_name='j', location_name='loc', repository_name=None)",
        ),
        (
            MetadataValue.job("j", "loc", repository_name="r"),
            "DagsterJobMetadataValue(job_name='j', location_name='loc', repository_name='r')",
        ),
        (MetadataValue.null(), "NullMetadataValue()"),
        (MetadataValue.pool("p"), "PoolMetadataValue(name='p')"),
        (
            MetadataValue.python_artifact(_Artifact),
            f"PythonArtifactMetadataValue(module='{__name__}', name='_Artifact')",
        ),
        (
            MetadataValue.code_references([LocalFileCodeReference(file_path="/a.py", line_number=3)]),
            "CodeReferencesMetadataValue(code_references=[LocalFileCodeReference(file_path='/a.py', "
            "line_number=3, label=None)])",
        ),
    ],
)
def test_static_constructor_reprs(value: MetadataValue[Any], expected_repr: str) -> None:
    assert repr(value) == expected_repr


def test_value_property() -> None:
    job = MetadataValue.job("j", "loc")
    lineage = TableColumnLineage({})
    assert MetadataValue.text("t").value == "t"
    assert MetadataValue.url("http://x").value == "http://x"
    assert MetadataValue.md("# hi").value == "# hi"
    assert MetadataValue.path("/x").value == "/x"
    assert MetadataValue.path("/x").path == "/x"
    assert MetadataValue.notebook("/a.ipynb").path == "/a.ipynb"
    assert MetadataValue.dagster_run("abc").value == "abc"
    assert MetadataValue.asset(AssetKey("a")).value == AssetKey(["a"])
    assert MetadataValue.null().value is None
    assert MetadataValue.pool("p").value == "p"
    assert MetadataValue.pool("p").pool == "p"
    assert job.value is job
    assert MetadataValue.column_lineage(lineage).value is lineage
    assert MetadataValue.column_lineage(lineage).column_lineage is lineage
    assert IntMetadataValue(3).value == 3
    assert TextMetadataValue(None).value == ""  # Dagster: None text reads as ""
    assert TextMetadataValue().value == ""


def test_equality_and_hash() -> None:
    assert MetadataValue.int(1) == IntMetadataValue(1)
    assert hash(MetadataValue.int(1)) == hash(IntMetadataValue(1))
    assert MetadataValue.json({"a": [1, {"b": 2}]}) == MetadataValue.json({"a": [1, {"b": 2}]})
    assert hash(MetadataValue.json({"a": [1, {"b": 2}]})) == hash(MetadataValue.json({"a": [1, {"b": 2}]}))
    schema = TableSchema([TableColumn("a", tags={"x": "y"})])
    assert hash(MetadataValue.table_schema(schema)) == hash(MetadataValue.table_schema(schema))
    assert MetadataValue.null() == NullMetadataValue()
    # Unlike Dagster (tuple equality), values of different classes are never equal.
    assert MetadataValue.text("a") != MetadataValue.md("a")
    assert MetadataValue.int(1) != MetadataValue.bool(True)
    assert MetadataValue.path("/a") != MetadataValue.notebook("/a")
    assert len({MetadataValue.int(1), IntMetadataValue(1), MetadataValue.float(1.0)}) == 2


def test_values_are_immutable() -> None:
    value = MetadataValue.int(1)
    with pytest.raises(AttributeError, match="immutable type: 'IntMetadataValue'"):
        value.value = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    "value",
    [
        MetadataValue.int(3),
        MetadataValue.null(),
        MetadataValue.table([TableRecord({"a": 1})]),
        MetadataValue.column_lineage(TableColumnLineage({"x": [TableColumnDep("a", "c")]})),
    ],
)
def test_pickle_and_copy(value: MetadataValue[Any]) -> None:
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.deepcopy(value) == value


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: IntMetadataValue("x"), "IntMetadataValue.value must be an int or None; got 'x' (str)."),
        (lambda: BoolMetadataValue(1), "BoolMetadataValue.value must be a bool or None; got 1 (int)."),
        (lambda: FloatMetadataValue("1"), "FloatMetadataValue.value must be a float or None; got '1' (str)."),
        (
            lambda: FloatMetadataValue(True),
            "FloatMetadataValue.value must be a float or None; got True (bool).",
        ),
        (
            lambda: TimestampMetadataValue(None),
            "TimestampMetadataValue.value must be a float; got None (NoneType).",
        ),
        (lambda: TextMetadataValue(3), "TextMetadataValue.text must be a str or None; got 3 (int)."),
        (lambda: DagsterRunMetadataValue(3), "DagsterRunMetadataValue.run_id must be a str; got 3 (int)."),
        (
            lambda: PathMetadataValue(3),
            "PathMetadataValue.path must be a str or an os.PathLike of str; got 3 (int).",
        ),
        (
            lambda: MetadataValue.python_artifact(3),  # type: ignore[arg-type]
            "MetadataValue.python_artifact must be a class or function; got 3 (int).",
        ),
        (
            lambda: MetadataValue.json(3),  # type: ignore[arg-type]
            "JsonMetadataValue.data must be a dict, a list or None; got 3 (int).",
        ),
        (
            lambda: MetadataValue.timestamp(datetime(2024, 1, 1)),
            "Datetime values provided to MetadataValue.timestamp must have timezones, but "
            "2024-01-01T00:00:00 does not; e.g. use value.replace(tzinfo=timezone.utc).",
        ),
        (
            lambda: MetadataValue.table([]),
            "TableMetadataValue needs a schema when records is empty.",
        ),
        (
            lambda: MetadataValue.table([TableRecord({"a": 1}), TableRecord({"b": 1})]),
            "All records must have the same fields: record 0 has ['a'], record 1 has ['b'].",
        ),
    ],
)
def test_invalid_values_raise_with_a_clear_message(make: Any, message: str) -> None:
    with pytest.raises(InvalidMetadataError) as info:
        make()
    assert str(info.value) == message


def test_lenient_numbers() -> None:
    # Dagster rejects ints for float and timestamp values; we convert them.
    assert FloatMetadataValue(1).value == 1.0
    assert type(FloatMetadataValue(1).value) is float
    assert MetadataValue.timestamp(1) == TimestampMetadataValue(1.0)
    assert IntMetadataValue(True).value == 1
    assert type(IntMetadataValue(True).value) is int


def test_asset_value_accepts_coercible_keys() -> None:
    # A plain string is one key part, as AssetKey.from_coercible reads it (Dagster rejects strings here).
    assert MetadataValue.asset("a") == DagsterAssetMetadataValue(AssetKey(["a"]))  # type: ignore[arg-type]
    assert MetadataValue.asset(["a", "b"]) == DagsterAssetMetadataValue(AssetKey(["a", "b"]))  # type: ignore[arg-type]


# --- tables ----------------------------------------------------------------------------------------


def test_table_infers_schema_like_dagster() -> None:
    table = MetadataValue.table([TableRecord({"a": 1, "b": "x", "c": True, "d": 1.5, "e": None})])
    columns = ", ".join(
        f"TableColumn(name='{name}', type='{type_}', description=None, "
        f"constraints={DEFAULT_COLUMN}, tags={{}})"
        for name, type_ in [("a", "int"), ("b", "string"), ("c", "bool"), ("d", "float"), ("e", "string")]
    )
    assert repr(table) == (
        "TableMetadataValue(records=[TableRecord(data={'a': 1, 'b': 'x', 'c': True, 'd': 1.5, 'e': None})], "
        f"schema=TableSchema(columns=[{columns}], constraints=TableConstraints(other=[])))"
    )
    assert table.value is table


def test_table_keeps_an_explicit_schema() -> None:
    schema = TableSchema([TableColumn("b")])
    table = TableMetadataValue([TableRecord({"a": 1})], schema)
    assert table.schema is schema
    assert MetadataValue.table([], schema).records == []


def test_table_schema_repr_with_everything_set() -> None:
    schema = TableSchema(
        [
            TableColumn(
                "a",
                "int",
                "desc",
                TableColumnConstraints(nullable=False, unique=True, other=[">0"]),
                {"pii": "yes"},
            )
        ],
        TableConstraints(["a > 0"]),
    )
    assert repr(schema) == (  # Dagster's repr
        "TableSchema(columns=[TableColumn(name='a', type='int', description='desc', "
        "constraints=TableColumnConstraints(nullable=False, unique=True, other=['>0']), "
        "tags={'pii': 'yes'})], "
        "constraints=TableConstraints(other=['a > 0']))"
    )


def test_table_schema_from_name_type_dict() -> None:
    schema = TableSchema.from_name_type_dict({"a": "int", "b": "string"})
    assert schema == TableSchema([TableColumn("a", "int"), TableColumn("b", "string")])
    assert schema.constraints == TableConstraints(other=[])


def test_table_record_rejects_bad_values() -> None:
    with pytest.raises(InvalidMetadataError) as info:
        TableRecord({"a": [1]})  # type: ignore[dict-item]
    assert str(info.value) == (
        "TableRecord values must be str, int, float, bool or None; got [1] (list) for column 'a'."
    )
    with pytest.raises(InvalidMetadataError, match=r"TableRecord column names must be str; got 1 \(int\)\."):
        TableRecord({1: 1})  # type: ignore[dict-item]


def test_table_schema_rejects_non_columns() -> None:
    with pytest.raises(InvalidMetadataError) as info:
        TableSchema(["a"])  # type: ignore[list-item]
    assert str(info.value) == "TableSchema.columns must hold only TableColumn objects; got 'a' (str)."


def test_column_lineage_sorts_and_deduplicates() -> None:
    lineage = TableColumnLineage({"x": (TableColumnDep("b", "c"), TableColumnDep("a", "c"))})
    assert repr(lineage) == (  # Dagster's repr (deps sorted by asset key, then column)
        "TableColumnLineage(deps_by_column={'x': ["
        "TableColumnDep(asset_key=AssetKey(['a']), column_name='c'), "
        "TableColumnDep(asset_key=AssetKey(['b']), column_name='c')]})"
    )
    with pytest.raises(InvalidMetadataError) as info:
        TableColumnLineage({"x": [TableColumnDep("b", "c"), TableColumnDep("b", "c")]})
    assert str(info.value) == "The deps for column `x` must be unique by asset key and column name."


def test_column_dep_coerces_its_key() -> None:
    assert TableColumnDep(["a", "b"], "c").asset_key == AssetKey(["a", "b"])
    assert TableColumnDep(AssetKey("a"), "c").asset_key == AssetKey(["a"])


# --- JSON round trip ------------------------------------------------------------------------------


def _everything() -> dict[str, MetadataValue[Any]]:
    schema = TableSchema(
        [
            TableColumn("a", "int", "desc", TableColumnConstraints(False, True, [">0"]), {"pii": "yes"}),
            TableColumn("b"),
        ],
        TableConstraints(["a > b"]),
    )
    return normalize_metadata(
        {
            "text": "x",
            "none_text": TextMetadataValue(None),
            "int": 10**30,
            "float": 1.25,
            "nan": float("nan"),
            "inf": float("inf"),
            "ninf": float("-inf"),
            "none_float": FloatMetadataValue(None),
            "bool": False,
            "json": {"a": [1, 2.5, None, {"b": "c"}]},
            "json_list": [1, "two"],
            "null": None,
            "path": pathlib.Path("/tmp/x"),
            "notebook": MetadataValue.notebook("/n.ipynb"),
            "url": MetadataValue.url("https://example.com"),
            "md": MetadataValue.md("# Title"),
            "artifact": MetadataValue.python_artifact(_Artifact),
            "timestamp": MetadataValue.timestamp(datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=2)))),
            "run": MetadataValue.dagster_run("run-1"),
            "asset": AssetKey(["a", "b"]),
            "job": MetadataValue.job("j", "loc", repository_name="repo"),
            "table": MetadataValue.table([TableRecord({"a": 1, "b": "x"}), TableRecord({"a": 2, "b": None})]),
            "table_with_schema": MetadataValue.table([], schema),
            "schema": schema,
            "lineage": TableColumnLineage({"x": [TableColumnDep(["s", "t"], "y"), TableColumnDep("u", "v")]}),
            "pool": MetadataValue.pool("db"),
            "code": MetadataValue.code_references(
                [LocalFileCodeReference("/a.py", 3, "def"), UrlCodeReference("https://git/x.py")]
            ),
        }
    )


def _same(a: MetadataValue[Any], b: MetadataValue[Any]) -> bool:
    if isinstance(a, FloatMetadataValue) and a.value is not None and math.isnan(a.value):
        return isinstance(b, FloatMetadataValue) and b.value is not None and math.isnan(b.value)
    return a == b


def metadata_to_json(values: dict[str, MetadataValue[Any]]) -> Any:
    return json.loads(codec.encode(values))


def metadata_from_json(data: Any) -> dict[str, MetadataValue[Any]]:
    return codec.decode(json.dumps(data), dict[str, AnyMetadataValue])  # type: ignore[arg-type]


def test_json_round_trip_is_lossless_through_strict_json() -> None:
    values = _everything()
    text = json.dumps(metadata_to_json(values), allow_nan=False)
    back = metadata_from_json(json.loads(text))
    assert list(back) == list(values)
    for key, value in values.items():
        assert type(back[key]) is type(value), key
        assert _same(back[key], value), key
        assert repr(back[key]) == repr(value), key


def test_every_value_class_is_covered_by_the_round_trip() -> None:
    covered = {type(v) for v in _everything().values()}
    assert covered == {
        BoolMetadataValue,
        CodeReferencesMetadataValue,
        DagsterAssetMetadataValue,
        DagsterJobMetadataValue,
        DagsterRunMetadataValue,
        FloatMetadataValue,
        IntMetadataValue,
        JsonMetadataValue,
        MarkdownMetadataValue,
        NotebookMetadataValue,
        NullMetadataValue,
        PathMetadataValue,
        PoolMetadataValue,
        PythonArtifactMetadataValue,
        TableColumnLineageMetadataValue,
        TableMetadataValue,
        TableSchemaMetadataValue,
        TextMetadataValue,
        TimestampMetadataValue,
        UrlMetadataValue,
    }


def test_json_shapes() -> None:
    values = normalize_metadata(
        {
            "n": 3,
            "f": float("nan"),
            "a": AssetKey(["a", "b"]),
            "t": MetadataValue.table([TableRecord({"a": 1})]),
            "p": pathlib.Path("/x"),
        }
    )
    assert metadata_to_json(values) == {
        "n": {"type": "int", "value": 3},
        "f": {"type": "float", "value": "NaN"},
        "a": {"type": "asset", "asset_key": ["a", "b"]},
        "t": {
            "type": "table",
            "records": [{"data": {"a": 1}}],
            "schema": {"columns": [{"name": "a", "type": "int"}]},
        },
        "p": {"type": "path", "fspath": "/x"},
    }


def test_reading_an_unknown_type_names_the_key() -> None:
    with pytest.raises(codec.SerdeError) as info:
        metadata_from_json({"rows": {"type": "bogus", "value": 1}})
    assert "Invalid value 'bogus' - at `$[...].type`" in str(info.value)


def test_reading_a_value_with_a_missing_field_names_it() -> None:
    with pytest.raises(codec.SerdeError, match=r"Object missing required field `value` - at `\$\[\.\.\.\]`"):
        metadata_from_json({"rows": {"type": "int"}})


def test_reading_a_malformed_value_names_the_field() -> None:
    with pytest.raises(codec.SerdeError, match=r"Expected `array`, got `int` - at `\$\[\.\.\.\]\.records`"):
        metadata_from_json({"t": {"type": "table", "records": 5, "schema": {"columns": []}}})
