"""ErrorInfo: an exception as stored data, under Dagster's class names where Headwater has the class."""

from __future__ import annotations

import pytest

import headwater.errors as errors
from headwater._api_table import API
from headwater.core.error_info import ErrorInfo
from headwater.definitions.results import Failure


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_a_user_exception_is_stored_under_its_own_name() -> None:
    info = ErrorInfo.from_exception(_raised(ValueError("bad")))
    assert (info.cls_name, info.message, info.cause) == ("ValueError", "ValueError: bad\n", None)
    assert info.stack and "test_error_info.py" in info.stack[-1]


def test_a_headwater_error_is_stored_under_dagsters_name_with_its_cause() -> None:
    user = _raised(KeyError("k"))
    wrapped = errors.StepExecutionError(
        'Error occurred while executing op "x":', user_exception=user, original_traceback=""
    )
    wrapped.__cause__ = user
    info = ErrorInfo.from_exception(_raised(wrapped))
    assert info.cls_name == "DagsterExecutionStepExecutionError"
    assert info.message == (
        'dagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while executing op "x":\n'
    )
    assert info.cause is not None and (info.cause.cls_name, info.cause.message) == (
        "KeyError",
        "KeyError: 'k'\n",
    )


def test_failure_and_a_user_subclass() -> None:
    assert (
        ErrorInfo.from_exception(Failure("why")).message == "dagster._core.definitions.events.Failure: why\n"
    )

    class ProjectError(errors.InvalidDefinitionError):
        pass

    info = ErrorInfo.from_exception(ProjectError("mine"))
    assert info.cls_name == "ProjectError"  # a subclass without its own stored_name keeps its name
    assert info.message.endswith("ProjectError: mine\n")


ERROR_ROWS = [
    pytest.param(native, dagster, id=native)
    for native, dagster, module, _attr in API
    if module == "headwater.errors" and native is not None
]


@pytest.mark.parametrize(("native", "dagster"), ERROR_ROWS)
def test_stored_names_follow_the_table(native: str, dagster: str | None) -> None:
    cls = getattr(errors, native)
    stored = cls.__dict__.get("stored_name")
    if dagster is not None:
        assert stored is not None and stored.rpartition(".")[2] == dagster
    if stored is not None:
        assert stored.startswith(("dagster._core.errors.", "dagster_shared.error."))
