"""Observable source assets: the decorators' shapes, observation steps in jobs and ``observe``, the
stored observations and their data versions (tags and shapes as Dagster 1.13 records them for the same
code)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey
from headwater.definitions.observable_source_asset import observation_assets_def

DV = "dagster/data_version"


@pytest.fixture
def instance() -> Iterator[hw.Instance]:
    with hw.Instance.ephemeral() as inst:
        yield inst


def observations(result: Any) -> list[Any]:
    return [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_OBSERVATION"]


@hw.observable_source_asset(
    key_prefix=["raw"], group_name="ingest", metadata={"owner": "x"}, auto_observe_interval_minutes=5
)
def orders(context: hw.AssetExecutionContext) -> hw.DataVersion:
    """Orders landed by the vendor."""
    return hw.DataVersion("v1")


def test_the_decorator_makes_an_observable_source_asset() -> None:
    assert isinstance(orders, hw.SourceAsset)
    assert orders.key == AssetKey(["raw", "orders"])
    assert orders.is_observable and orders.is_executable
    assert orders.group_name == "ingest" and orders.description == "Orders landed by the vendor."
    assert orders.auto_observe_interval_minutes == 5
    assert orders.op.name == "raw__orders"  # the observation op is named after the key, as in Dagster
    node = hw.Definitions(assets=[orders]).resolve_asset_graph().get(orders.key)
    assert node.is_observable and not node.is_materializable
    assert node.auto_observe_interval_minutes == 5 and node.node_name == "raw__orders"
    plain = hw.SourceAsset("plain")
    assert not plain.is_observable
    with pytest.raises(hw.InvariantViolationError, match="has no observe function"):
        observation_assets_def(plain)


def test_decorator_errors_say_what_to_change() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="name or key prefix"):
        hw.observable_source_asset(key="k", name="n")(lambda: hw.DataVersion("1"))

    def with_input(upstream: int) -> hw.DataVersion:
        return hw.DataVersion(str(upstream))

    with pytest.raises(hw.InvalidDefinitionError, match=r"\['upstream'\].*no inputs"):
        hw.observable_source_asset(with_input)


def test_an_observation_job_records_the_data_version(instance: hw.Instance) -> None:
    defs = hw.Definitions(assets=[orders], jobs=[hw.define_asset_job("observe_orders", [orders])])
    result = defs.resolve_job_def("observe_orders").execute_in_process(instance=instance)
    assert result.success
    steps = [e.event_type_value for e in result.all_events if e.step_key == "raw__orders"]
    assert steps == ["STEP_START", "ASSET_OBSERVATION", "STEP_SUCCESS"]
    [obs] = observations(result)
    assert obs.asset_key == orders.key and obs.tags == {DV: "v1"} and obs.partition is None
    [record] = instance.fetch_observations(orders.key, limit=10).records
    assert record.event_log_entry.job_name == "observe_orders"
    assert record.event_log_entry.asset_observation.data_version == "v1"
    # the asset index keeps the latest observation, where staleness reads the observed version
    [asset_record] = instance.get_asset_records([orders.key])
    last = asset_record.asset_entry.last_observation
    assert last is not None and last.asset_observation.tags[DV] == "v1"


def test_all_assets_excludes_sources_and_a_job_may_observe_then_materialize(instance: hw.Instance) -> None:
    @hw.asset(deps=[orders])
    def cleaned() -> int:
        return 1

    defs = hw.Definitions(
        assets=[orders, cleaned],
        jobs=[hw.define_asset_job("everything"), hw.define_asset_job("both", [orders, cleaned])],
    )
    everything = defs.resolve_job_def("everything").execute_in_process(instance=instance)
    assert observations(everything) == []  # AssetSelection.all() leaves source assets out
    both = defs.resolve_job_def("both").execute_in_process(instance=instance)
    starts = [e.step_key for e in both.all_events if e.event_type_value == "STEP_START"]
    assert starts == ["raw__orders", "cleaned"]  # the observation first
    assert len(observations(both)) == 1 and len(both.asset_materializations_for_node("cleaned")) == 1


def test_a_downstream_asset_loads_the_source_through_its_io_manager(instance: hw.Instance) -> None:
    class Vendor(hw.IOManager):
        def handle_output(self, context: Any, obj: Any) -> None:
            raise AssertionError("an observation stores no value")

        def load_input(self, context: Any) -> Any:
            return [1, 2, 3]

    @hw.observable_source_asset(io_manager_key="vendor")
    def feed() -> hw.DataVersion:
        return hw.DataVersion("3 rows")

    @hw.asset
    def total(feed: list[int]) -> int:
        return sum(feed)

    result = hw.materialize(
        [feed, total], instance=instance, resources={"vendor": Vendor()}, selection=[feed, total]
    )
    assert result.success and result.output_for_node("total") == 6
    assert [o.tags[DV] for o in observations(result)] == ["3 rows"]


class Api(hw.ConfigurableResource):
    version: str


def test_observe_with_observe_result_resources_and_tags(instance: hw.Instance) -> None:
    @hw.observable_source_asset
    def table(context: hw.AssetExecutionContext, api: Api) -> hw.ObserveResult:
        version = hw.DataVersion(api.version)
        return hw.ObserveResult(data_version=version, metadata={"rows": 3}, tags={"t": "u"})

    @hw.asset
    def other() -> int:
        return 1

    result = hw.observe([table, other], instance=instance, resources={"api": Api(version="7")})
    assert result.success and result.job_def.name == "in_process_observation_job"
    [obs] = observations(result)
    assert obs.tags == {DV: "7", "t": "u"} and obs.metadata["rows"].value == 3
    assert len(result.asset_materializations_for_node("other")) == 1  # observe runs the others too


def test_a_wrong_return_value_fails_the_step_with_dagsters_error(instance: hw.Instance) -> None:
    @hw.observable_source_asset
    def broken() -> Any:
        return 5

    result = hw.observe([broken], instance=instance, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    error = failure.event_specific_data.error
    assert error.cls_name == "DagsterInvalidObservationError"
    assert "must return a DataVersion or DataVersionsByPartition" in error.message
    with pytest.raises(hw.InvalidObservationError, match="returned a value of type <class 'int'>"):
        hw.observe([broken], instance=instance)

    @hw.observable_source_asset
    def unpartitioned() -> hw.DataVersionsByPartition:
        return hw.DataVersionsByPartition({"a": "1"})

    with pytest.raises(hw.InvalidObservationError, match="is not partitioned"):
        hw.observe([unpartitioned], instance=instance)


PARTS = hw.StaticPartitionsDefinition(["a", "b", "c"])


@hw.observable_source_asset(partitions_def=PARTS)
def shards() -> hw.DataVersionsByPartition:
    return hw.DataVersionsByPartition({"a": "1", "b": hw.DataVersion("2")})


def test_partitioned_observations_one_per_reported_partition(instance: hw.Instance) -> None:
    result = hw.observe([shards], instance=instance)
    assert [(o.partition, o.tags) for o in observations(result)] == [("a", {DV: "1"}), ("b", {DV: "2"})]
    # a run for one partition still records what the function reported (as Dagster does)
    again = hw.observe([shards], instance=instance, partition_key="c")
    assert [o.partition for o in observations(again)] == ["a", "b"]
    only_a = instance.fetch_observations(
        hw.AssetRecordsFilter(asset_key=shards.key, asset_partitions=["a"]), limit=10
    )
    assert [r.partition_key for r in only_a.records] == ["a", "a"]
    by_partition = {r.partition: r for r in instance.get_asset_partition_records(shards.key)}
    assert set(by_partition) == {"a", "b"}


def test_multi_observable_source_asset(instance: hw.Instance) -> None:
    @hw.multi_observable_source_asset(
        specs=[
            hw.AssetSpec("m1"),
            hw.AssetSpec("m2", metadata={"dagster/auto_observe_interval_minutes": 10}),
        ],
        group_name="vendors",
    )
    def vendor_tables() -> Iterator[hw.ObserveResult]:
        yield hw.ObserveResult(asset_key="m1", data_version=hw.DataVersion("x"), metadata={"n": 1})
        yield hw.ObserveResult(asset_key="m2", data_version=hw.DataVersion("y"), tags={"t": "u"})

    assert isinstance(vendor_tables, hw.AssetsDefinition)
    assert vendor_tables.is_observable and vendor_tables.is_executable
    assert not vendor_tables.is_materializable and vendor_tables.execution_type == "OBSERVATION"
    graph = hw.Definitions(assets=[vendor_tables]).resolve_asset_graph()
    assert graph.get(AssetKey("m2")).auto_observe_interval_minutes == 10
    assert graph.get(AssetKey("m1")).auto_observe_interval_minutes is None
    assert graph.get(AssetKey("m1")).group_name == "vendors"
    result = hw.observe([vendor_tables], instance=instance)
    # an ObserveResult's version is tagged as user-provided, as in Dagster
    assert [(o.asset_key.to_user_string(), o.tags) for o in observations(result)] == [
        ("m1", {DV: "x", "dagster/data_version_is_user_provided": "true"}),
        ("m2", {DV: "y", "dagster/data_version_is_user_provided": "true", "t": "u"}),
    ]
    assert instance.get_asset_records([AssetKey("m2")])[0].asset_entry.last_observation is not None


def test_a_bad_auto_observe_interval_is_refused() -> None:
    @hw.multi_observable_source_asset(
        specs=[hw.AssetSpec("bad", metadata={"dagster/auto_observe_interval_minutes": "often"})]
    )
    def bad_interval() -> hw.ObserveResult:
        return hw.ObserveResult(data_version=hw.DataVersion("1"))

    with pytest.raises(hw.InvalidDefinitionError, match="must be a number of minutes; got 'often'"):
        hw.Definitions(assets=[bad_interval]).resolve_asset_graph()


def test_fetch_observations_pages_with_a_cursor(instance: hw.Instance) -> None:
    versions = iter(["1", "2", "3", "4", "5"])

    @hw.observable_source_asset
    def counter() -> hw.DataVersion:
        return hw.DataVersion(next(versions))

    for _ in range(5):
        hw.observe([counter], instance=instance)
    page = instance.fetch_observations(counter.key, limit=2)
    assert [r.asset_observation.data_version for r in page.records] == ["5", "4"] and page.has_more
    page = instance.fetch_observations(counter.key, limit=2, cursor=page.cursor)
    assert [r.asset_observation.data_version for r in page.records] == ["3", "2"] and page.has_more
    page = instance.fetch_observations(counter.key, limit=2, cursor=page.cursor)
    assert [r.asset_observation.data_version for r in page.records] == ["1"] and not page.has_more
    oldest = instance.fetch_observations(counter.key, limit=2, ascending=True)
    assert [r.asset_observation.data_version for r in oldest.records] == ["1", "2"]
    assert instance.fetch_materializations(counter.key, limit=5).records == []
