"""@job and JobDefinition: tags, resources, hooks, op retry policy, direct-call error, validation."""

from __future__ import annotations

import pytest

import headwater as hw


@hw.op
def one() -> int:
    return 1


def test_job_attributes() -> None:
    @hw.job(
        name="named",
        description="d",
        tags={"t": "1"},
        resource_defs={"r": hw.ResourceDefinition.hardcoded_resource(1)},
    )
    def j() -> None:
        one()

    assert isinstance(j, hw.JobDefinition)
    assert (j.name, j.description, j.tags) == ("named", "d", {"t": "1"})
    assert set(j.resource_defs) == {"r"}
    assert isinstance(j.graph, hw.GraphDefinition)
    result = j.execute_in_process()
    assert result.dagster_run.job_name == "named"
    assert dict(result.dagster_run.tags) == {"t": "1"}


def test_job_body_takes_no_parameters() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"takes parameters"):

        @hw.job
        def j(x):  # type: ignore[no-untyped-def]
            one()


def test_calling_a_job_directly() -> None:
    @hw.job
    def j() -> None:
        one()

    with pytest.raises(hw.InvariantViolationError) as info:
        j()
    assert str(info.value) == (
        "Attempted to call job 'j' directly. Jobs should be invoked by using an execution API function (e.g. "
        "`job.execute_in_process`)."
    )


def test_with_resources_and_execute_time_resources() -> None:
    @hw.op(required_resource_keys={"r"})
    def uses(context: hw.OpExecutionContext) -> int:
        return context.resources.r  # type: ignore[no-any-return]

    @hw.job
    def j() -> None:
        uses()

    assert (
        j.with_resources({"r": hw.ResourceDefinition.hardcoded_resource(3)})
        .execute_in_process()
        .output_for_node("uses")
        == 3
    )
    assert j.execute_in_process(resources={"r": 4}).output_for_node("uses") == 4


def test_run_id_and_tags_given_at_execution() -> None:
    @hw.job(tags={"a": "1"})
    def j() -> None:
        one()

    result = j.execute_in_process(run_id="my-run", tags={"b": "2"})
    assert result.run_id == "my-run"
    assert dict(result.dagster_run.tags) == {"a": "1", "b": "2"}


def test_op_retry_policy_applies_to_every_op() -> None:
    calls: list[int] = []

    @hw.op
    def f() -> None:
        calls.append(1)
        raise ValueError("x")

    @hw.job(op_retry_policy=hw.RetryPolicy(max_retries=2))
    def j() -> None:
        f()

    j.execute_in_process(raise_on_error=False)
    assert calls == [1, 1, 1]


def test_hook_decorating_a_job() -> None:
    fired: list[str] = []

    @hw.success_hook
    def ok(context: hw.HookContext) -> None:
        fired.append(context.op.name)

    @ok
    @hw.job
    def j() -> None:
        one()

    assert isinstance(j, hw.JobDefinition)
    j.execute_in_process()
    assert fired == ["one"]


def test_missing_hook_resource_is_a_definition_error() -> None:
    @hw.success_hook(required_resource_keys={"thing"})
    def with_res(context: hw.HookContext) -> None: ...

    @hw.job(hooks={with_res})
    def j() -> None:
        one()

    with pytest.raises(hw.InvalidDefinitionError) as info:
        j.execute_in_process()
    assert str(info.value) == (
        "resource with key 'thing' required by hook 'with_res' attached to job 'j' was not provided. Please "
        "provide "
        "a ResourceDefinition to key 'thing', or change the required key to one of the following keys which "
        "points "
        "to an ResourceDefinition: ['io_manager']"
    )
