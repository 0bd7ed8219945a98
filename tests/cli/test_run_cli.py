"""``headwater run list | show | logs``, ``job launch`` output, errors for unknown runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from headwater.events.event_type import EventType
from headwater.instance import Instance
from headwater.runs.code_pointer import CodePointer
from headwater.runs.create import create_run_for_launch
from headwater.runs.run_events import emit_run_event
from headwater.specs.job import JobSpec, NodeSpec

SPEC = JobSpec("tiny", (NodeSpec("only", "only"),))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    return home


def _invoke(*args: str) -> tuple[int, str]:
    from headwater.cli.main import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _finished_run(tags: dict[str, str]) -> str:
    with Instance.get() as instance:
        run = create_run_for_launch(
            instance.run_storage, SPEC, CodePointer(module_name="nowhere"), tags=tags, run_config={"ops": {}}
        )
        emit_run_event(instance.storage, run, EventType.RUN_START, "go")
        emit_run_event(instance.storage, run, EventType.RUN_SUCCESS, "done")
        return run.run_id


def test_list_show_logs(home: Path) -> None:
    run_id = _finished_run({"team": "core"})
    code, out = _invoke("run", "list")
    assert code == 0, out
    assert run_id in out and "tiny" in out and "SUCCESS" in out
    code, out = _invoke("run", "list", "--status", "FAILURE")
    assert code == 0 and run_id not in out
    code, out = _invoke("run", "show", run_id)
    assert code == 0, out
    assert "team: core" in out and '"module_name": "nowhere"' in out and "SUCCESS" in out
    code, out = _invoke("run", "logs", run_id)
    assert code == 0, out
    assert "PIPELINE_START" in out and "PIPELINE_SUCCESS done" in out
    code, out = _invoke("run", "logs", run_id, "--follow")  # a finished run: prints and returns
    assert code == 0 and "PIPELINE_SUCCESS" in out


def test_unknown_run_ids_say_so(home: Path) -> None:
    for command in (["show"], ["logs"], ["cancel"], ["reexecute", "--all"]):
        code, out = _invoke("run", command[0], "no-such-run", *command[1:])
        assert code != 0
        assert "no-such-run" in out, (command, out)


def test_reexecute_needs_a_strategy(home: Path) -> None:
    run_id = _finished_run({})
    code, out = _invoke("run", "reexecute", run_id)
    assert code != 0 and "one of --from-failure, --all or --steps" in out


def test_cancel_of_a_finished_run_is_an_error(home: Path) -> None:
    run_id = _finished_run({})
    code, out = _invoke("run", "cancel", run_id)
    assert code != 0 and "already finished" in out


def test_monitor_and_dequeue_with_nothing_to_do(home: Path) -> None:
    code, out = _invoke("run", "monitor", "--once")
    assert code == 0 and "checked 0 run(s)" in out
    code, out = _invoke("run", "dequeue", "--once")
    assert code == 0 and "launched 0" in out
