"""Pipes with real subprocesses: the child is written against ``dagster_pipes`` and runs in an
interpreter that cannot import headwater (``python -S``: no site-packages)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

import headwater as hw
from headwater.definitions.pipes.client import PIPES_ALIAS_PATH

CHILD = textwrap.dedent(
    """
    import sys
    try:
        import headwater  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("headwater must not be importable in the child")
    from dagster_pipes import open_dagster_pipes

    with open_dagster_pipes() as pipes:
        pipes.log.info(f"asset {pipes.asset_key} run {pipes.run_id[:4]} extras {dict(pipes.extras)}")
        pipes.report_asset_materialization(metadata={"rows": pipes.get_extra("rows"), "note": "ok"})
        pipes.report_asset_check(check_name="has_rows", passed=True, severity="WARN")
        if sys.argv[1:] == ["fail"]:
            raise RuntimeError("boom")
    """
)


@pytest.fixture
def child(tmp_path: Path) -> Path:
    path = tmp_path / "child.py"
    path.write_text(CHILD)
    return path


def _asset(child: Path, *args: str) -> hw.AssetsDefinition:
    @hw.asset(check_specs=[hw.AssetCheckSpec("has_rows", asset="table")])
    def table(context: hw.AssetExecutionContext, pipes: hw.PipesSubprocessClient) -> object:
        command = [sys.executable, "-S", str(child), *args]
        return pipes.run(command=command, context=context, extras={"rows": 7}).get_results()

    return table


def test_a_child_without_headwater_reports_materialization_check_and_logs(child: Path) -> None:
    with hw.Instance.ephemeral() as instance:
        result = hw.materialize(
            [_asset(child)], instance=instance, resources={"pipes": hw.PipesSubprocessClient()}
        )
        assert result.success
        [mat] = result.get_asset_materialization_events()
        metadata = mat.materialization.metadata
        assert metadata["rows"] == hw.IntMetadataValue(7)
        assert metadata["note"] == hw.TextMetadataValue("ok")
        [check] = result.get_asset_check_evaluations()
        assert (check.check_name, check.passed, check.severity) == (
            "has_rows",
            True,
            hw.AssetCheckSeverity.WARN,
        )
        messages = [e.user_message for e in instance.all_logs(result.run_id) if e.dagster_event is None]
        assert "[pipes] external process successfully opened dagster pipes." in messages
        assert f"asset table run {result.run_id[:4]} extras {{'rows': 7}}" in messages


def test_a_failing_child_fails_the_step(child: Path) -> None:
    result = hw.materialize(
        [_asset(child, "fail")], resources={"pipes": hw.PipesSubprocessClient()}, raise_on_error=False
    )
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "External execution process failed with code 1" in str(failure.step_failure_data.error)


def test_the_context_can_travel_in_the_environment_variable(child: Path) -> None:
    client = hw.PipesSubprocessClient(context_injector=hw.PipesEnvContextInjector())
    result = hw.materialize([_asset(child)], resources={"pipes": client})
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [hw.AssetKey("table")]


def test_open_pipes_session_drives_a_process_the_user_starts(tmp_path: Path, child: Path) -> None:
    @hw.asset(check_specs=[hw.AssetCheckSpec("has_rows", asset="table")])
    def table(context: hw.AssetExecutionContext) -> object:
        with hw.open_pipes_session(
            context, hw.PipesTempFileContextInjector(), hw.PipesTempFileMessageReader(), extras={"rows": 2}
        ) as session:
            env = {**os.environ, **session.get_bootstrap_env_vars(), "PYTHONPATH": PIPES_ALIAS_PATH}
            subprocess.run([sys.executable, "-S", str(child)], env=env, check=True)
        return session.get_results()

    result = hw.materialize([table])
    [mat] = result.get_asset_materialization_events()
    assert mat.materialization.metadata["rows"] == hw.IntMetadataValue(2)


def test_outside_an_orchestrated_process_pipes_is_a_warning_and_a_no_op(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from headwater import pipes

    monkeypatch.delenv("DAGSTER_PIPES_CONTEXT", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        context = pipes.open_dagster_pipes()
    assert any(issubclass(w.category, pipes.DagsterPipesWarning) for w in caught)
    context.report_asset_materialization(metadata={"a": 1})  # a MagicMock: nothing happens


def test_bad_reports_are_clear_errors(tmp_path: Path) -> None:
    from headwater import pipes

    messages = tmp_path / "messages"
    loader = pipes.PipesMappingParamsLoader(
        {
            "DAGSTER_PIPES_CONTEXT": pipes.encode_param(
                {"data": {"asset_keys": ["a"], "run_id": "r", "extras": {}}}
            ),
            "DAGSTER_PIPES_MESSAGES": pipes.encode_param({"path": str(messages)}),
        }
    )
    context = pipes.PipesContext(loader, pipes.PipesDefaultContextLoader(), pipes.PipesDefaultMessageWriter())
    with pytest.raises(pipes.DagsterPipesError, match="Invalid asset key 'b'"):
        context.report_asset_materialization(asset_key="b")
    context.report_asset_materialization()
    with pytest.raises(pipes.DagsterPipesError, match="already been materialized"):
        context.report_asset_materialization()
    with pytest.raises(pipes.DagsterPipesError, match="Invalid metadata type"):
        context.report_asset_check("c", True, metadata={"x": {"raw_value": 1, "type": "nope"}})
    with pytest.raises(pipes.DagsterPipesError, match="Extra `missing` is undefined"):
        context.get_extra("missing")
    context.close()
    with pytest.raises(pipes.DagsterPipesError, match="after pipes context is closed"):
        context.report_custom_message(1)
    assert [line.split('"method": "')[1].split('"')[0] for line in messages.read_text().splitlines()] == [
        "opened",
        "report_asset_materialization",
        "closed",
    ]


def test_python_script_component_scripts_report_through_pipes(tmp_path: Path) -> None:
    from headwater.definitions.component_context import ComponentLoadContext
    from headwater.definitions.components.builtin import PythonScriptComponent

    script = tmp_path / "report.py"
    script.write_text(
        "from dagster_pipes import open_dagster_pipes\n"
        "with open_dagster_pipes() as p:\n"
        "    p.report_asset_materialization(metadata={'rows': 5}, asset_key='reported')\n"
    )
    context = ComponentLoadContext.for_test(tmp_path, tmp_path)
    component = PythonScriptComponent.load(
        {"execution": {"path": "report.py"}, "assets": [{"key": "reported"}, {"key": "silent"}]}, context
    )
    defs = component.build_defs(context)
    result = hw.materialize(defs.assets)
    metadata = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert metadata["reported"]["rows"] == hw.IntMetadataValue(5)
    assert metadata["silent"] == {}
