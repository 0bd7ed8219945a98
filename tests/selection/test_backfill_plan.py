"""A backfill's plan from specs: groups, runs per BackfillPolicy, dependencies through partition
mappings, and run ids derived from the backfill and its partitions."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidInvocationError
from headwater.selection.backfill_plan import BackfillPlan, build_backfill_plan
from headwater.selection.backfill_targets import PartitionChoice, target_partitions
from headwater.specs.job import JobSpec

daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")
static = hw.StaticPartitionsDefinition(["a", "b", "c"])


@hw.asset(partitions_def=daily)
def raw() -> int:
    return 1


@hw.asset(
    partitions_def=daily, ins={"raw": hw.AssetIn(partition_mapping=hw.TimeWindowPartitionMapping(-1, -1))}
)
def lagged(raw: int) -> int:
    return raw


@hw.asset(deps=[raw])
def summary() -> int:
    return 1


@hw.asset(partitions_def=daily, deps=[summary], backfill_policy=hw.BackfillPolicy.multi_run(4))
def after_summary() -> int:
    return 1


@hw.asset(partitions_def=static)
def regions() -> int:
    return 1


GRAPH = hw.Definitions(assets=[raw, lagged, summary, after_summary, regions]).resolve_asset_graph()


def _plan(keys: Sequence[str], choice: PartitionChoice) -> BackfillPlan:
    asset_keys = [AssetKey(k) for k in keys]
    targets = target_partitions(GRAPH, asset_keys, choice, statuses=lambda _k: {})
    return build_backfill_plan(GRAPH, targets, lambda group: JobSpec("__ASSET_JOB", ()), {"module_name": "m"})


def _names(plan: BackfillPlan) -> list[list[str]]:
    return [[k.to_user_string() for k in g.asset_keys] for g in plan.groups]


def test_groups_levels_and_dependencies() -> None:
    plan = _plan(["raw", "lagged", "summary", "after_summary"], PartitionChoice("all"))
    # lagged reads the day before: not the identity, so a group of its own, after raw's
    assert _names(plan) == [["raw"], ["lagged"], ["summary"], ["after_summary"]]
    by_group: dict[str, list[int]] = {}
    for i, r in enumerate(plan.requests):
        for k in plan.groups[r.group].asset_keys:
            by_group.setdefault(k.to_user_string(), []).append(i)
    raw_runs = by_group["raw"]
    assert len(raw_runs) == 10 and all(not plan.requests[i].depends_on for i in raw_runs)
    lagged_runs = by_group["lagged"]
    # lagged's 2024-01-02 reads raw's 2024-01-01
    second = next(i for i in lagged_runs if plan.requests[i].partition_keys == ("2024-01-02",))
    assert [plan.requests[d].partition_keys for d in plan.requests[second].depends_on] == [("2024-01-01",)]
    # the unpartitioned summary waits for every raw run; after_summary runs in ranges of 4
    [summary_run] = by_group["summary"]
    assert set(raw_runs) <= set(plan.requests[summary_run].depends_on)
    after = [plan.requests[i] for i in by_group["after_summary"]]
    assert [len(r.partition_keys) for r in after] == [4, 4, 2]
    assert all(summary_run in r.depends_on for r in after)


def test_run_ids_are_derived_from_backfill_and_partitions() -> None:
    plan = _plan(["raw"], PartitionChoice("range", start="2024-01-02", end="2024-01-04"))
    again = _plan(["raw"], PartitionChoice("range", start="2024-01-02", end="2024-01-04"))
    assert plan.run_ids("b1") == again.run_ids("b1")
    assert len(set(plan.run_ids("b1"))) == 3 and set(plan.run_ids("b1")).isdisjoint(plan.run_ids("b2"))


def test_keys_and_static_partitions() -> None:
    plan = _plan(["regions"], PartitionChoice.parse("c, a"))
    assert [r.partition_keys for r in plan.requests] == [("a",), ("c",)]
    with pytest.raises(InvalidInvocationError, match="not a partition range"):
        PartitionChoice.parse("a...")


def test_ranges_split_at_gaps() -> None:
    from headwater.selection.backfill_plan import _chunks

    keys = [str(i) for i in range(10)]
    assert _chunks(keys, ["0", "1", "2", "5", "6", "9"], None) == [("0", "1", "2"), ("5", "6"), ("9",)]
    assert _chunks(keys, ["0", "1", "2", "3", "4"], 2) == [("0", "1"), ("2", "3"), ("4",)]
