"""Type checks in runs: a failing check on an input or an output fails the step with TypeCheckDidNotPass
carrying the description and metadata; a raising check is a TypeCheckError; loaders read run config."""

from __future__ import annotations

import pytest

import headwater as hw

Even = hw.DagsterType(
    lambda _c, v: hw.TypeCheck(v % 2 == 0, f"{v} is odd" if v % 2 else None, {"value": v}), name="Even"
)


@hw.op
def three() -> int:
    return 3


@hw.op(ins={"n": hw.In(Even)})
def wants_even(n: int) -> int:
    return n


@hw.op(out=hw.Out(Even))
def gives_odd() -> int:
    return 5


@hw.job
def bad_input() -> None:
    wants_even(three())


@hw.job
def bad_output() -> None:
    gives_odd()


def _type_check(result: hw.ExecuteInProcessResult, step: str, kind: str) -> object:
    (event,) = [e for e in result.all_events if e.step_key == step and e.event_type_value == kind]
    return event.event_specific_data.type_check_data


def test_failing_input_check_fails_the_step_with_description_and_metadata() -> None:
    result = bad_input.execute_in_process(raise_on_error=False)
    assert not result.success
    data = _type_check(result, "wants_even", "STEP_INPUT")
    assert (data.success, data.description, data.metadata["value"].value) == (False, "3 is odd", 3)
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.event_specific_data.error.cls_name == "DagsterTypeCheckDidNotPass"
    with pytest.raises(hw.TypeCheckDidNotPass) as caught:
        bad_input.execute_in_process()
    assert caught.value.description == (
        'Type check failed for step input "n" - expected type "Even". Description: 3 is odd'
    )
    assert caught.value.metadata["value"].value == 3


def test_failing_output_check_fails_the_step_before_the_io_manager() -> None:
    result = bad_output.execute_in_process(raise_on_error=False)
    types = [e.event_type_value for e in result.all_events if e.step_key == "gives_odd"]
    assert types == ["STEP_START", "STEP_OUTPUT", "STEP_FAILURE"]
    data = _type_check(result, "gives_odd", "STEP_OUTPUT")
    assert (data.success, data.metadata["value"].value) == (False, 5)
    with pytest.raises(hw.TypeCheckDidNotPass, match='step output "result" - expected type "Even"'):
        bad_output.execute_in_process()


def test_a_check_that_raises_is_a_type_check_error_naming_the_input() -> None:
    def boom(_c: object, _v: object) -> bool:
        raise ValueError("broken check")

    @hw.op(ins={"n": hw.In(hw.DagsterType(boom, name="Boom"))})
    def takes(n: int) -> None:
        pass

    @hw.job
    def boom_job() -> None:
        takes(three())

    result = boom_job.execute_in_process(raise_on_error=False)
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    error = failure.event_specific_data.error
    assert error.cls_name == "DagsterTypeCheckError"
    assert 'Error occurred while type-checking input "n" of op "takes"' in error.message
    with pytest.raises(ValueError, match="broken check"):  # as Dagster: the user's exception
        boom_job.execute_in_process()


def test_loader_builds_an_unconnected_input_from_run_config() -> None:
    @hw.dagster_type_loader(config_schema={"cents": int})
    def money(_context: hw.DagsterTypeLoaderContext, config: dict[str, int]) -> float:
        return config["cents"] / 100

    Money = hw.PythonObjectDagsterType(float, name="Money", loader=money)

    @hw.op(ins={"m": hw.In(Money)})
    def spend(m: float) -> float:
        return m

    @hw.job
    def spend_job() -> None:
        spend()

    result = spend_job.execute_in_process(run_config={"ops": {"spend": {"inputs": {"m": {"cents": 250}}}}})
    assert result.output_for_node("spend") == 2.5
    with pytest.raises(hw.InvalidConfigError):
        spend_job.execute_in_process(run_config={"ops": {"spend": {"inputs": {"m": {"cents": "x"}}}}})
