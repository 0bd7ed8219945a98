"""The multiprocess executor beyond the shared contract: its pool, limits, config and failure modes."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
import headwater.compat.dagster as dg
from headwater.errors import InvalidConfigError, StepWorkerError, UnmetExecutorRequirementsError
from headwater.events.event_type import EventType
from headwater.execution.api import execute_job
from headwater.executors.multiprocess import MultiprocessExecutor, multiprocess_executor
from headwater.instance import Instance


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _max_overlap(spans: list[tuple[float, float]]) -> int:
    points = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    best = cur = 0
    for _, delta in points:
        cur += delta
        best = max(best, cur)
    return best


@hw.op
def nap() -> tuple[float, float]:
    start = time.time()
    time.sleep(0.25)
    return start, time.time()


def _naps_job(executor: Any, n: int = 4, **op_kwargs: Any) -> Any:
    naps = [hw.op(name=f"nap_{i}", **op_kwargs)(nap.compute_fn) for i in range(n)] if op_kwargs else None

    @hw.job(executor_def=executor)
    def naps_job() -> None:
        for i in range(n):
            (naps[i] if naps else nap.alias(f"nap_{i}"))()

    return naps_job


def _overlap(result: Any, n: int = 4) -> int:
    return _max_overlap([result.output_for_node(f"nap_{i}") for i in range(n)])


# --- the pool --------------------------------------------------------------------------------


def test_steps_run_in_a_warm_pool_of_forked_workers(instance: Instance) -> None:
    @hw.op
    def pid() -> int:
        return os.getpid()

    @hw.op
    def pid_after(x: Any) -> tuple[int, int]:
        return (x if isinstance(x, int) else x[0]), os.getpid()

    @hw.job(executor_def=MultiprocessExecutor(max_concurrent=1))
    def chain() -> None:
        pid_after.alias("c")(pid_after.alias("b")(pid()))

    result = execute_job(chain, instance=instance)
    first = result.output_for_node("pid")
    assert first != os.getpid()
    assert result.output_for_node("c")[1] == first  # one worker ran every step: no process per step
    engine = [e.message for e in result.all_events if e.event_type is EventType.ENGINE_EVENT]
    assert any("multiprocess executor" in m and "fork" in m for m in engine)
    assert any("1 worker processes started" in m for m in engine)


def test_each_worker_builds_its_resources_once_and_tears_them_down(
    instance: Instance, tmp_path: Path
) -> None:
    @hw.resource
    def tracked(_: Any) -> Iterator[str]:
        (tmp_path / f"init-{os.getpid()}").write_text("")
        yield "value"
        (tmp_path / f"teardown-{os.getpid()}").write_text("")

    @hw.op(required_resource_keys={"tracked"})
    def use(context: Any) -> int:
        assert context.resources.tracked == "value"
        return os.getpid()

    @hw.job(executor_def=MultiprocessExecutor(max_concurrent=2), resource_defs={"tracked": tracked})
    def many() -> None:
        for i in range(6):
            use.alias(f"use_{i}")()

    result = execute_job(many, instance=instance)
    worker_pids = {result.output_for_node(f"use_{i}") for i in range(6)}
    inits = {p.name for p in tmp_path.glob("init-*")} - {f"init-{os.getpid()}"}
    assert inits == {f"init-{pid}" for pid in worker_pids}
    assert {p.name for p in tmp_path.glob("teardown-*")} >= {f"teardown-{pid}" for pid in worker_pids}
    assert not any(_alive(pid) for pid in worker_pids)


def test_dynamic_mapped_steps_spread_over_workers(instance: Instance) -> None:
    @hw.op(out=hw.DynamicOut())
    def items() -> Iterator[hw.DynamicOutput[int]]:
        for i in range(4):
            yield hw.DynamicOutput(i, mapping_key=str(i))

    @hw.op
    def slow(x: int) -> tuple[int, float, float]:
        start = time.time()
        time.sleep(0.2)
        return os.getpid(), start, time.time()

    @hw.op
    def pids(xs: list[tuple[int, float, float]]) -> set[int]:
        return {x[0] for x in xs}

    @hw.job(executor_def=MultiprocessExecutor(max_concurrent=2))
    def mapped() -> None:
        pids(items().map(slow).collect())

    result = execute_job(mapped, instance=instance)
    assert len(result.output_for_node("pids")) == 2
    spans = [(s, e) for _, s, e in result.output_for_node("slow").values()]
    assert _max_overlap(spans) == 2


# --- IO managers and values ------------------------------------------------------------------


@pytest.mark.parametrize("manager", [hw.InMemoryIOManager(), hw.mem_io_manager])
def test_in_memory_io_manager_is_rejected_at_run_start(instance: Instance, manager: Any) -> None:
    @hw.op
    def one() -> int:
        return 1

    @hw.job(executor_def=multiprocess_executor, resource_defs={"io_manager": manager})
    def in_memory() -> None:
        one()

    with pytest.raises(
        UnmetExecutorRequirementsError, match="Use FilesystemIOManager or another persistent IO manager"
    ):
        execute_job(in_memory, instance=instance)
    (run,) = instance.get_runs()
    assert run.status.value == "FAILURE"
    assert not [e for e in instance.all_logs(run.run_id) if e.step_key is not None]


def test_big_output_values_are_loaded_through_the_io_manager(instance: Instance) -> None:
    @hw.op
    def big() -> list[int]:
        return list(range(10_000))

    @hw.op(out=hw.DynamicOut())
    def fan() -> Iterator[hw.DynamicOutput[str]]:
        yield hw.DynamicOutput("x" * 500, mapping_key="a")

    @hw.job(executor_def=MultiprocessExecutor(capture_limit=100))
    def bigs() -> None:
        big()
        fan()

    result = execute_job(bigs, instance=instance)
    assert result.output_for_node("big") == list(range(10_000))
    assert result.output_for_node("fan") == {"a": "x" * 500}


def test_an_error_that_cannot_cross_processes_is_sent_as_text(instance: Instance) -> None:
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"odd {a} {b}")

    @hw.op
    def odd() -> None:
        raise Odd(1, 2)

    @hw.job(executor_def=multiprocess_executor)
    def odd_job() -> None:
        odd()

    with pytest.raises(StepWorkerError, match="odd 1 2"):
        execute_job(odd_job, instance=instance)


def test_the_instance_is_readable_in_a_worker(tmp_path: Path) -> None:
    @hw.op
    def my_run(context: Any) -> str:
        return str(context.instance.get_run_by_id(context.run_id).job_name)

    @hw.job(executor_def=multiprocess_executor)
    def reader() -> None:
        my_run()

    with Instance.local_temp(tmp_path / "sqlite") as inst:
        assert execute_job(reader, instance=inst).output_for_node("my_run") == "reader"


# --- dying workers, interrupts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "expected"),
    [("sigkill", "killed by SIGKILL (signal 9)"), ("exit", "exited with code 3")],
)
def test_a_dead_worker_fails_its_step_and_the_run_goes_on(
    instance: Instance, how: str, expected: str
) -> None:
    @hw.op
    def start() -> int:
        return 1

    @hw.op
    def crash(x: int) -> int:
        if how == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(3)

    @hw.op
    def after_crash(x: int) -> int:
        return x

    @hw.op
    def steady(x: int) -> int:
        time.sleep(0.2)
        return x + 1

    @hw.op
    def after_steady(x: int) -> int:
        return x + 1

    @hw.job(executor_def=MultiprocessExecutor(max_concurrent=2))
    def crashing() -> None:
        x = start()
        after_crash(crash(x))
        after_steady(steady(x))

    result = execute_job(crashing, instance=instance, raise_on_error=False)
    assert not result.success
    assert result.get_failed_step_keys() == {"crash"}
    message = result.failure_data_for_node("crash").error.message
    assert 'step "crash"' in message and expected in message
    assert result.is_node_untouched("after_crash")
    assert result.output_for_node("after_steady") == 3
    run = instance.get_run_by_id(result.run_id)
    assert run is not None and run.status.value == "FAILURE"


def test_a_dead_worker_raises_with_raise_on_error(instance: Instance) -> None:
    @hw.op
    def crash() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    @hw.job(executor_def=multiprocess_executor)
    def crashing() -> None:
        crash()

    with pytest.raises(StepWorkerError, match=r'step "crash".*SIGKILL'):
        execute_job(crashing, instance=instance)


def test_keyboard_interrupt_shuts_the_pool_down(instance: Instance, tmp_path: Path) -> None:
    @hw.op
    def interrupt() -> None:
        (tmp_path / "pid").write_text(str(os.getpid()))
        os.kill(os.getppid(), signal.SIGINT)
        time.sleep(30)

    @hw.job(executor_def=multiprocess_executor)
    def interrupted() -> None:
        interrupt()

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        execute_job(interrupted, instance=instance)
    assert time.monotonic() - started < 10
    assert not _alive(int((tmp_path / "pid").read_text()))


# --- limits ----------------------------------------------------------------------------------


def test_pool_limits_cap_steps_of_a_pool(instance: Instance) -> None:
    job = _naps_job(MultiprocessExecutor(max_concurrent=4, pool_limits={"db": 1}), pool="db")
    assert _overlap(execute_job(job, instance=instance)) == 1
    free = _naps_job(MultiprocessExecutor(max_concurrent=4, pool_limits={"other": 1}), pool="db")
    assert _overlap(execute_job(free, instance=instance)) >= 2


def test_pools_from_run_config_and_tag_limits(instance: Instance) -> None:
    job = _naps_job(multiprocess_executor, pool="db")
    result = execute_job(
        job,
        instance=instance,
        run_config={"execution": {"config": {"max_concurrent": 4, "pools": {"db": 1}}}},
    )
    assert _overlap(result) == 1
    tagged = _naps_job(multiprocess_executor, tags={"kind": "heavy"})
    config = {"max_concurrent": 4, "tag_concurrency_limits": [{"key": "kind", "value": "heavy", "limit": 1}]}
    result = execute_job(tagged, instance=instance, run_config={"execution": {"config": config}})
    assert _overlap(result) == 1


@pytest.mark.parametrize(
    "execution",
    [
        {"config": {"max_concurrent": 1}},
        {"config": {"multiprocess": {"max_concurrent": 1}}},
    ],
)
def test_run_config_sets_max_concurrent(instance: Instance, execution: dict[str, Any]) -> None:
    job = _naps_job(MultiprocessExecutor(max_concurrent=4), n=3)
    result = execute_job(job, instance=instance, run_config={"execution": execution})
    assert _overlap(result, 3) == 1


def test_run_config_can_select_in_process(instance: Instance) -> None:
    @hw.op
    def pid() -> int:
        return os.getpid()

    @hw.job(executor_def=multiprocess_executor)
    def here() -> None:
        pid()

    result = execute_job(here, instance=instance, run_config={"execution": {"config": {"in_process": {}}}})
    assert result.output_for_node("pid") == os.getpid()


def test_configured_and_dagster_names(instance: Instance) -> None:
    assert dg.multiprocess_executor is hw.multiprocess_executor is multiprocess_executor
    assert dg.in_process_executor is hw.in_process_executor
    one = hw.multiprocess_executor.configured({"max_concurrent": 1})
    assert one.max_concurrent == 1 and multiprocess_executor.max_concurrent is None
    assert _overlap(execute_job(_naps_job(one, n=3), instance=instance), 3) == 1


def test_definitions_executor_selects_multiprocess(instance: Instance) -> None:
    @hw.asset
    def where() -> int:
        return os.getpid()

    defs = hw.Definitions(assets=[where], jobs=[hw.define_asset_job("j")], executor=multiprocess_executor)
    result = execute_job(defs.get_job_def("j"), instance=instance)
    assert result.output_for_node("where") != os.getpid()


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ({"max_concurent": 2}, "Unexpected entries \\['max_concurent'\\]"),
        ({"max_concurrent": -1}, "non-negative"),
        ({"pools": {"db": 0}}, "at least 1"),
        ({"start_method": {"threads": {}}}, "start_method"),
        ({"retries": {"disabled": {}}}, "retries"),
        ({"tag_concurrency_limits": [{"key": "k"}]}, "'key' and 'limit'"),
    ],
)
def test_bad_config_is_an_error_naming_the_entry(config: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidConfigError, match=match):
        multiprocess_executor.configured(config)


def test_priority_tag_orders_ready_steps(instance: Instance) -> None:
    @hw.op
    def stamp() -> float:
        time.sleep(0.05)
        return time.time()

    @hw.job(executor_def=MultiprocessExecutor(max_concurrent=1))
    def ordered() -> None:
        stamp.alias("low")()
        stamp.alias("high").tag({"dagster/priority": "5"})()

    result = execute_job(ordered, instance=instance)
    assert result.output_for_node("high") < result.output_for_node("low")


class TwoArgError(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"two args {a} {b}")
        self.a, self.b = a, b


def test_an_importable_error_class_crosses_processes_even_with_another_init(instance: Instance) -> None:
    @hw.op
    def two() -> None:
        raise TwoArgError(1, 2)

    @hw.job(executor_def=multiprocess_executor)
    def two_job() -> None:
        two()

    with pytest.raises(TwoArgError, match="two args 1 2") as info:
        execute_job(two_job, instance=instance)
    assert (info.value.a, info.value.b) == (1, 2)


# --- start methods other than fork -----------------------------------------------------------


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawn_and_forkserver_workers_import_the_job_by_name(instance: Instance, method: str) -> None:
    from . import _spawn_jobs

    config = {"execution": {"config": {"start_method": {method: {}}, "max_concurrent": 1}}}
    result = execute_job(_spawn_jobs.module_job, instance=instance, run_config=config)
    worker = result.output_for_node("worker_pid")
    assert worker != os.getpid()
    assert result.output_for_node("plus_one") == worker + 1
    asset_result = execute_job(
        _spawn_jobs.defs.get_job_def("asset_job"), instance=instance, run_config=config
    )
    assert asset_result.output_for_node("pid_asset") != os.getpid()


def test_spawn_needs_an_importable_job(instance: Instance) -> None:
    @hw.op
    def local() -> int:
        return 1

    @hw.job(executor_def=MultiprocessExecutor(start_method="spawn"))
    def closure_job() -> None:
        local()

    with pytest.raises(UnmetExecutorRequirementsError, match="top level of a module"):
        execute_job(closure_job, instance=instance)
    (run,) = instance.get_runs()
    assert run.status.value == "FAILURE"
