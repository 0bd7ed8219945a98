"""The one user-code boundary: steps, resources and code loading report a user exception the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

import headwater as hw
from headwater.errors import HeadwaterError, ResourceInitError, UserCodeExecutionError
from headwater.execution.boundary import user_code_error_boundary
from headwater.execution.resource_builder import build_resources
from headwater.locations.server.code_location import CodeLocation, CodeTarget
from headwater.locations.server.loader import UserCodeLoadError, load_definitions


def _user_raises() -> None:
    raise ValueError("user bug")


def test_the_boundary_wraps_a_user_exception_with_its_traceback() -> None:
    with (
        pytest.raises(UserCodeExecutionError, match=r"^in my code: ValueError$") as info,
        user_code_error_boundary(UserCodeExecutionError, lambda exc: f"in my code: {type(exc).__name__}"),
    ):
        _user_raises()
    err = info.value
    assert isinstance(err.user_exception, ValueError)
    assert err.__cause__ is err.user_exception
    assert "_user_raises" in err.user_traceback and 'raise ValueError("user bug")' in err.user_traceback
    assert err.with_traceback_text().startswith("in my code: ValueError\n\nTraceback")


@pytest.mark.parametrize(
    "exc", [HeadwaterError("ours"), hw.Failure("signal"), hw.RetryRequested(), KeyboardInterrupt()]
)
def test_framework_errors_and_user_signals_pass_through(exc: BaseException) -> None:
    with pytest.raises(type(exc)) as info, user_code_error_boundary(UserCodeExecutionError, "never used"):
        raise exc
    assert info.value is exc


def test_resource_setup_and_teardown_go_through_the_boundary() -> None:
    class Broken(hw.ConfigurableResource):
        def setup_for_execution(self, context: hw.InitResourceContext) -> None:
            _user_raises()

    expected = 'ResourceDefinition "db": ValueError: user bug'
    with pytest.raises(ResourceInitError, match=expected) as info, build_resources({"db": Broken()}):
        pass
    assert "_user_raises" in info.value.user_traceback

    class BadTeardown(hw.ConfigurableResource):
        def teardown_after_execution(self, context: hw.InitResourceContext) -> None:
            _user_raises()

    expected = 'tearing down resource "db": ValueError'
    with (
        pytest.raises(UserCodeExecutionError, match=expected) as torn,
        build_resources({"db": BadTeardown()}),
    ):
        pass
    assert "_user_raises" in torn.value.user_traceback


def test_importing_user_code_goes_through_the_boundary(tmp_path: Path) -> None:
    bad = tmp_path / "bad_import.py"
    bad.write_text("import headwater as hw\n\n\nraise ValueError('cannot load')\n")
    with pytest.raises(
        UserCodeLoadError, match=r"Error while importing .*bad_import\.py: ValueError"
    ) as info:
        load_definitions(python_file=str(bad))
    assert isinstance(info.value, UserCodeExecutionError)
    assert f'File "{bad}", line 4' in info.value.user_traceback


def test_a_code_location_reports_import_errors_with_the_users_traceback_and_its_clock(tmp_path: Path) -> None:
    code = tmp_path / "loc_fails.py"
    code.write_text("import headwater as hw\n\nraise RuntimeError('no luck')\n")
    now = [1234.5]
    location = CodeLocation(CodeTarget(python_file=str(code)), clock=lambda: now[0])
    snap = location.snapshot
    assert snap.loaded_at == 1234.5 and snap.spec is None and snap.error is not None
    assert (
        snap.error.message.startswith("Error while importing")
        and "RuntimeError: no luck" in snap.error.message
    )
    assert snap.error.user_traceback is not None and f'File "{code}", line 3' in snap.error.user_traceback
    code.write_text(
        "import headwater as hw\n\n@hw.asset\ndef a() -> int:\n    return 1\n\n"
        "defs = hw.Definitions(assets=[a])\n"
    )
    now[0] = 2000.0
    fixed = location.reload()
    assert fixed.error is None and fixed.loaded_at == 2000.0


def test_event_times_come_from_the_instance_clock(tmp_path: Path) -> None:
    from headwater.storage.sql import SqlStorage
    from headwater.testing import FakeClock

    clock = FakeClock(1_800_000_000.0)
    instance = hw.Instance(
        SqlStorage.sqlite(tmp_path / "hw.db", clock=clock), root_directory=tmp_path, clock=clock
    )

    @hw.asset
    def logged(context: hw.AssetExecutionContext) -> int:
        context.log.info("hello")
        return 1

    result = hw.materialize([logged], instance=instance)
    assert result.success
    logs = instance.all_logs(result.run_id)
    assert logs and {e.timestamp for e in logs} == {1_800_000_000.0}
    assert any(e.user_message == "hello" for e in logs)
    instance.dispose()
