"""materialize and materialize_to_memory: values between assets, event sequences, errors, the instance.

Per-step event sequences are those Dagster 1.13 emits for the same code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey

IO = ["STEP_START", "STEP_OUTPUT", "ASSET_MATERIALIZATION", "HANDLED_OUTPUT", "STEP_SUCCESS"]
IO_WITH_INPUT = [
    "STEP_START",
    "LOADED_INPUT",
    "STEP_INPUT",
    "STEP_OUTPUT",
    "ASSET_MATERIALIZATION",
    "HANDLED_OUTPUT",
    "STEP_SUCCESS",
]


def step_types(result: Any, step: str) -> list[str]:
    return [e.event_type_value for e in result.all_events if e.step_key == step]


def run_types(result: Any) -> list[str]:
    skip = {"ENGINE_EVENT", "LOGS_CAPTURED"}
    return [
        e.event_type_value for e in result.all_events if e.step_key is None and e.event_type_value not in skip
    ]


@hw.asset
def a() -> int:
    return 1


@hw.asset
def b(a: int) -> int:
    return a + 1


@hw.asset(deps=[b])
def c() -> int:
    return 5


@hw.asset(ins={"x": hw.AssetIn("b")}, key_prefix=["p", "q"])
def d(x: int) -> int:
    return x * 10


# --- values and events -------------------------------------------------------------------------------------
def test_values_flow_between_assets_and_events_match_dagster() -> None:
    result = hw.materialize_to_memory([a, b, c, d])
    assert result.success
    assert (result.asset_value("a"), result.asset_value("b"), result.asset_value("c")) == (1, 2, 5)
    assert result.asset_value(["p", "q", "d"]) == 20
    assert result.asset_value(AssetKey(["p", "q", "d"])) == 20
    assert run_types(result) == [
        "PIPELINE_START",
        "RESOURCE_INIT_STARTED",
        "RESOURCE_INIT_SUCCESS",
        "PIPELINE_SUCCESS",
    ]
    assert step_types(result, "a") == IO
    assert step_types(result, "b") == IO_WITH_INPUT
    assert step_types(result, "c") == IO  # deps= is ordering only: no input is loaded
    assert step_types(result, "p__q__d") == IO_WITH_INPUT
    assert [m.asset_key.to_user_string() for m in result.asset_materializations_for_node("p__q__d")] == [
        "p/q/d"
    ]
    assert result.job_def.name == "__ephemeral_asset_job__"


def test_materialize_stores_with_the_given_io_manager(tmp_path: Path) -> None:
    io = hw.FilesystemIOManager(base_dir=str(tmp_path))
    assert hw.materialize([a, b], resources={"io_manager": io}).success
    assert (tmp_path / "b").is_file()
    # A later run of b alone loads a from storage.
    result = hw.materialize([a, b], selection=["b"], resources={"io_manager": io})
    assert result.asset_value("b") == 2
    assert step_types(result, "b") == IO_WITH_INPUT and "a" not in {e.step_key for e in result.all_events}


def test_selection_forms() -> None:
    for selection in (["b"], "b", [b], hw.AssetSelection.assets(b), [AssetKey("b")]):
        result = hw.materialize_to_memory(
            [a, b], selection=["a", "b"] if selection == "b" else selection, raise_on_error=False
        )
        assert "b" in {e.step_key for e in result.all_events}
    assert hw.materialize_to_memory([a, b, c], selection="+b").asset_value("b") == 2


def test_unselected_upstream_is_not_in_memory() -> None:
    with pytest.raises(
        hw.StepOutputNotFoundError, match='No value for asset "a" is held by the in-memory IO manager'
    ):
        hw.materialize_to_memory([a, b], selection=["b"])


def test_unknown_upstream_and_cycles() -> None:
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r'Input asset "\["a"\]" is not produced by any of the '
        "provided asset ops and is not one of the provided sources.",
    ):
        hw.materialize([b])
    with pytest.raises(hw.InvalidDefinitionError, match=r"Duplicate asset key: AssetKey\(\['a'\]\)"):
        hw.materialize([a, hw.asset(name="a")(lambda: 2)])


def test_raise_on_error_false_and_failure_events() -> None:
    @hw.asset
    def boom() -> int:
        raise ValueError("nope")

    @hw.asset
    def after(boom: int) -> int:
        return boom

    result = hw.materialize_to_memory([boom, after], raise_on_error=False)
    assert not result.success
    assert step_types(result, "boom") == ["STEP_START", "STEP_FAILURE"]
    assert step_types(result, "after") == []  # Dagster does not start (or skip-log) the downstream step
    assert run_types(result)[-1] == "PIPELINE_FAILURE"
    with pytest.raises(ValueError, match=r"nope"):
        hw.materialize_to_memory([boom])


# --- results from the function -----------------------------------------------------------------------------
def test_materialize_result_metadata_and_no_io_manager_call() -> None:
    class Refuses(hw.IOManager):
        def handle_output(self, context: hw.OutputContext, obj: Any) -> None:
            raise AssertionError("no IO manager call for MaterializeResult")

        def load_input(self, context: hw.InputContext) -> Any:
            raise AssertionError

    @hw.asset
    def mr() -> hw.MaterializeResult:
        return hw.MaterializeResult(metadata={"rows": 3})

    result = hw.materialize([mr], resources={"io_manager": Refuses()})
    assert step_types(result, "mr") == ["STEP_START", "STEP_OUTPUT", "ASSET_MATERIALIZATION", "STEP_SUCCESS"]
    (mat,) = result.asset_materializations_for_node("mr")
    assert mat.metadata["rows"].value == 3


def test_output_metadata_and_add_output_metadata() -> None:
    @hw.asset
    def meta(context: hw.AssetExecutionContext) -> hw.Output[int]:
        context.add_output_metadata({"a": 1})
        return hw.Output(5, metadata={"b": 2})

    result = hw.materialize_to_memory([meta])
    (mat,) = result.asset_materializations_for_node("meta")
    assert sorted(mat.metadata) == ["a", "b"]
    assert result.asset_value("meta") == 5


def test_log_event_observation_and_materialization() -> None:
    @hw.asset
    def logs(context: hw.AssetExecutionContext) -> int:
        context.log_event(hw.AssetObservation(asset_key="logs", metadata={"o": 1}))
        context.log_event(hw.AssetMaterialization(asset_key="other"))
        return 1

    result = hw.materialize_to_memory([logs])
    assert step_types(result, "logs") == [
        "STEP_START",
        "ASSET_OBSERVATION",
        "ASSET_MATERIALIZATION",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    assert [m.asset_key.to_user_string() for m in result.asset_materializations_for_node("logs")] == [
        "other",
        "logs",
    ]
    assert len(result.asset_observations_for_node("logs")) == 1


def test_materialize_result_errors() -> None:
    @hw.asset
    def wrong() -> hw.MaterializeResult:
        return hw.MaterializeResult(asset_key="other")

    with pytest.raises(hw.InvariantViolationError, match=r"Asset key other not found in AssetsDefinition"):
        hw.materialize_to_memory([wrong])

    @hw.multi_asset(specs=[hw.AssetSpec("s1"), hw.AssetSpec("s2")])
    def nokey() -> Any:
        yield hw.MaterializeResult()

    with pytest.raises(
        hw.InvariantViolationError,
        match=r"MaterializeResult did not include asset_key and it can "
        "not be inferred. Specify which asset_key, options are:",
    ):
        hw.materialize_to_memory([nokey])


# --- multi assets ------------------------------------------------------------------------------------------
@hw.multi_asset(
    outs={"m1": hw.AssetOut(is_required=False), "m2": hw.AssetOut(key_prefix="pre", is_required=False)},
    can_subset=True,
)
def multi(context: hw.AssetExecutionContext) -> Any:
    for name in sorted(context.selected_output_names):
        yield hw.Output(len(name) * 10, output_name=name)


@hw.asset
def down(m1: int) -> int:
    return m1 + 1


def test_subsettable_multi_asset_yields_only_selected_outputs() -> None:
    seen: list[set[AssetKey]] = []

    @hw.multi_asset(
        outs={"m1": hw.AssetOut(is_required=False), "m2": hw.AssetOut(is_required=False)},
        can_subset=True,
        name="spy",
    )
    def spy(context: hw.AssetExecutionContext) -> Any:
        seen.append(context.selected_asset_keys)
        for name in context.selected_output_names:
            yield hw.Output(1, output_name=name)

    hw.materialize_to_memory([spy], selection=["m2"])
    assert seen == [{AssetKey("m2")}]
    result = hw.materialize_to_memory([multi, down], selection=["m1", "down"])
    assert result.asset_value("down") == 21
    assert step_types(result, "multi") == IO
    full = hw.materialize_to_memory([multi, down])
    assert (full.asset_value("m1"), full.asset_value(["pre", "m2"])) == (20, 20)


def test_multi_asset_specs_with_materialize_results() -> None:
    @hw.multi_asset(specs=[hw.AssetSpec("s1"), hw.AssetSpec("s2", deps=["s1"])])
    def specs_ma() -> Any:
        yield hw.MaterializeResult(asset_key="s1", metadata={"x": 1})
        yield hw.MaterializeResult(asset_key="s2")

    result = hw.materialize_to_memory([specs_ma])
    assert step_types(result, "specs_ma") == [
        "STEP_START",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "STEP_SUCCESS",
    ]
    mats = result.asset_materializations_for_node("specs_ma")
    assert [(m.asset_key.to_user_string(), sorted(m.metadata)) for m in mats] == [("s1", ["x"]), ("s2", [])]


def test_multi_asset_that_cannot_be_subset() -> None:
    two = hw.multi_asset(outs={"n1": hw.AssetOut(), "n2": hw.AssetOut()}, name="two")(lambda: (1, 2))
    with pytest.raises(
        hw.InvalidDefinitionError, match=r"Failed to resolve asset job __ephemeral_asset_job__"
    ):
        hw.materialize_to_memory([two], selection=["n1"])
    result = hw.materialize_to_memory([two])
    assert (result.asset_value("n1"), result.asset_value("n2")) == (1, 2)


# --- graph assets ------------------------------------------------------------------------------------------
@hw.op
def add_one(x: int) -> int:
    return x + 1


@hw.op
def double(x: int) -> int:
    return x * 2


def test_graph_assets_run_their_ops() -> None:
    @hw.asset
    def src() -> int:
        return 5

    @hw.graph_asset
    def gasset(src: int) -> Any:
        return double(add_one(src))

    @hw.graph_multi_asset(outs={"g1": hw.AssetOut(), "g2": hw.AssetOut()})
    def gmulti(src: int) -> Any:
        return add_one(src), double(src)

    result = hw.materialize_to_memory([src, gasset, gmulti])
    assert (result.asset_value("gasset"), result.asset_value("g1"), result.asset_value("g2")) == (12, 6, 10)
    assert sorted({e.step_key for e in result.all_events if e.step_key}) == [
        "gasset.add_one",
        "gasset.double",
        "gmulti.add_one",
        "gmulti.double",
        "src",
    ]
    mats = [
        e.event_specific_data.asset_key.to_user_string() for e in result.get_asset_materialization_events()
    ]
    assert sorted(mats) == ["g1", "g2", "gasset", "src"]


# --- external assets and source assets ---------------------------------------------------------------------
class DictIO(hw.IOManager):
    def __init__(self) -> None:
        self.store: dict[AssetKey, Any] = {}

    def handle_output(self, context: hw.OutputContext, obj: Any) -> None:
        self.store[context.asset_key] = obj

    def load_input(self, context: hw.InputContext) -> Any:
        return self.store.get(context.asset_key, f"loaded:{context.asset_key.to_user_string()}")


def test_external_asset_is_loaded_through_the_io_manager_not_materialized() -> None:
    ext = hw.AssetSpec("ext_table")
    uses_ext = hw.asset(name="uses_ext", ins={"t": hw.AssetIn("ext_table")})(lambda t: t + "!")
    io = DictIO()
    result = hw.materialize([ext, uses_ext], resources={"io_manager": io})
    assert io.store == {AssetKey("uses_ext"): "loaded:ext_table!"}
    assert step_types(result, "uses_ext") == IO_WITH_INPUT
    assert hw.materialize([ext]).success  # nothing to run
    with pytest.raises(hw.InvalidDefinitionError, match=r"Failed to resolve asset job") as info:
        hw.materialize([ext, uses_ext], selection=["ext_table"], resources={"io_manager": DictIO()})
    assert "Selected keys must be a subset of existing executable asset keys" in str(info.value.__cause__)


def test_external_asset_with_its_own_io_manager_key() -> None:
    ext = hw.AssetSpec("ext2").with_io_manager_key("ext2_io")
    uses = hw.asset(name="uses2", ins={"e": hw.AssetIn("ext2")})(lambda e: e)
    result = hw.materialize_to_memory([ext, uses], resources={}, raise_on_error=False)
    assert not result.success  # the in-memory manager that replaced ext2_io holds no value for it
    io = DictIO()
    assert hw.materialize([ext, uses], resources={"ext2_io": io, "io_manager": DictIO()}).success


def test_source_asset_with_io_manager_key() -> None:
    raw = hw.SourceAsset("raw", io_manager_key="raw_io")
    from_raw = hw.asset(name="from_raw", ins={"raw": hw.AssetIn("raw")})(lambda raw: raw + "?")
    io = DictIO()
    result = hw.materialize([raw, from_raw], resources={"raw_io": DictIO(), "io_manager": io})
    assert io.store == {AssetKey("from_raw"): "loaded:raw?"}
    assert step_types(result, "from_raw") == IO_WITH_INPUT
    with pytest.raises(
        hw.InvalidDefinitionError, match=r"io manager with key 'raw_io' required by SourceAsset"
    ):
        hw.materialize([raw, from_raw], resources={"io_manager": DictIO()})


# --- materialize_to_memory and IO managers -----------------------------------------------------------------
def test_materialize_to_memory_replaces_exactly_the_io_managers_used() -> None:
    special = hw.asset(name="sp", io_manager_key="special")(lambda: 1)
    sp_down = hw.asset(name="sp_down", ins={"sp": hw.AssetIn("sp")})(lambda sp: sp + 1)
    assert hw.materialize_to_memory([special, sp_down]).asset_value("sp_down") == 2
    # A resource whose name merely ends in io_manager is left alone.
    seen = []

    @hw.asset(required_resource_keys={"not_io_manager"})
    def uses_res(context: hw.AssetExecutionContext) -> int:
        seen.append(context.resources.not_io_manager)
        return 1

    assert hw.materialize_to_memory([uses_res], resources={"not_io_manager": 5}).success
    assert seen == [5]


@pytest.mark.parametrize("resources", [{"io_manager": DictIO()}, {"special": DictIO()}])
def test_materialize_to_memory_rejects_io_manager_resources(resources: dict[str, Any]) -> None:
    special = hw.asset(name="sp", io_manager_key="special")(lambda: 1)
    plain = hw.asset(name="pl")(lambda: 1)
    key = next(iter(resources))
    with pytest.raises(
        hw.InvariantViolationError,
        match=f"Attempted to call `materialize_to_memory` with a resource provided for io manager key "
        f"'{key}'. "
        "Do "
        "not provide resources for io manager keys when calling `materialize_to_memory`, as it will "
        "override io "
        "management behavior for all keys.",
    ):
        hw.materialize_to_memory([special, plain], resources=resources)


def test_materialize_to_memory_rejects_io_manager_def_on_an_asset() -> None:
    own = hw.asset(name="own", io_manager_def=hw.InMemoryIOManager())(lambda: 1)
    with pytest.raises(hw.InvariantViolationError, match=r"io manager key 'own__io_manager'"):
        hw.materialize_to_memory([own])
    assert hw.materialize([own]).success


# --- resources, config, retries, partitions ----------------------------------------------------------------
class Multiplier(hw.ConfigurableResource):
    factor: int


def test_resources() -> None:
    @hw.asset(required_resource_keys={"foo"})
    def needs_foo(context: hw.AssetExecutionContext) -> Any:
        return context.resources.foo

    @hw.asset
    def pythonic(multiplier: Multiplier) -> int:
        return 2 * multiplier.factor

    assert hw.materialize_to_memory([needs_foo], resources={"foo": 42}).asset_value("needs_foo") == 42
    assert (
        hw.materialize_to_memory([pythonic], resources={"multiplier": Multiplier(factor=4)}).asset_value(
            "pythonic"
        )
        == 8
    )
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"resource with key 'foo' required by op 'needs_foo' was not provided.",
    ):
        hw.materialize([needs_foo])
    assert hw.materialize_to_memory([needs_foo.with_resources({"foo": 1})]).asset_value("needs_foo") == 1


def test_retry_policy_events() -> None:
    @hw.asset(retry_policy=hw.RetryPolicy(max_retries=3))
    def flaky(context: hw.AssetExecutionContext) -> int:
        if context.retry_number < 2:
            raise RuntimeError("again")
        return context.retry_number

    result = hw.materialize_to_memory([flaky])
    assert result.asset_value("flaky") == 2
    assert step_types(result, "flaky") == [
        "STEP_START",
        "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED",
        "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]


def test_partition_key_reaches_the_context_and_the_materialization() -> None:
    @hw.asset(partitions_def=hw.StaticPartitionsDefinition(["a", "b"]))
    def part(context: hw.AssetExecutionContext) -> tuple[str, bool]:
        return context.partition_key, context.has_partition_key

    result = hw.materialize_to_memory([part], partition_key="b")
    assert result.asset_value("part") == ("b", True)
    assert [e.event_specific_data.partition for e in result.get_asset_materialization_events()] == ["b"]
    assert result.dagster_run.tags["dagster/partition"] == "b"


def test_no_partition_key() -> None:
    @hw.asset
    def has(context: hw.AssetExecutionContext) -> bool:
        return context.has_partition_key

    @hw.asset
    def reads(context: hw.AssetExecutionContext) -> str:
        return context.partition_key

    assert hw.materialize_to_memory([has]).asset_value("has") is False
    with pytest.raises(
        hw.InvariantViolationError, match=r"Cannot access partition_key for a non-partitioned run"
    ):
        hw.materialize_to_memory([reads])


def test_asset_execution_context() -> None:
    @hw.asset
    def up_a() -> int:
        return 1

    @hw.asset(tags={"t": "1"})
    def ctxprops(context: hw.AssetExecutionContext, up_a: int) -> tuple[Any, ...]:
        return (
            type(context).__name__,
            context.asset_key,
            context.asset_key_for_output(),
            context.asset_key_for_input("up_a"),
            context.selected_asset_keys,
            context.has_assets_def,
            context.assets_def.key,
            context.run_id == context.run.run_id,
            context.job_name,
            context.op_execution_context is context,
        )

    value = hw.materialize_to_memory([up_a, ctxprops], tags={"run": "tag"}).asset_value("ctxprops")
    assert value == (
        "AssetExecutionContext",
        AssetKey("ctxprops"),
        AssetKey("ctxprops"),
        AssetKey("up_a"),
        {AssetKey("ctxprops")},
        True,
        AssetKey("ctxprops"),
        True,
        "__ephemeral_asset_job__",
        True,
    )


def test_multi_asset_context_asset_key_is_an_error() -> None:
    @hw.multi_asset(outs={"x1": hw.AssetOut(), "x2": hw.AssetOut()})
    def two(context: hw.AssetExecutionContext) -> tuple[int, int]:
        _ = context.asset_key
        return 1, 2

    with pytest.raises(
        hw.InvariantViolationError,
        match=r"Cannot call `context.asset_key` in a multi_asset with more than one asset. Use "
        "`context.asset_key_for_output` instead.",
    ):
        hw.materialize_to_memory([two])


# --- the instance ------------------------------------------------------------------------------------------
def test_materialize_records_runs_and_materializations_on_the_instance() -> None:
    with hw.Instance.ephemeral() as instance:
        result = hw.materialize([a, b], instance=instance, tags={"team": "x"})
        event = instance.get_latest_materialization_event(AssetKey("b"))
        assert event is not None and event.asset_materialization.asset_key == AssetKey("b")
        assert event.run_id == result.run_id
        runs = instance.get_runs()
        assert [r.run_id for r in runs] == [result.run_id]
        assert runs[0].job_name == "__ephemeral_asset_job__"
        assert runs[0].status.value == "SUCCESS"
        assert runs[0].tags["team"] == "x"
        assert result.dagster_run.run_id == result.run_id
        hw.materialize_to_memory([a], instance=instance)
        assert len(instance.get_runs()) == 2
