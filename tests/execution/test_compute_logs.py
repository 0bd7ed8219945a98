"""Per-step compute logs, in a real process (as in a run worker): a step's stdout and stderr (a
subprocess's too) go to its files while it runs, when the run worker turned capture on; the process's
own streams come back after; a retry appends; a file past the bound keeps its end after a line saying
what was dropped; a second step captured at the same time in one process is not captured."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from headwater.execution import compute_logs
from headwater.storage.compute_logs import captured_steps, read_step_log, step_log_path


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = "import os, subprocess, sys\nfrom headwater.execution.compute_logs import capture_step_output\n"
    return subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


def test_a_steps_output_goes_to_its_files(tmp_path: Path) -> None:
    root = str(tmp_path)
    done = _run(
        """
        print("before the step")
        with capture_step_output("run1", "load[a]"):
            print("from print")
            os.write(1, b"from fd 1\\n")
            print("to stderr", file=sys.stderr)
            subprocess.run([sys.executable, "-c", "print('from a subprocess')"], check=True)
        print("after the step")
        with capture_step_output("run1", "load[a]"):
            print("second attempt")
        with capture_step_output("run1", "quiet"):
            pass
        with capture_step_output("run1", "report"):
            print("report", file=sys.stderr)
        """,
        {compute_logs.DIR_ENV: root},
    )
    assert done.stdout == "before the step\nafter the step\n"
    assert done.stderr == ""
    out = "from print\nfrom fd 1\nfrom a subprocess\nsecond attempt\n"
    assert Path(step_log_path(root, "run1", "load[a]", "stdout")).read_text() == out
    assert Path(step_log_path(root, "run1", "load[a]", "stderr")).read_text() == "to stderr\n"
    assert read_step_log(root, "run1", "load[a]", "stdout", 1 << 20) == (out, len(out), False)
    assert read_step_log(root, "run1", "load[a]", "stdout", 15) == ("second attempt\n", len(out), True)
    assert captured_steps(root, "run1") == ["load[a]", "report"]  # "quiet" wrote nothing
    assert read_step_log(root, "run1", "report", "stdout", 100) is None
    assert read_step_log(root, "run1", "missing", "stdout", 100) is None
    assert captured_steps(root, "no-such-run") == []


def test_nothing_is_captured_unless_the_run_worker_asked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != compute_logs.DIR_ENV}
    done = subprocess.run(
        [sys.executable, "-c", "from headwater.execution.compute_logs import capture_step_output\n"
         "with capture_step_output('run1', 'step'):\n    print('stays on stdout')"],
        env=env, capture_output=True, text=True, check=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.stdout == "stays on stdout\n"
    assert list(tmp_path.iterdir()) == []


def test_a_big_output_keeps_its_end(tmp_path: Path) -> None:
    root = str(tmp_path)
    _run(
        """
        with capture_step_output("run2", "chatty"):
            for i in range(1000):
                print(f"line {i:04d}")
        """,
        {compute_logs.DIR_ENV: root, compute_logs.MAX_BYTES_ENV: "2000"},
    )
    text = Path(step_log_path(root, "run2", "chatty", "stdout")).read_text()
    first, rest = text.split("\n", 1)
    assert first == f"[headwater: the first {1000 * 10 - 2000} bytes of this output were dropped]"
    assert len(rest.encode()) == 2000
    assert rest.endswith("line 0999\n")


def test_concurrent_steps_in_one_process_capture_only_the_first(tmp_path: Path) -> None:
    root = str(tmp_path)
    _run(
        """
        with capture_step_output("run3", "first"):
            with capture_step_output("run3", "second"):
                print("whose?")
        """,
        {compute_logs.DIR_ENV: root},
    )
    assert Path(step_log_path(root, "run3", "first", "stdout")).read_text() == "whose?\n"
    assert not os.path.exists(step_log_path(root, "run3", "second", "stdout"))
