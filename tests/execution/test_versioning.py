"""Versions end to end on a real SQLite instance: the provenance each materialization records (with
Dagster's tag names), staleness from the asset index as code and data change, and runs that skip the
unchanged steps (``skip_unchanged``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.core.data_version import compute_logical_data_version
from headwater.core.stale_status import StaleCauseCategory, StaleStatus
from headwater.events.event_type import EventType
from headwater.execution.step_versions import SKIP_REASON_KEY, SKIP_UNCHANGED_TAG

K = hw.AssetKey
FRESH, STALE, MISSING = StaleStatus.FRESH, StaleStatus.STALE, StaleStatus.MISSING


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[hw.Instance]:
    inst = hw.Instance.local_temp(tmp_path)
    try:
        yield inst
    finally:
        inst.dispose()


def build(a_version: str = "1", a_value: int = 1, b_version: str = "1") -> list[Any]:
    calls: list[str] = []

    @hw.asset(code_version=a_version)
    def a() -> int:
        calls.append("a")
        return a_value

    @hw.asset(code_version=b_version)
    def b(a: int) -> int:
        calls.append("b")
        return a + 1

    @hw.asset(code_version="1")
    def c(b: int) -> int:
        calls.append("c")
        return b * 10

    return [a, b, c, calls]


def statuses(instance: hw.Instance, assets: list[Any]) -> dict[str, StaleStatus]:
    graph = hw.Definitions(assets=assets).resolve_asset_graph()
    return {k.to_user_string(): s.status for k, s in instance.get_stale_status_by_asset(graph).items()}


def tags_of(instance: hw.Instance, key: str) -> dict[str, str]:
    entry = instance.get_latest_materialization_event(K(key))
    assert entry is not None and entry.asset_materialization is not None
    return dict(entry.asset_materialization.tags or {})


def test_each_materialization_records_its_provenance(instance: hw.Instance) -> None:
    *assets, _ = build()
    hw.materialize(assets, instance=instance)
    a_tags, b_tags = tags_of(instance, "a"), tags_of(instance, "b")
    a_event = instance.fetch_materializations(K("a"), limit=1).records[0]
    assert a_tags["dagster/code_version"] == "1"
    assert "dagster/data_version_is_user_provided" not in a_tags
    assert len(a_tags["dagster/data_version"]) == 64  # the hash of the stored output (fs_io_manager)
    assert b_tags["dagster/input_data_version/a"] == a_tags["dagster/data_version"]
    assert b_tags["dagster/input_event_pointer/a"] == str(a_event.storage_id)
    provenance = hw.DataProvenance.from_tags(b_tags)
    assert provenance is not None and provenance.code_version == "1"
    assert provenance.input_data_versions == {K("a"): hw.DataVersion(a_tags["dagster/data_version"])}
    assert provenance.input_storage_ids == {K("a"): a_event.storage_id}
    assert not provenance.is_user_provided


def test_reported_versions_and_the_logical_default(instance: hw.Instance) -> None:
    @hw.asset
    def reported() -> hw.MaterializeResult:
        return hw.MaterializeResult(data_version=hw.DataVersion("r1"))

    @hw.asset(code_version="7", deps=[reported])
    def logical() -> None:
        return None

    hw.materialize([reported, logical], instance=instance)
    assert tags_of(instance, "reported")["dagster/data_version"] == "r1"
    assert tags_of(instance, "reported")["dagster/data_version_is_user_provided"] == "true"
    logical_tags = tags_of(instance, "logical")
    assert logical_tags["dagster/input_data_version/reported"] == "r1"
    # no output to hash: the logical version, a hash of the code version and the input versions
    assert (
        logical_tags["dagster/data_version"] == compute_logical_data_version("7", {K("reported"): "r1"}).value
    )


def test_a_stale_chain_becomes_fresh_after_rematerialization(instance: hw.Instance) -> None:
    *assets, _ = build()
    assert statuses(instance, assets) == {"a": MISSING, "b": MISSING, "c": MISSING}
    hw.materialize(assets, instance=instance)
    assert statuses(instance, assets) == {"a": FRESH, "b": FRESH, "c": FRESH}

    *changed, _ = build(a_version="2")  # a's code changed: a stale, and everything downstream of it
    graph = hw.Definitions(assets=changed).resolve_asset_graph()
    state = instance.get_stale_status_by_asset(graph)
    assert [(c.category, c.reason) for c in state[K("a")].causes] == [
        (StaleCauseCategory.CODE, "has a new code version")
    ]
    assert [(c.reason, c.dependency) for c in state[K("b")].causes] == [("has stale dependency", K("a"))]
    assert state[K("c")].status is STALE

    *changed, _ = build(a_version="2", a_value=5)
    hw.materialize(changed, instance=instance, selection=["a"])  # a's data changed
    state = instance.get_stale_status_by_asset(graph)
    assert state[K("a")].status is FRESH
    assert [(c.reason, c.dependency) for c in state[K("b")].causes] == [
        ("has a new dependency data version", K("a"))
    ]
    assert [c.reason for c in state[K("c")].causes] == ["has stale dependency"]

    hw.materialize(changed, instance=instance, selection=["b", "c"])
    assert statuses(instance, changed) == {"a": FRESH, "b": FRESH, "c": FRESH}


def test_an_observation_with_a_new_version_makes_downstream_stale(instance: hw.Instance) -> None:
    source = hw.AssetSpec("src")

    @hw.asset(deps=[source], code_version="1")
    def reader() -> int:
        return 1

    def observe(version: str) -> None:
        instance.report_runless_asset_event(
            hw.AssetObservation("src", tags={"dagster/data_version": version})
        )

    observe("o1")
    hw.materialize([reader], instance=instance)
    assert tags_of(instance, "reader")["dagster/input_data_version/src"] == "o1"
    assert statuses(instance, [source, reader]) == {"src": FRESH, "reader": FRESH}
    observe("o1")
    assert statuses(instance, [source, reader])["reader"] is FRESH
    observe("o2")
    graph = hw.Definitions(assets=[source, reader]).resolve_asset_graph()
    causes = instance.get_stale_status_by_asset(graph)[K("reader")].causes
    assert [(c.reason, c.dependency) for c in causes] == [("has a new dependency data version", K("src"))]


def test_partitions_have_their_own_staleness(instance: hw.Instance) -> None:
    parts = hw.StaticPartitionsDefinition(["p", "q"])
    value = {"p": 1, "q": 1}

    @hw.asset(partitions_def=parts, code_version="1")
    def up(context: hw.AssetExecutionContext) -> int:
        return value[context.partition_key]

    @hw.asset(partitions_def=parts, code_version="1")
    def down(up: int) -> int:
        return up

    for p in ("p", "q"):
        hw.materialize([up, down], instance=instance, partition_key=p)
    graph = hw.Definitions(assets=[up, down]).resolve_asset_graph()
    by_partition = instance.get_stale_status_by_partition(graph, K("down"))
    assert {p: s.status for p, s in by_partition.items()} == {"p": FRESH, "q": FRESH}
    value["p"] = 2
    hw.materialize([up], instance=instance, partition_key="p")
    by_partition = instance.get_stale_status_by_partition(graph, K("down"), ["p", "q"])
    assert by_partition["q"].status is FRESH
    assert [(c.reason, c.dependency_partition_key) for c in by_partition["p"].causes] == [
        ("has a new dependency data version", "p")
    ]
    hw.materialize([up, down], instance=instance, partition_key="p", selection=["down"])
    assert instance.get_stale_status_by_partition(graph, K("down"), ["p"])["p"].status is FRESH


def skipped(result: Any) -> dict[str, str]:
    out = {}
    for event in result.all_events:
        if event.event_type is EventType.STEP_SKIPPED:
            out[event.step_key] = event.event_specific_data.metadata[SKIP_REASON_KEY].value
    return out


def test_skip_unchanged_skips_exactly_the_unchanged_steps(instance: hw.Instance) -> None:
    *assets, calls = build()
    hw.materialize(assets, instance=instance)
    assert calls == ["a", "b", "c"]

    *assets, calls = build()
    result = hw.materialize(assets, instance=instance, skip_unchanged=True)
    assert result.success and calls == []
    assert set(skipped(result)) == {"a", "b", "c"}
    assert "code version and input data versions" in skipped(result)["a"]
    assert statuses(instance, assets) == {"a": FRESH, "b": FRESH, "c": FRESH}

    *assets, calls = build(b_version="2")  # b's code changed: b runs; its output is the same, so c not
    result = hw.materialize(assets, instance=instance, skip_unchanged=True)
    assert calls == ["b"] and set(skipped(result)) == {"a", "c"}

    *assets, calls = build(a_version="2", a_value=3)  # a's code and output changed: all run
    result = hw.materialize(assets, instance=instance, skip_unchanged=True)
    assert calls == ["a", "b", "c"] and skipped(result) == {}

    *assets, calls = build(a_version="2", a_value=3)  # the tag alone asks for it too
    result = hw.materialize(assets, instance=instance, tags={SKIP_UNCHANGED_TAG: "true"})
    assert calls == [] and set(skipped(result)) == {"a", "b", "c"}
    *assets, calls = build(a_version="2", a_value=3)  # and without it, everything runs
    hw.materialize(assets, instance=instance)
    assert calls == ["a", "b", "c"]


def test_skip_unchanged_reuses_the_stored_output(instance: hw.Instance) -> None:
    seen: list[int] = []

    @hw.asset(code_version="1")
    def base() -> int:
        return 41

    @hw.asset
    def unversioned(base: int) -> int:  # no code version: always runs, reading base's stored output
        seen.append(base)
        return base + 1

    hw.materialize([base, unversioned], instance=instance)
    result = hw.materialize([base, unversioned], instance=instance, skip_unchanged=True)
    assert set(skipped(result)) == {"base"} and seen == [41, 41]


def test_skip_unchanged_runs_steps_whose_outputs_live_in_memory(instance: hw.Instance) -> None:
    *assets, calls = build()
    hw.materialize_to_memory(assets, instance=instance)
    result = hw.materialize_to_memory(assets, instance=instance, tags={SKIP_UNCHANGED_TAG: "true"})
    assert skipped(result) == {} and calls == ["a", "b", "c", "a", "b", "c"]


def test_inputs_materialized_in_the_run_are_not_read_back(
    instance: hw.Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = instance.event_log_storage
    asked: list[list[hw.AssetKey]] = []
    real = store.get_asset_versions

    def counting(keys: Any = None) -> Any:
        asked.append(list(keys or []))
        return real(keys)

    monkeypatch.setattr(store, "get_asset_versions", counting)
    *assets, _ = build()
    hw.materialize(assets, instance=instance)
    assert asked == []  # a and b were materialized by this run: their versions are known
    c_tags = tags_of(instance, "c")
    assert c_tags["dagster/input_data_version/b"] == tags_of(instance, "b")["dagster/data_version"]
    hw.materialize(assets, instance=instance, selection=["c"])  # b is not in this run: read once
    assert asked == [[K("b")]]
