"""Launching runs in their own process: success seen from another process, the launcher exiting
first, code that fails to import, code that changed since the run was created."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus
from headwater.runs.code_pointer import CodePointer
from headwater.runs.create import create_run_for_launch
from headwater.runs.snapshots import load_job_spec, load_plan
from headwater.runs.tags import CODE_POINTER_TAG, WORKER_PID_TAG

from .conftest import CODE, Home


def test_launch_succeeds_and_is_visible_from_another_process(home: Home) -> None:
    run_id = home.launch("chain")
    run = home.wait_for_run(run_id)
    assert run.status is RunStatus.SUCCESS, home.log(run_id)
    assert (home.side / "result").read_text() == "42"
    assert WORKER_PID_TAG in run.tags and CODE_POINTER_TAG in run.tags
    with home.instance() as instance:
        plan = load_plan(instance.run_storage, run)
        assert plan.step_keys == ["first", "second", "flaky", "last"]
        assert load_job_spec(instance.run_storage, run).name == "chain"
        types = [e.dagster_event.event_type for e in instance.all_logs(run_id) if e.dagster_event]
    assert types[0] is EventType.RUN_STARTING
    assert EventType.RUN_START in types and types[-1] is EventType.RUN_SUCCESS
    assert types.count(EventType.STEP_SUCCESS) == 4


def test_the_launching_process_exits_before_the_run_ends(home: Home, tmp_path: Path) -> None:
    config = tmp_path / "run.yaml"
    config.write_text("ops: {sleeper: {config: {seconds: 1.5}}}\n")
    started = time.monotonic()
    run_id = home.launch("sleepy", "-c", str(config))
    assert time.monotonic() - started < 10
    assert not home.run(run_id).is_finished  # the CLI is gone, the run goes on
    run = home.wait_for_run(run_id)
    assert run.status is RunStatus.SUCCESS, home.log(run_id)


def test_launch_wait_follows_progress(home: Home) -> None:
    out = home.cli("job", "launch", "-f", CODE, "-j", "chain", "--wait").stdout
    assert "first succeeded" in out and "last succeeded" in out
    assert "SUCCESS — 4 succeeded" in out


def test_launch_rejects_bad_run_config_before_creating_a_run(home: Home, tmp_path: Path) -> None:
    config = tmp_path / "run.yaml"
    config.write_text("ops: {sleeper: {config: {seconds: not-a-number}}}\n")
    result = home.cli("job", "launch", "-f", CODE, "-j", "sleepy", "-c", str(config), check=False)
    assert result.returncode != 0
    assert "seconds" in result.stderr
    with home.instance() as instance:
        assert instance.get_runs() == []


def _launch_with_pointer(home: Home, pointer: CodePointer) -> str:
    from headwater.locations.server.loader import load_definitions

    spec = load_definitions(python_file=CODE).resolve_job_def("chain").spec
    with home.instance() as instance:
        run = create_run_for_launch(instance.run_storage, spec, pointer)
        instance.launch_run(run.run_id)
        return run.run_id


def test_code_that_fails_to_import_fails_the_run_with_the_users_traceback(home: Home, tmp_path: Path) -> None:
    broken = tmp_path / "broken_code.py"
    broken.write_text("import headwater\n\ndef helper():\n    return 1 / 0\n\nhelper()\n")
    run_id = _launch_with_pointer(home, CodePointer.from_options(None, str(broken)))
    run = home.wait_for_run(run_id)
    assert run.status is RunStatus.FAILURE
    with home.instance() as instance:
        failure = instance.all_logs(run_id, of_type=EventType.RUN_FAILURE)[-1]
        engine = [
            e
            for e in instance.all_logs(run_id, of_type=EventType.ENGINE_EVENT)
            if e.dagster_event and e.dagster_event.event_specific_data.error is not None
        ]
    assert "ZeroDivisionError" in failure.user_message
    assert "broken_code.py" in failure.user_message and "helper" in failure.user_message
    assert engine and "ZeroDivisionError" in engine[0].dagster_event.event_specific_data.error.to_string()


def test_code_changed_since_the_run_was_created_fails_clearly(home: Home, tmp_path: Path) -> None:
    changed = tmp_path / "changed_code.py"
    changed.write_text(
        textwrap.dedent(
            """
            import headwater as hw

            @hw.op
            def first() -> int:
                return 1

            @hw.job
            def chain() -> None:
                first()

            defs = hw.Definitions(jobs=[chain])
            """
        )
    )
    run_id = _launch_with_pointer(home, CodePointer.from_options(None, str(changed)))
    run = home.wait_for_run(run_id)
    assert run.status is RunStatus.FAILURE
    with home.instance() as instance:
        failure = instance.all_logs(run_id, of_type=EventType.RUN_FAILURE)[-1]
    assert "changed since run" in failure.user_message
    assert "steps no longer in the job: ['flaky', 'last', 'second']" in failure.user_message
    assert home.count("first") == 0


def test_an_ephemeral_instance_cannot_launch() -> None:
    from headwater.instance import Instance
    from headwater.locations.server.loader import load_definitions
    from headwater.runs.launcher import LaunchError

    spec = load_definitions(python_file=CODE).resolve_job_def("chain").spec
    with Instance.ephemeral() as instance:
        run = create_run_for_launch(instance.run_storage, spec, CodePointer.from_options(None, CODE))
        with pytest.raises(LaunchError, match="memory"):
            instance.launch_run(run.run_id)
