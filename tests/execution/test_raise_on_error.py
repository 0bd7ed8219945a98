"""raise_on_error=True re-raises the user's own exception (Dagster 1.13); False returns a failed result."""

from __future__ import annotations

import pytest

import headwater as hw


class MyError(Exception):
    pass


@hw.op
def one() -> int:
    return 1


@hw.op
def boom(x: int) -> int:
    raise MyError("kaboom")


@hw.op
def add1(x: int) -> int:
    return x + 1


@hw.job
def j() -> None:
    add1(boom(one()))


def test_raise_on_error_reraises_the_user_exception() -> None:
    with pytest.raises(MyError, match=r"^kaboom$"):
        j.execute_in_process()


def test_raise_on_error_false_returns_failed_result() -> None:
    result = j.execute_in_process(raise_on_error=False)
    assert not result.success
    assert result.is_node_failed("boom")
    assert [e.event_type.name for e in result.all_events[-2:]] == ["ENGINE_EVENT", "RUN_FAILURE"]


def test_failure_is_raised_as_itself_with_its_metadata() -> None:
    @hw.op
    def f() -> int:
        raise hw.Failure(description="nope", metadata={"k": 1})

    @hw.job
    def jf() -> None:
        add1(f())

    with pytest.raises(hw.Failure, match=r"^nope$"):
        jf.execute_in_process()
    data = jf.execute_in_process(raise_on_error=False).failure_data_for_node("f")
    assert data.error.cls_name == "Failure"
    assert data.user_failure_data.description == "nope"
    assert dict(data.user_failure_data.metadata) == {"k": hw.IntMetadataValue(1)}


def test_framework_errors_are_raised_too() -> None:
    @hw.op(out={"a": hw.Out(), "b": hw.Out()})
    def f():  # type: ignore[no-untyped-def]
        yield hw.Output(1, "a")

    @hw.job
    def jf() -> None:
        f()

    with pytest.raises(hw.StepOutputNotFoundError):
        jf.execute_in_process()


def test_resource_init_error_is_raised() -> None:
    @hw.resource
    def broken(_):  # type: ignore[no-untyped-def]
        raise RuntimeError("no db")

    @hw.op(required_resource_keys={"db"})
    def uses(context) -> int:  # type: ignore[no-untyped-def]
        return 1

    @hw.job(resource_defs={"db": broken})
    def jr() -> None:
        uses()

    with pytest.raises(hw.ResourceInitError):
        jr.execute_in_process()
    result = jr.execute_in_process(raise_on_error=False)
    assert not result.success
    assert "RESOURCE_INIT_FAILURE" in [e.event_type.name for e in result.all_events]
