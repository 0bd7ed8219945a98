"""evaluate_automation_conditions over a real (in-memory SQLite) instance and real materializations.

The expected requests of each scenario are what Dagster 1.13.29's ``evaluate_automation_conditions``
returns for the same definitions, materializations and evaluation times (run side by side when this
was written), so these pin Dagster's semantics: eager/on_missing skip the initial evaluation, cron
ticks count from the previous evaluation, ``since`` resets win over triggers on the same tick.
"""

from __future__ import annotations

import datetime

import pytest

import headwater as hw
from headwater import AutomationCondition as AC
from headwater.errors import InvalidDefinitionError

T0 = datetime.datetime(2024, 1, 11, 3, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)
daily = hw.DailyPartitionsDefinition("2024-01-01")


class Ticks:
    """Evaluations one after another, each from the previous cursor."""

    def __init__(self, assets: list[object]) -> None:
        self.assets = assets
        self.instance = hw.Instance.ephemeral()
        self.cursor = None
        self.result: hw.EvaluateAutomationConditionsResult | None = None

    def __call__(self, at: datetime.datetime, *keys: str) -> tuple[int, dict[str, list[str | None]]]:
        result = hw.evaluate_automation_conditions(
            self.assets, self.instance, evaluation_time=at, cursor=self.cursor
        )
        self.cursor, self.result = result.cursor, result
        requested = {k: sorted(result.get_requested_partitions(k), key=str) for k in keys}
        return result.total_requested, requested


def test_eager_over_daily_partitions() -> None:
    @hw.asset(partitions_def=daily, automation_condition=AC.eager())
    def up() -> None: ...

    @hw.asset(partitions_def=daily, deps=[up], automation_condition=AC.eager())
    def down() -> None: ...

    tick = Ticks([up, down])
    assert tick(T0, "up", "down") == (0, {"up": [], "down": []})  # missing at first: not requested
    assert tick(T0 + H)[0] == 0
    hw.materialize([up], instance=tick.instance, partition_key="2024-01-10")
    hw.materialize([up], instance=tick.instance, partition_key="2024-01-05")  # not the latest window
    assert tick(T0 + 2 * H, "up", "down") == (1, {"up": [], "down": ["2024-01-10"]})
    assert tick(T0 + 3 * H)[0] == 0  # handled: requested on the previous tick
    # The next day's partition appears: newly missing upstream, and requested downstream with it.
    assert tick(T0 + 24 * H, "up", "down") == (2, {"up": ["2024-01-11"], "down": ["2024-01-11"]})
    assert tick(T0 + 25 * H)[0] == 0


def test_eager_unpartitioned_chain_and_the_reason_tree() -> None:
    @hw.asset(automation_condition=AC.eager())
    def up() -> None: ...

    @hw.asset(deps=[up], automation_condition=AC.eager())
    def down() -> None: ...

    tick = Ticks([up, down])
    assert tick(T0)[0] == 0
    hw.materialize([up], instance=tick.instance)
    assert tick(T0 + H, "down") == (1, {"down": [None]})
    assert tick.result is not None
    evaluation = tick.result.get_evaluation("down")
    assert evaluation.num_requested == 1
    root = evaluation.result
    assert (root.name, root.label, root.num_true) == ("AND", "eager", 1)
    labels = [c.label or c.name for c in root.children]
    assert labels == ["in_latest_time_window", "SINCE", "NOT", "NOT", "NOT"]
    since = root.children[1]
    any_deps_updated = since.children[0].children[1]
    assert any_deps_updated.label == "any_deps_updated"
    assert [c.dep_key for c in any_deps_updated.children] == ["up"]
    assert any_deps_updated.num_true == 1
    # up itself was not requested: the reason is in its tree (nothing newly missing, no deps updated).
    assert tick.result.get_evaluation("up").result.num_true == 0


def test_on_missing_requests_partitions_that_go_missing() -> None:
    @hw.asset(partitions_def=daily, automation_condition=AC.on_missing())
    def om() -> None: ...

    tick = Ticks([om])
    assert tick(T0, "om") == (0, {"om": []})
    assert tick(T0 + 24 * H, "om") == (1, {"om": ["2024-01-11"]})
    assert tick(T0 + 25 * H, "om") == (0, {"om": []})


def test_on_cron_waits_for_the_tick_and_every_dep() -> None:
    @hw.asset
    def src() -> None: ...

    @hw.asset(deps=[src], automation_condition=AC.on_cron("0 * * * *"))
    def cr() -> None: ...

    tick = Ticks([src, cr])
    assert tick(T0)[0] == 0  # first evaluation: no tick passed yet
    assert tick(T0 + H / 2)[0] == 0  # 03:00 was at the previous evaluation, but src never updated
    assert tick(T0 + 1.1 * H)[0] == 0  # 04:00 passed; still waiting for src
    hw.materialize([src], instance=tick.instance)
    assert tick(T0 + 1.2 * H, "cr") == (1, {"cr": [None]})
    assert tick(T0 + 1.3 * H)[0] == 0


def test_cron_tick_passed_alone() -> None:
    @hw.asset(partitions_def=daily, automation_condition=AC.on_cron("0 * * * *"))
    def c() -> None: ...

    tick = Ticks([c])
    assert tick(T0)[0] == 0
    assert tick(T0 + H / 2, "c") == (1, {"c": ["2024-01-10"]})
    assert tick(T0 + 61 * datetime.timedelta(minutes=1))[0] == 0  # requested last tick: handled
    assert tick(T0 + 62 * datetime.timedelta(minutes=1))[0] == 0


def test_missing_requests_every_missing_partition() -> None:
    @hw.asset(partitions_def=daily, automation_condition=AC.missing())
    def p() -> None: ...

    tick = Ticks([p])
    assert tick(T0)[0] == 10
    hw.materialize([p], instance=tick.instance, partition_key="2024-01-03")
    total, requested = tick(T0 + H, "p")
    assert total == 9 and "2024-01-03" not in requested["p"]


def test_operators_newly_true_since_lookback_and_deps() -> None:
    @hw.asset(partitions_def=daily)
    def a() -> None: ...

    window = AC.in_latest_time_window(datetime.timedelta(days=3))

    @hw.asset(
        partitions_def=daily,
        deps=[a],
        automation_condition=(AC.missing() & ~AC.any_deps_missing() & window).with_label("x"),
    )
    def b() -> None: ...

    @hw.asset(partitions_def=daily, deps=[a], automation_condition=AC.any_deps_updated().newly_true())
    def c() -> None: ...

    @hw.asset(
        partitions_def=daily, deps=[a], automation_condition=AC.any_deps_updated().since(AC.newly_updated())
    )
    def d() -> None: ...

    @hw.asset(deps=[a], automation_condition=AC.any_deps_updated() | AC.missing())
    def e() -> None: ...

    @hw.asset(deps=[a], automation_condition=AC.all_deps_match(AC.missing()))
    def f() -> None: ...

    tick = Ticks([a, b, c, d, e, f])
    keys = ("b", "c", "d", "e", "f")
    assert tick(T0, *keys) == (2, {"b": [], "c": [], "d": [], "e": [None], "f": [None]})
    hw.materialize([a], instance=tick.instance, partition_key="2024-01-09")
    hw.materialize([a], instance=tick.instance, partition_key="2024-01-01")
    assert tick(T0 + H, *keys) == (
        7,
        {
            "b": ["2024-01-09"],
            "c": ["2024-01-01", "2024-01-09"],
            "d": ["2024-01-01", "2024-01-09"],
            "e": [None],
            "f": [None],
        },
    )
    assert tick(T0 + 2 * H, *keys) == (
        5,
        {"b": ["2024-01-09"], "c": [], "d": ["2024-01-01", "2024-01-09"], "e": [None], "f": [None]},
    )
    hw.materialize([d], instance=tick.instance, partition_key="2024-01-09")
    assert tick(T0 + 3 * H, *keys) == (
        4,
        {"b": ["2024-01-09"], "c": [], "d": ["2024-01-01"], "e": [None], "f": [None]},
    )
    assert tick.result is not None
    assert tick.result.get_evaluation("b").result.label == "x"


def test_an_asset_check_with_a_condition() -> None:
    @hw.asset
    def checked() -> None: ...

    @hw.asset_check(asset=checked, automation_condition=AC.any_deps_updated())
    def my_check() -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=True)

    tick = Ticks([checked, my_check])
    assert tick(T0)[0] == 0
    hw.materialize([checked], instance=tick.instance, selection=[checked])
    assert tick(T0 + H)[0] == 1
    assert tick.result is not None
    assert [k.to_user_string() for k in tick.result.requested_checks] == ["checked:my_check"]
    assert tick(T0 + 2 * H)[0] == 0


def test_the_cursor_round_trips_and_a_changed_condition_starts_afresh() -> None:
    @hw.asset(automation_condition=AC.missing().newly_true())
    def x() -> None: ...

    tick = Ticks([x])
    assert tick(T0)[0] == 1  # newly true on the first evaluation
    assert tick.cursor is not None
    tick.cursor = type(tick.cursor).from_string(tick.cursor.to_string())
    assert tick(T0 + H)[0] == 0

    @hw.asset(name="x", automation_condition=AC.missing().newly_true().with_label("renamed"))
    def x2() -> None: ...

    tick.assets = [x2]
    assert tick(T0 + 2 * H)[0] == 1  # another condition: its state starts afresh


def test_asset_selection_limits_the_evaluation() -> None:
    @hw.asset(automation_condition=AC.missing())
    def one() -> None: ...

    @hw.asset(automation_condition=AC.missing())
    def two() -> None: ...

    result = hw.evaluate_automation_conditions([one, two], hw.Instance.ephemeral(), asset_selection=["one"])
    assert result.total_requested == 1 and [e.entity_key for e in result.results] == ["one"]


def test_bad_conditions_fail_at_definition_time_naming_the_asset() -> None:
    @hw.asset(automation_condition="eager")
    def bad() -> None: ...

    with pytest.raises(
        InvalidDefinitionError, match=r"automation_condition of asset .*bad.* AutomationCondition"
    ):
        hw.Definitions(assets=[bad]).resolve_asset_graph()

    @hw.asset(automation_condition=AC.on_cron("every hour"))
    def bad_cron() -> None: ...

    with pytest.raises(InvalidDefinitionError, match=r"bad_cron.*invalid cron schedule 'every hour'"):
        hw.Definitions(assets=[bad_cron]).resolve_asset_graph()

    with pytest.raises(InvalidDefinitionError, match="takes an AutomationCondition"):
        AC.missing() & "x"  # type: ignore[operator]


def test_the_condition_travels_in_the_location_spec() -> None:
    import msgspec

    from headwater.specs.automation_condition import decode_condition
    from headwater.specs.location import LocationSpec, from_json, to_json

    @hw.asset(automation_condition=AC.eager() | AC.on_cron("0 0 * * *", "Europe/Paris"))
    def spec_asset() -> None: ...

    node = hw.Definitions(assets=[spec_asset]).resolve_asset_graph().get(hw.AssetKey("spec_asset"))
    assert node.automation_condition is not None
    back = from_json(to_json(LocationSpec(assets=(node,))), verify=True).assets[0]
    assert back.automation_condition == node.automation_condition
    assert decode_condition(msgspec.json.encode(node.automation_condition)) == node.automation_condition
