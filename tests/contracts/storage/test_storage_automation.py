"""The automation evaluations store on every backend."""

from __future__ import annotations

from headwater.selection.automation.records import ConditionResult, EntityEvaluation
from headwater.selection.automation.subsets import KeyRanges
from headwater.storage.protocols import Storage

T0 = 1_700_000_000.0


def _evaluation(key: str, evaluation_id: int, requested: int = 0, at: float = T0) -> EntityEvaluation:
    ranges = KeyRanges(requested, (("2024-01-01", "2024-01-02"),)) if requested else KeyRanges()
    root = ConditionResult(
        "0", "AND", "All of", ranges, 2, "eager", None, (ConditionResult("0.0", "missing", "Missing"),)
    )
    return EntityEvaluation(key, False, evaluation_id, at + evaluation_id, True, 2, ranges, root)


def test_evaluations_round_trip_newest_first(storage: Storage) -> None:
    store = storage.automation
    store.add_evaluations("loc:s", [_evaluation("a", 1), _evaluation("b/c", 1, 2)])
    store.add_evaluations("loc:s", [_evaluation("a", 2, 2)])
    got = store.get_evaluations("a")
    assert [r.evaluation_id for r in got] == [2, 1]
    assert got[0].evaluation.result.children[0].name == "missing"
    assert got[0].evaluation.num_requested == 2
    assert [r.evaluation_id for r in store.get_evaluations("a", limit=1, before_id=got[0].id)] == [1]
    latest = {r.entity_key: r.evaluation_id for r in store.get_latest_evaluations()}
    assert latest == {"a": 2, "b/c": 1}


def test_a_tick_evaluated_again_replaces_its_rows_and_notes_runs(storage: Storage) -> None:
    store = storage.automation
    store.add_evaluations("loc:s", [_evaluation("a", 1)])
    store.add_evaluations("loc:s", [_evaluation("a", 1, 2), _evaluation("b", 1)])
    rows = store.get_tick_evaluations("loc:s", 1)
    assert [(r.entity_key, r.evaluation.num_requested) for r in rows] == [("a", 2), ("b", 0)]
    store.set_run_ids("loc:s", 1, {"a": ["r1", "r2"]})
    assert store.get_evaluations("a")[0].run_ids == ("r1", "r2")
    assert store.get_tick_evaluations("other:s", 1) == []


def test_purge_keeps_each_entitys_newest(storage: Storage) -> None:
    store = storage.automation
    for i in range(1, 4):
        store.add_evaluations("loc:s", [_evaluation("a", i), *([_evaluation("b", i)] if i == 1 else [])])
    assert store.purge_evaluations(T0 + 10) == 2  # a@1, a@2 go; a@3 and b@1 are the newest
    assert [r.evaluation_id for r in store.get_evaluations("a")] == [3]
    assert [r.evaluation_id for r in store.get_evaluations("b")] == [1]
