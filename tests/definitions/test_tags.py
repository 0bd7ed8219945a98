"""Tags are normalized as Dagster normalizes them: JSON text for run/job/op tag values, short labels only
for asset tags."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.definitions.tags import build_kind_tag, has_kind, normalize_tags
from headwater.errors import InvalidDefinitionError


def test_lenient_tags_store_json_text() -> None:
    tags = {"s": "text with spaces", "i": 1, "b": False, "n": None, "l": [1, "a"], "d": {"k": 2}}
    assert normalize_tags(tags) == {
        "s": "text with spaces",
        "i": "1",
        "b": "false",
        "n": "null",
        "l": '[1, "a"]',
        "d": '{"k": 2}',
    }
    assert normalize_tags(None) == {}


@pytest.mark.parametrize(
    ("value", "problem"),
    [(object(), "Could not JSON encode"), ((1, 2), "is not equivalent"), ({1: "a"}, "is not equivalent")],
)
def test_values_that_do_not_survive_json_are_refused(value: object, problem: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=problem):
        normalize_tags({"a": value})


def test_keys_must_be_strings() -> None:
    with pytest.raises(InvalidDefinitionError, match="Tag keys must be strings"):
        normalize_tags({1: "a"})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ({"a": 1}, "Tag values must be strings, got type <class 'int'> at key a."),
        ({"owner": "data team"}, "Invalid tag value: data team, for key: owner."),
        ({"k": "x" * 64}, "Must have <= 63 characters"),
        ({"my key": "x"}, r"Found invalid tag keys: \['my key'\]"),
        ({"a/b/c": "x"}, "Found invalid tag keys"),
    ],
)
def test_asset_tags_are_strict(tags: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=message):
        normalize_tags(tags, strict=True)
    with pytest.raises(InvalidDefinitionError, match=message):
        hw.AssetSpec("a", tags=tags)  # type: ignore[arg-type]


def test_strict_tags_allow_labels_namespaces_and_kinds() -> None:
    tags = {"team/owner": "data-eng", "tier": "", "dagster/kind/python": "", "v1.2": "x_y"}
    assert normalize_tags(tags, strict=True) == tags
    assert has_kind(hw.AssetSpec("a", kinds={"python"}).tags, "python")
    assert build_kind_tag("dbt") == {"dagster/kind/dbt": ""}


def test_definitions_and_runs_normalize_their_tags() -> None:
    @hw.op(tags={"retries": 3})
    def tagged() -> int:
        return 1

    @hw.job(tags={"n": 1}, run_tags={"flag": True})
    def tagged_job() -> None:
        tagged()

    assert tagged.tags == {"retries": "3"}
    assert (tagged_job.tags, tagged_job.run_tags) == ({"n": "1"}, {"flag": "true"})
    result = tagged_job.execute_in_process(tags={"extra": [1]})
    assert result.dagster_run.tags == {"n": "1", "flag": "true", "extra": "[1]"}
    with pytest.raises(InvalidDefinitionError, match='Invalid value for tag "bad"'):
        tagged_job.execute_in_process(tags={"bad": object()})
