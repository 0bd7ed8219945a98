"""What every executor must do: the same jobs, the same values, events and outcomes.

State that must survive a step (retry counters, hook marks, timestamps) goes through files in
``tmp_path`` or output values: with the multiprocess executor steps run in other processes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.events.event_type import EventType
from headwater.execution.api import execute_job
from headwater.instance import Instance

from .conftest import MakeExecutor


def _bump(path: Path) -> int:
    """Increment a counter kept in a file; return the new value."""
    n = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(n))
    return n


# --- values ----------------------------------------------------------------------------------


def test_values_flow_through_chains_and_fan_in(executor: MakeExecutor, instance: Instance) -> None:
    @hw.op
    def one() -> int:
        return 1

    @hw.op
    def add_one(x: int) -> int:
        return x + 1

    @hw.op
    def times_ten(x: int) -> int:
        return x * 10

    @hw.op(ins={"xs": hw.In()})
    def total(xs: list[int]) -> int:
        return sum(xs)

    @hw.job(executor_def=executor())
    def values() -> None:
        x = one()
        y = add_one(add_one(x))
        total([y, times_ten(x), add_one(times_ten(y))])

    result = execute_job(values, instance=instance)
    assert result.success
    assert result.output_for_node("add_one_2") == 3
    assert result.output_for_node("times_ten_2") == 30
    assert result.output_for_node("total") == 3 + 10 + 31


def test_multiple_outputs_and_graph_outputs(executor: MakeExecutor, instance: Instance) -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def split() -> tuple[int, str]:
        return 7, "seven"

    @hw.op
    def describe(a: int, b: str) -> str:
        return f"{b}={a}"

    @hw.graph
    def inner() -> Any:
        a, b = split()
        return describe(a, b)

    @hw.job(executor_def=executor())
    def nested() -> None:
        inner()

    result = execute_job(nested, instance=instance)
    assert result.output_for_node("inner.split", "b") == "seven"
    assert result.output_for_node("inner.describe") == "seven=7"


# --- skips and failures ----------------------------------------------------------------------


def test_optional_output_not_produced_skips_downstream(executor: MakeExecutor, instance: Instance) -> None:
    @hw.op(out={"yes": hw.Out(is_required=False), "no": hw.Out(is_required=False)})
    def branch() -> Iterator[hw.Output[int]]:
        yield hw.Output(1, "yes")

    @hw.op
    def on_yes(x: int) -> int:
        return x + 1

    @hw.op
    def on_no(x: int) -> int:
        return x - 1

    @hw.op
    def after_no(x: int) -> int:
        return x

    @hw.job(executor_def=executor())
    def optional() -> None:
        yes, no = branch()
        on_yes(yes)
        after_no(on_no(no))

    result = execute_job(optional, instance=instance)
    assert result.success
    assert result.output_for_node("on_yes") == 2
    assert result.is_node_skipped("on_no")
    assert result.is_node_skipped("after_no")
    skipped = {e.step_key for e in result.get_step_skipped_events()}
    assert skipped == {"on_no", "after_no"}


def test_failure_leaves_downstream_untouched_and_other_branches_run(
    executor: MakeExecutor, instance: Instance
) -> None:
    @hw.op
    def start() -> int:
        return 1

    @hw.op
    def boom(x: int) -> int:
        raise ValueError("boom")

    @hw.op
    def after_boom(x: int) -> int:
        return x

    @hw.op
    def fine(x: int) -> int:
        return x + 1

    @hw.job(executor_def=executor())
    def failing() -> None:
        x = start()
        after_boom(boom(x))
        fine(x)

    result = execute_job(failing, instance=instance, raise_on_error=False)
    assert not result.success
    assert result.is_node_failed("boom")
    assert result.is_node_untouched("after_boom")
    assert result.output_for_node("fine") == 2
    failure = result.failure_data_for_node("boom")
    assert "boom" in failure.error.message
    assert result.get_job_failure_event().event_type is EventType.RUN_FAILURE
    run = instance.get_run_by_id(result.run_id)
    assert run is not None and run.status.value == "FAILURE"


def test_raise_on_error_raises_the_user_error(executor: MakeExecutor, instance: Instance) -> None:
    @hw.op
    def boom() -> None:
        raise KeyError("missing thing")

    @hw.job(executor_def=executor())
    def failing() -> None:
        boom()

    with pytest.raises(KeyError, match="missing thing"):
        execute_job(failing, instance=instance)


# --- retries ---------------------------------------------------------------------------------


def test_retry_policy_retries_within_the_step(
    executor: MakeExecutor, instance: Instance, tmp_path: Path
) -> None:
    counter = tmp_path / "attempts"

    @hw.op(retry_policy=hw.RetryPolicy(max_retries=3))
    def flaky() -> int:
        n = _bump(counter)
        if n < 3:
            raise RuntimeError(f"attempt {n}")
        return n

    @hw.job(executor_def=executor())
    def retrying() -> None:
        flaky()

    result = execute_job(retrying, instance=instance)
    assert result.success
    assert result.output_for_node("flaky") == 3
    assert result.retry_attempts_for_node("flaky") == 2
    types = [e.event_type for e in result.events_for_node("flaky")]
    assert types.count(EventType.STEP_UP_FOR_RETRY) == 2


def test_retry_requested_exhausted_fails(executor: MakeExecutor, instance: Instance, tmp_path: Path) -> None:
    counter = tmp_path / "attempts"

    @hw.op
    def always() -> None:
        _bump(counter)
        raise hw.RetryRequested(max_retries=2)

    @hw.job(executor_def=executor())
    def exhausted() -> None:
        always()

    result = execute_job(exhausted, instance=instance, raise_on_error=False)
    assert not result.success
    assert counter.read_text() == "3"
    assert "Exceeded max_retries of 2" in result.failure_data_for_node("always").error.message


# --- dynamic ---------------------------------------------------------------------------------


def test_dynamic_map_and_collect(executor: MakeExecutor, instance: Instance) -> None:
    @hw.op(out=hw.DynamicOut())
    def fan_out() -> Iterator[hw.DynamicOutput[int]]:
        for i in range(4):
            yield hw.DynamicOutput(i, mapping_key=f"k{i}")

    @hw.op
    def square(x: int) -> int:
        return x * x

    @hw.op
    def plus_one(x: int) -> int:
        return x + 1

    @hw.op
    def gather(xs: list[int]) -> int:
        return sum(xs)

    @hw.job(executor_def=executor())
    def dynamic() -> None:
        gather(fan_out().map(square).map(plus_one).collect())

    result = execute_job(dynamic, instance=instance)
    assert result.success
    assert result.output_for_node("square") == {"k0": 0, "k1": 1, "k2": 4, "k3": 9}
    assert result.output_for_node("gather") == 0 + 1 + 4 + 9 + 4


def test_dynamic_with_no_items_and_a_failed_member(executor: MakeExecutor, instance: Instance) -> None:
    @hw.op(out=hw.DynamicOut())
    def items() -> Iterator[hw.DynamicOutput[int]]:
        for i in (1, 2, 3):
            yield hw.DynamicOutput(i, mapping_key=str(i))

    @hw.op
    def check(x: int) -> int:
        if x == 2:
            raise ValueError("two")
        return x

    @hw.op
    def gather(xs: list[int]) -> int:
        return sum(xs)

    @hw.job(executor_def=executor())
    def partly() -> None:
        gather(items().map(check).collect())

    result = execute_job(partly, instance=instance, raise_on_error=False)
    assert not result.success
    assert result.get_failed_step_keys() == {"check[2]"}
    assert result.is_node_untouched("gather")


# --- hooks -----------------------------------------------------------------------------------


def test_hooks_fire_on_success_and_failure(
    executor: MakeExecutor, instance: Instance, tmp_path: Path
) -> None:
    @hw.success_hook
    def on_ok(context: Any) -> None:
        (tmp_path / f"ok-{context.step_key}").write_text(str(os.getpid()))

    @hw.failure_hook
    def on_fail(context: Any) -> None:
        (tmp_path / f"fail-{context.step_key}").write_text(repr(context.op_exception))

    @hw.op
    def good() -> int:
        return 1

    @hw.op
    def bad() -> None:
        raise ValueError("bad")

    @hw.job(executor_def=executor(), hooks={on_ok, on_fail})
    def hooked() -> None:
        good()
        bad()

    result = execute_job(hooked, instance=instance, raise_on_error=False)
    assert (tmp_path / "ok-good").exists()
    assert "bad" in (tmp_path / "fail-bad").read_text()
    assert not (tmp_path / "ok-bad").exists()
    completed = {
        (e.step_key, e.event_type) for e in result.all_events if e.event_type is EventType.HOOK_COMPLETED
    }
    assert completed == {("good", EventType.HOOK_COMPLETED), ("bad", EventType.HOOK_COMPLETED)}


# --- assets ----------------------------------------------------------------------------------


def test_asset_materializations_with_the_filesystem_io_manager(
    executor: MakeExecutor, instance: Instance, tmp_path: Path
) -> None:
    store = tmp_path / "store"

    @hw.asset
    def upstream() -> list[int]:
        return [1, 2, 3]

    @hw.asset
    def downstream(upstream: list[int]) -> int:
        return sum(upstream)

    @hw.asset
    def other(upstream: list[int]) -> int:
        return len(upstream)

    defs = hw.Definitions(
        assets=[upstream, downstream, other],
        jobs=[hw.define_asset_job("all_assets")],
        resources={"io_manager": hw.FilesystemIOManager(base_dir=str(store))},
        executor=executor(),
    )
    result = execute_job(defs.get_job_def("all_assets"), instance=instance)
    assert result.success
    assert sorted(p.name for p in store.iterdir()) == ["downstream", "other", "upstream"]
    mats = {
        m.asset_key.to_user_string()
        for m in (e.event_specific_data for e in result.get_asset_materialization_events())
    }
    assert mats == {"upstream", "downstream", "other"}
    latest = instance.get_latest_materialization_event(hw.AssetKey("downstream"))
    assert latest is not None and latest.run_id == result.run_id
    assert defs.load_asset_value("downstream", instance=instance) == 6
    assert result.output_for_node("downstream") == 6


# --- events in storage -----------------------------------------------------------------------


@pytest.fixture(params=["ephemeral", "sqlite"])
def any_instance(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Instance]:
    root = tmp_path / "instance"
    inst = Instance.ephemeral(root) if request.param == "ephemeral" else Instance.local_temp(root)
    yield inst
    inst.dispose()


def test_events_are_recorded_in_the_instance(
    executor: MakeExecutor, executor_name: str, any_instance: Instance
) -> None:
    @hw.op
    def first(context: Any) -> int:
        context.log.info("hello from first")
        return 1

    @hw.op
    def second(x: int) -> int:
        return x + 1

    @hw.job(executor_def=executor())
    def logged() -> None:
        second(first())

    result = execute_job(logged, instance=any_instance)
    stored = any_instance.all_logs(result.run_id)
    assert len(stored) == len(result.event_log_entries)
    stored_types = [e.dagster_event.event_type for e in stored if e.dagster_event is not None]
    result_types = [e.event_type for e in result.all_events]
    assert sorted(t.value for t in stored_types) == sorted(t.value for t in result_types)
    assert any(e.user_message == "hello from first" and e.step_key == "first" for e in stored)
    for step in ("first", "second"):
        types = [e.event_type for e in result.events_for_node(step)]
        # As in Dagster, a step run in a worker process starts with the worker's two events.
        workers = [t for t in types if t in (EventType.STEP_WORKER_STARTING, EventType.STEP_WORKER_STARTED)]
        assert types[: len(workers)] == workers
        assert len(workers) == (2 if executor_name == "multiprocess" else 0)
        types = types[len(workers) :]
        assert types[0] is EventType.STEP_START and types[-1] is EventType.STEP_SUCCESS
    run = any_instance.get_run_by_id(result.run_id)
    assert run is not None and run.status.value == "SUCCESS"


# --- concurrency -----------------------------------------------------------------------------


def _max_overlap(spans: list[tuple[float, float]]) -> int:
    points = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda p: (p[0], p[1]))
    best = cur = 0
    for _, delta in points:
        cur += delta
        best = max(best, cur)
    return best


def test_max_concurrent_is_honoured(executor: MakeExecutor, executor_name: str, instance: Instance) -> None:
    @hw.op
    def nap() -> tuple[float, float]:
        start = time.time()
        time.sleep(0.3)
        return start, time.time()

    @hw.job(executor_def=executor(max_concurrent=2))
    def naps() -> None:
        for i in range(5):
            nap.alias(f"nap_{i}")()

    result = execute_job(naps, instance=instance)
    spans = [result.output_for_node(f"nap_{i}") for i in range(5)]
    overlap = _max_overlap(spans)
    assert overlap <= 2
    if executor_name == "multiprocess":
        assert overlap == 2  # it does run steps in parallel


def test_skip_unchanged_runs_what_changed_in_the_run(
    executor: MakeExecutor, instance: Instance, tmp_path: Path
) -> None:
    """An upstream without a code version always runs; when its output changes, the steps that read it
    run too (even in another process), and when it does not, they are skipped."""
    source = tmp_path / "value.txt"
    source.write_text("1")

    @hw.asset
    def reading() -> int:
        return int(source.read_text())

    @hw.asset(code_version="1")
    def doubled(reading: int) -> int:
        return reading * 2

    @hw.asset(code_version="1")
    def tripled(reading: int) -> int:
        return reading * 3

    defs = hw.Definitions(
        assets=[reading, doubled, tripled],
        jobs=[hw.define_asset_job("versioned")],
        resources={"io_manager": hw.FilesystemIOManager(base_dir=str(tmp_path / "store"))},
        executor=executor(max_concurrent=2),
    )
    job = defs.get_job_def("versioned")
    skip = {"headwater/skip_unchanged": "true"}

    def skipped(result: Any) -> set[str]:
        return {e.step_key for e in result.all_events if e.event_type is EventType.STEP_SKIPPED}

    assert execute_job(job, instance=instance).success
    same = execute_job(job, instance=instance, tags=skip)
    assert same.success and skipped(same) == {"doubled", "tripled"}
    source.write_text("5")
    changed = execute_job(job, instance=instance, tags=skip)
    assert changed.success and skipped(changed) == set()
    mats = {
        m.asset_key.to_user_string()
        for m in (e.event_specific_data for e in changed.get_asset_materialization_events())
    }
    assert mats == {"reading", "doubled", "tripled"}
    again = execute_job(job, instance=instance, tags=skip)
    assert skipped(again) == {"doubled", "tripled"}
