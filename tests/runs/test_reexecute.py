"""Re-execution: --from-failure reuses the upstream outputs of the parent run; --all runs everything."""

from __future__ import annotations

from headwater.events.run_status import RunStatus
from headwater.storage.runs import PARENT_RUN_ID_TAG, RESUME_RETRY_TAG, ROOT_RUN_ID_TAG

from .conftest import Home


def _reexecute(home: Home, run_id: str, flag: str) -> str:
    return home.cli("run", "reexecute", run_id, flag).stdout.strip().splitlines()[0]


def test_from_failure_reuses_upstream_outputs_along_the_chain(home: Home) -> None:
    (home.side / "fail").write_text("")
    parent = home.launch("chain")
    assert home.wait_for_run(parent).status is RunStatus.FAILURE
    assert (home.count("first"), home.count("second"), home.count("flaky"), home.count("last")) == (
        1,
        1,
        1,
        0,
    )

    # Still failing: a second retry, whose parent ran only flaky + last.
    middle = _reexecute(home, parent, "--from-failure")
    assert home.wait_for_run(middle).status is RunStatus.FAILURE
    (home.side / "fail").unlink()
    child = _reexecute(home, middle, "--from-failure")
    run = home.wait_for_run(child)
    assert run.status is RunStatus.SUCCESS, home.log(child)
    # first and second ran once, in the first run: flaky loaded second's output from there.
    assert (home.count("first"), home.count("second"), home.count("flaky"), home.count("last")) == (
        1,
        1,
        3,
        1,
    )
    assert (home.side / "result").read_text() == "42"
    assert run.step_keys_to_execute == ("flaky", "last")
    assert run.parent_run_id == middle and run.root_run_id == parent
    assert run.tags[PARENT_RUN_ID_TAG] == middle and run.tags[ROOT_RUN_ID_TAG] == parent
    assert run.tags[RESUME_RETRY_TAG] == "true"


def test_all_runs_every_step_again(home: Home) -> None:
    parent = home.launch("chain")
    assert home.wait_for_run(parent).status is RunStatus.SUCCESS
    child = _reexecute(home, parent, "--all")
    assert home.wait_for_run(child).status is RunStatus.SUCCESS
    assert home.count("first") == 2 and home.count("last") == 2
    assert home.run(child).root_run_id == parent


def test_from_failure_of_a_successful_run_is_refused(home: Home) -> None:
    parent = home.launch("quick")
    assert home.wait_for_run(parent).status is RunStatus.SUCCESS
    result = home.cli("run", "reexecute", parent, "--from-failure", check=False)
    assert result.returncode != 0 and "succeeded" in result.stderr


def test_steps_reruns_exactly_the_named_steps(home: Home) -> None:
    parent = home.launch("chain")
    assert home.wait_for_run(parent).status is RunStatus.SUCCESS
    child = home.cli("run", "reexecute", parent, "--steps", "flaky,last").stdout.strip().splitlines()[0]
    run = home.wait_for_run(child)
    assert run.status is RunStatus.SUCCESS, home.log(child)
    assert run.step_keys_to_execute == ("flaky", "last")
    assert (home.count("first"), home.count("second"), home.count("flaky"), home.count("last")) == (
        1,
        1,
        2,
        2,
    )


def test_steps_must_be_steps_of_the_run(home: Home) -> None:
    parent = home.launch("quick")
    assert home.wait_for_run(parent).status is RunStatus.SUCCESS
    result = home.cli("run", "reexecute", parent, "--steps", "nope", check=False)
    assert result.returncode != 0 and "Cannot re-execute steps ['nope']" in result.stderr
