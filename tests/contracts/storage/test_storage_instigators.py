"""The instigator store: schedule/sensor state and ticks, on every backend."""

from __future__ import annotations

import pytest

from headwater.specs.instigation import EvaluationError, RunRequestData
from headwater.storage.instigators import (
    DuplicateTickError,
    InstigatorState,
    InstigatorStatus,
    InstigatorType,
    PlannedRun,
    TickData,
    TickStatus,
)
from headwater.storage.protocols import Storage


def _state(name: str, status: InstigatorStatus = InstigatorStatus.RUNNING, **kw: object) -> InstigatorState:
    kind = InstigatorType.SENSOR if name.startswith("s") else InstigatorType.SCHEDULE
    return InstigatorState("loc", name, kind, status, **kw)  # type: ignore[arg-type]


def _tick(name: str, ts: float, status: TickStatus = TickStatus.STARTED) -> TickData:
    return TickData("loc", name, InstigatorType.SCHEDULE, status, ts)


def test_state_round_trips_and_is_replaced(storage: Storage) -> None:
    store = storage.instigators
    assert store.get_instigator_state("loc:daily") is None
    store.set_instigator_state(_state("daily", start_timestamp=100.0))
    got = store.get_instigator_state("loc:daily")
    assert got is not None and got.status is InstigatorStatus.RUNNING and got.start_timestamp == 100.0
    store.set_instigator_state(got.replace(status=InstigatorStatus.STOPPED, cursor="c1"))
    again = store.get_instigator_state("loc:daily")
    assert again is not None and again.status is InstigatorStatus.STOPPED and again.cursor == "c1"
    assert len(store.all_instigator_state()) == 1


def test_state_filters_by_type_and_status(storage: Storage) -> None:
    store = storage.instigators
    store.set_instigator_state(_state("daily"))
    store.set_instigator_state(_state("hourly", InstigatorStatus.STOPPED))
    store.set_instigator_state(_state("s_files"))
    names = [s.name for s in store.all_instigator_state(InstigatorType.SCHEDULE)]
    assert names == ["daily", "hourly"]
    running = store.all_instigator_state(statuses=[InstigatorStatus.RUNNING])
    assert sorted(s.name for s in running) == ["daily", "s_files"]
    store.delete_instigator_state("loc:daily")
    assert store.get_instigator_state("loc:daily") is None


def test_ticks_are_unique_per_timestamp(storage: Storage) -> None:
    store = storage.instigators
    first = store.create_tick(_tick("daily", 1000.0))
    with pytest.raises(DuplicateTickError, match="already has a tick"):
        store.create_tick(_tick("daily", 1000.0))
    store.create_tick(_tick("other", 1000.0))  # another instigator at the same time is fine
    assert store.get_tick("loc:daily", 1000.0) == first


def test_tick_updates_keep_everything(storage: Storage) -> None:
    store = storage.instigators
    tick = store.create_tick(_tick("daily", 1000.0))
    request = RunRequestData(run_key="k", run_config={"ops": {"a": {"config": {"x": 1}}}}, tags={"t": "v"})
    done = tick.with_data(
        status=TickStatus.SUCCESS,
        evaluated=True,
        planned=(PlannedRun("r1", request),),
        run_ids=("r1",),
        run_keys=("k",),
        end_timestamp=1001.5,
        cursor="42",
    )
    store.update_tick(done)
    got = store.get_tick("loc:daily", 1000.0)
    assert got == done
    failed = store.create_tick(_tick("daily", 2000.0)).with_data(
        status=TickStatus.FAILURE, error=EvaluationError("boom", "Traceback...")
    )
    store.update_tick(failed)
    assert store.get_ticks("loc:daily", statuses=[TickStatus.FAILURE]) == [failed]


def test_get_ticks_newest_first_with_bounds(storage: Storage) -> None:
    store = storage.instigators
    for ts in (100.0, 200.0, 300.0, 400.0):
        store.create_tick(_tick("daily", ts))
    assert [t.timestamp for t in store.get_ticks("loc:daily")] == [400.0, 300.0, 200.0, 100.0]
    assert [t.timestamp for t in store.get_ticks("loc:daily", limit=2)] == [400.0, 300.0]
    assert [t.timestamp for t in store.get_ticks("loc:daily", before=400.0, after=100.0)] == [300.0, 200.0]
    assert store.purge_ticks("loc:daily", before=300.0) == 2
    assert [t.timestamp for t in store.get_ticks("loc:daily")] == [400.0, 300.0]


def test_latest_ticks_in_one_call(storage: Storage) -> None:
    store = storage.instigators
    for name in ("a", "b"):
        for ts in (10.0, 20.0):
            store.create_tick(_tick(name, ts))
    latest = store.get_latest_ticks(["loc:a", "loc:b", "loc:none"])
    assert sorted(latest) == ["loc:a", "loc:b"]
    assert latest["loc:a"].timestamp == 20.0


def test_ticks_in_batches(storage: Storage) -> None:
    store = storage.instigators
    store.create_tick(_tick("b", 10.0))
    made = store.create_ticks([_tick("a", 10.0), _tick("b", 10.0), _tick("c", 10.0), _tick("a", 10.0)])
    assert [t.tick_data.name if t else None for t in made] == ["a", None, "c", None]
    a, _, c, _ = made
    assert a is not None and c is not None and a.tick_id != c.tick_id
    done = [t.with_data(status=TickStatus.SUCCESS, run_ids=(t.tick_data.name,)) for t in (a, c)]
    store.update_ticks(done)
    assert store.get_tick("loc:a", 10.0) == done[0] and store.get_tick("loc:c", 10.0) == done[1]
    assert store.get_tick("loc:b", 10.0) is not None
    assert store.get_tick("loc:b", 10.0).status is TickStatus.STARTED  # type: ignore[union-attr]
