"""OpExecutionContext during a run: logging into the event log, config, resources, tags, retries,
output metadata and user events (compared with Dagster 1.13)."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.events.event_type import EventType as ET


def test_context_properties_logs_and_events() -> None:
    seen: dict[str, Any] = {}

    @hw.op(config_schema={"a": int}, required_resource_keys={"r"})
    def o(context: hw.OpExecutionContext) -> int:
        context.log.info("hello %s", "w")
        context.log.warning("warn")
        hw.get_dagster_logger().info("from logger")
        context.add_output_metadata({"m": 1})
        context.log_event(hw.AssetMaterialization("ak", metadata={"x": 1}))
        context.log_event(hw.ExpectationResult(True, label="lbl"))
        seen.update(
            config=context.op_config,
            resource=context.resources.r,
            tag=context.run.tags.get("t"),
            retry=context.retry_number,
            same_run=context.run_id == context.run.run_id,
            job=context.job_name,
            op=context.op_def.name,
            has_tag=context.has_tag("t"),
            get_tag=context.get_tag("t"),
        )
        return 1

    @hw.job(resource_defs={"r": hw.ResourceDefinition.hardcoded_resource("R")}, tags={"jt": "1"})
    def j() -> None:
        o()

    instance = hw.Instance.ephemeral()
    result = j.execute_in_process(
        run_config={"ops": {"o": {"config": {"a": 1}}}}, tags={"t": "v"}, instance=instance
    )
    assert seen == {
        "config": {"a": 1},
        "resource": "R",
        "tag": "v",
        "retry": 0,
        "same_run": True,
        "job": "j",
        "op": "o",
        "has_tag": True,
        "get_tag": "v",
    }
    assert dict(result.dagster_run.tags) == {"jt": "1", "t": "v"}
    assert [(e.event_type.name, e.message) for e in result.events_for_node("o")][1:3] == [
        ("ASSET_MATERIALIZATION", "Materialized value ak."),
        ("STEP_EXPECTATION_RESULT", "Expectation lbl passed"),
    ]
    logs = [
        (x.level, x.user_message, x.step_key)
        for x in instance.all_logs(result.run_id)
        if x.dagster_event is None
    ]
    assert logs == [(20, "hello w", "o"), (30, "warn", "o"), (20, "from logger", "o")]
    output = result.filter_events(ET.STEP_OUTPUT)[0]
    assert dict(output.event_specific_data.metadata) == {"m": hw.IntMetadataValue(1)}


def test_retry_number_counts_attempts() -> None:
    numbers: list[int] = []

    @hw.op(retry_policy=hw.RetryPolicy(max_retries=2))
    def flaky(context: hw.OpExecutionContext) -> int:
        numbers.append(context.retry_number)
        if len(numbers) < 3:
            raise ValueError("again")
        return 1

    @hw.job
    def j() -> None:
        flaky()

    j.execute_in_process()
    assert numbers == [0, 1, 2]


def test_add_output_metadata_needs_output_name_with_several_outputs() -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def o(context: hw.OpExecutionContext):  # type: ignore[no-untyped-def]
        context.add_output_metadata({"k": 1})
        return 1, 2

    @hw.job
    def j() -> None:
        o()

    with pytest.raises(hw.InvariantViolationError) as info:
        j.execute_in_process()
    assert str(info.value) == (
        "Attempted to add metadata without providing output_name, but multiple outputs exist. Please "
        "provide an "
        "output_name to the invocation of `context.add_output_metadata`."
    )


def test_add_output_metadata_for_named_output() -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def o(context: hw.OpExecutionContext):  # type: ignore[no-untyped-def]
        context.add_output_metadata({"k": "v"}, output_name="b")
        return 1, 2

    @hw.job
    def j() -> None:
        o()

    outputs = j.execute_in_process().filter_events(ET.STEP_OUTPUT)
    assert [dict(e.event_specific_data.metadata) for e in outputs] == [{}, {"k": hw.TextMetadataValue("v")}]


def test_typed_context_annotation_and_other_names() -> None:
    @hw.op
    def o(ctx: hw.OpExecutionContext) -> str:
        return ctx.op_def.name

    @hw.job
    def j() -> None:
        o()

    assert j.execute_in_process().output_for_node("o") == "o"
