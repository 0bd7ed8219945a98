"""Partitioned runs: checks before the run starts, the FS IO manager's layout, ranges, the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import headwater as hw

DAILY = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-08")


def _fs(tmp_path: Path) -> dict[str, Any]:
    return {"io_manager": hw.FilesystemIOManager(base_dir=str(tmp_path / "store"))}


def test_unknown_key_fails_before_a_run_exists(tmp_path: Path) -> None:
    @hw.asset(partitions_def=DAILY)
    def sales() -> int:
        return 1

    with hw.Instance.ephemeral() as instance:
        with pytest.raises(hw.UnknownPartitionError, match=r"`2024-02-01` in asset 'sales'.*7 keys"):
            hw.materialize([sales], partition_key="2024-02-01", instance=instance, resources=_fs(tmp_path))
        assert instance.get_runs() == []


def test_missing_upstream_partitions_fail_before_the_run(tmp_path: Path) -> None:
    later = hw.DailyPartitionsDefinition(start_date="2024-01-03", end_date="2024-01-08")

    @hw.asset(partitions_def=later)
    def up() -> int:
        return 1

    @hw.asset(partitions_def=DAILY)
    def down(up: int) -> int:
        return up

    with hw.Instance.ephemeral() as instance:
        with pytest.raises(
            hw.InvariantViolationError, match=r"depends on partitions \['2024-01-01'\] of upstream"
        ):
            hw.materialize([up, down], selection=[down], partition_key="2024-01-01", instance=instance)
        assert instance.get_runs() == []


def test_incompatible_mapping_is_a_definition_error() -> None:
    @hw.asset(partitions_def=hw.StaticPartitionsDefinition(["a"]))
    def letters() -> int:
        return 1

    @hw.asset(partitions_def=DAILY)
    def days(letters: int) -> int:
        return letters

    with pytest.raises(
        hw.InvalidDefinitionError, match=r"'days' depends on asset 'letters'.*IdentityPartitionMapping"
    ):
        hw.Definitions(assets=[letters, days]).get_all_asset_specs()


def test_partitions_layout_and_a_range_written_as_a_dict(tmp_path: Path) -> None:
    @hw.asset(partitions_def=DAILY, backfill_policy=hw.BackfillPolicy.single_run())
    def daily(context: hw.AssetExecutionContext) -> dict[str, str]:
        return {key: key.upper() for key in context.partition_keys}

    @hw.asset
    def total(daily: dict[str, str]) -> int:
        return len(daily)

    tags = {
        "dagster/asset_partition_range_start": "2024-01-02",
        "dagster/asset_partition_range_end": "2024-01-04",
    }
    result = hw.materialize([daily], tags=tags, resources=_fs(tmp_path))
    assert result.success
    assert sorted(os.listdir(tmp_path / "store" / "daily")) == ["2024-01-02", "2024-01-03", "2024-01-04"]
    assert [e.partition for e in result.get_asset_materialization_events()] == [
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
    ]
    assert daily.backfill_policy == hw.BackfillPolicy.single_run()
    with pytest.raises(hw.InvalidInvocationError, match="start comes after its end"):
        reverse = {**tags, "dagster/asset_partition_range_start": "2024-01-05"}
        hw.materialize([daily], tags=reverse, resources=_fs(tmp_path))


def test_op_job_with_partitioned_config() -> None:
    seen: list[Any] = []

    @hw.op(config_schema={"day": str})
    def op_(context: hw.OpExecutionContext) -> None:
        seen.append(
            (context.op_config["day"], context.partition_key, context.partition_time_window.start.day)
        )

    @hw.daily_partitioned_config(start_date="2024-01-01")
    def config(start: Any, end: Any) -> dict[str, Any]:
        return {"ops": {"op_": {"config": {"day": start.strftime("%d")}}}}

    @hw.job(config=config)
    def job() -> None:
        op_()

    result = job.execute_in_process(partition_key="2024-01-05")
    assert result.success and seen == [("05", "2024-01-05", 5)]
    assert result.dagster_run.tags["dagster/partition"] == "2024-01-05"
    with pytest.raises(hw.UnknownPartitionError, match="in job 'job'"):
        job.execute_in_process(partition_key="2023-12-31")


def test_mixed_partitions_in_one_asset_job() -> None:
    @hw.asset(partitions_def=DAILY)
    def a() -> None: ...

    @hw.asset(partitions_def=hw.StaticPartitionsDefinition(["x"]))
    def b() -> None: ...

    defs = hw.Definitions(assets=[a, b], jobs=[hw.define_asset_job("both", selection=[a, b])])
    with pytest.raises(hw.InvalidDefinitionError) as info:
        defs.resolve_job_def("both")
    assert "must have the same partitions definitions" in str(info.value.__cause__)
    assert "'a'" in str(info.value.__cause__) and "'b'" in str(info.value.__cause__)


def test_key_for_an_unpartitioned_job() -> None:
    @hw.asset
    def plain() -> int:
        return 1

    with pytest.raises(hw.InvalidInvocationError, match="is not partitioned"):
        hw.materialize_to_memory([plain], partition_key="x")
