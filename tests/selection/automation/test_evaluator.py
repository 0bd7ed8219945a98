"""The pure evaluation over hand-built asset states: the leaves that need runs in flight or failed
(in_progress, execution_failed), will_be_requested across assets, partition mappings other than
identity, and multi-partitions."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import headwater as hw
from headwater import AutomationCondition as AC
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.selection.automation.evaluator import evaluate_conditions
from headwater.selection.automation.records import AutomationCursor
from headwater.selection.automation.state import NO_STATE, EntityState
from headwater.selection.automation.subsets import KeyRanges, to_ranges
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec
from headwater.specs.automation_condition import AnyAutomationCondition
from headwater.specs.partition_mappings import DepPartitionMapping, TimeWindowPartitionMapping

NOW = datetime.datetime(2024, 1, 11, 3, tzinfo=datetime.UTC).timestamp()
DAILY = hw.DailyPartitionsDefinition("2024-01-01").to_partitions_spec()
WEEKLY = hw.WeeklyPartitionsDefinition("2023-12-31").to_partitions_spec()
ONE = frozenset({""})


class States:
    def __init__(self, **by_key: EntityState) -> None:
        self.by_key = by_key
        self.reads: list[str] = []

    def asset_state(self, key: AssetKey, partition_keys: Sequence[str], observable: bool) -> EntityState:
        self.reads.append(key.to_user_string())
        return self.by_key.get(key.to_user_string(), NO_STATE)

    def check_state(self, key: AssetCheckKey) -> EntityState:
        return self.by_key.get(key.to_user_string(), NO_STATE)


def node(
    name: str, condition: AnyAutomationCondition | None = None, *deps: str, **kw: object
) -> AssetNodeSpec:
    return AssetNodeSpec(
        key=AssetKey(name),
        deps=tuple(AssetKey(d) for d in deps),
        automation_condition=condition,
        **kw,  # type: ignore[arg-type]
    )


def evaluate(nodes: list[AssetNodeSpec], states: States, cursor: AutomationCursor | None = None):  # type: ignore[no-untyped-def]
    return evaluate_conditions(AssetGraph(nodes), states, cursor, NOW, storage_id=100)


def test_in_progress_and_execution_failed() -> None:
    cond = (AC.in_progress() | AC.execution_failed()).with_label("busy or failed")
    states = States(
        a=EntityState(in_progress=ONE),
        b=EntityState(failed=ONE, materialized=ONE),
        c=EntityState(materialized=ONE),
    )
    out = evaluate([node("a", cond), node("b", cond), node("c", cond)], states)
    assert out.requested_assets == {AssetKey("a"): None, AssetKey("b"): None}


def test_eager_waits_for_deps_in_progress_and_missing() -> None:
    states = States(up=EntityState(materialized=ONE, updated=ONE, in_progress=ONE))
    nodes = [node("up"), node("down", AC.eager(), "up")]
    first = evaluate(nodes, states)  # initial evaluation: handled
    states.by_key["up"] = EntityState(materialized=ONE, updated=ONE, in_progress=ONE)
    second = evaluate(nodes, states, first.cursor)
    assert second.total_requested == 0
    blocked = second.evaluations[0].result.children[3]  # ~any_deps_in_progress
    assert blocked.name == "NOT" and blocked.num_true == 0
    states.by_key["up"] = EntityState(materialized=ONE)
    third = evaluate(nodes, states, second.cursor)  # the update is remembered by SINCE until handled
    assert third.requested_assets == {AssetKey("down"): None}


def test_will_be_requested_lets_a_chain_go_in_one_tick() -> None:
    nodes = [node("a", AC.missing()), node("b", AC.missing() & ~AC.any_deps_missing(), "a")]
    out = evaluate(nodes, States())
    assert set(out.requested_assets) == {AssetKey("a"), AssetKey("b")}
    nodes[0] = node("a")  # no condition: a stays missing, so b waits
    out = evaluate(nodes, States())
    assert set(out.requested_assets) == set()


def test_daily_to_weekly_and_offset_mappings() -> None:
    yesterday = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
    a_updated = EntityState(materialized=frozenset({"2024-01-02"}), updated=frozenset({"2024-01-02"}))
    nodes = [
        node("a", None, partitions=DAILY),
        node("week", AC.any_deps_match(AC.newly_updated()), "a", partitions=WEEKLY),
        node(
            "next_day",
            AC.any_deps_match(AC.newly_updated()),
            "a",
            partitions=DAILY,
            partition_mappings=(DepPartitionMapping(AssetKey("a"), yesterday),),
        ),
    ]
    out = evaluate(nodes, States(a=a_updated))
    assert out.requested_assets[AssetKey("week")] == ["2023-12-31"]
    assert out.requested_assets[AssetKey("next_day")] == ["2024-01-03"]


def test_multi_partitions_latest_time_window() -> None:
    multi = hw.MultiPartitionsDefinition(
        {
            "date": hw.DailyPartitionsDefinition("2024-01-01"),
            "region": hw.StaticPartitionsDefinition(["eu", "us"]),
        }
    ).to_partitions_spec()
    out = evaluate([node("m", AC.missing() & AC.in_latest_time_window(), partitions=multi)], States())
    assert out.requested_assets[AssetKey("m")] == ["2024-01-10|eu", "2024-01-10|us"]


def test_static_partitions_and_states_read_once() -> None:
    static = hw.StaticPartitionsDefinition(["x", "y", "z"]).to_partitions_spec()
    states = States(up=EntityState(materialized=frozenset({"x", "z"})))
    nodes = [
        node("up", None, partitions=static),
        node("d1", AC.missing() & ~AC.any_deps_missing(), "up", partitions=static),
        node("d2", AC.any_deps_missing(), "up", partitions=static),
    ]
    out = evaluate(nodes, states)
    assert out.requested_assets == {AssetKey("d1"): ["x", "z"], AssetKey("d2"): ["y"]}
    assert states.reads.count("up") == 1


def test_key_ranges() -> None:
    keys = [f"k{i}" for i in range(10)]
    index = {k: i for i, k in enumerate(keys)}
    subset = frozenset({"k0", "k1", "k2", "k5", "k9"})
    ranges = to_ranges(subset, keys, index)
    assert ranges == KeyRanges(5, (("k0", "k2"), ("k5", "k5"), ("k9", "k9")))
    assert ranges.keys(keys, index) == subset
    assert to_ranges(frozenset(keys), keys, index) == KeyRanges(10, (("k0", "k9"),))
