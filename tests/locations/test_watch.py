"""``headwater code-server start --watch``: a real server subprocess reloads when a .py file under the
code's directory changes (bounded polls of its health and spec hash), keeps serving a reload error, and
ignores other files."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from headwater.cli.main import cli
from headwater.locations.server.watch import watched_directories

from .conftest import GOOD_DEFS, RunningServer, ServerFactory, write

RELOAD_TIMEOUT = 15.0


def poll(predicate: Callable[[], Any], what: str, timeout: float = RELOAD_TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def generation(server: RunningServer) -> int:
    return int(server.client.health()["generation"])


def test_editing_the_file_reloads_the_location(start_server: ServerFactory, good_file: Path) -> None:
    with start_server("-f", str(good_file), "--watch") as server:
        before = server.client.spec_hash()
        started = time.monotonic()
        good_file.write_text(good_file.read_text().replace('description="first"', 'description="edited"'))
        after = poll(lambda: (h := server.client.spec_hash()) != before and h, "the spec hash to change")
        print(f"reload seen {time.monotonic() - started:.2f} s after the edit")
        spec = server.client.spec()
        assert spec is not None and after == spec.content_hash
        assert {a.description for a in spec.assets} >= {"edited"}
        assert "changed; location" in server.output() and "reloaded" in server.output()


def test_a_change_in_an_imported_module_of_the_directory_reloads(
    start_server: ServerFactory, tmp_path: Path
) -> None:
    pkg = f"wpkg_{uuid.uuid4().hex[:6]}"
    write(tmp_path / pkg / "__init__.py", "")
    write(tmp_path / pkg / "groups.py", 'GROUP = "one"\n')
    write(
        tmp_path / pkg / "defs.py",
        f"""
        import headwater as hw
        from {pkg}.groups import GROUP

        @hw.asset(group_name=GROUP)
        def x():
            return 1

        defs = hw.Definitions(assets=[x])
        """,
    )
    with start_server("-m", f"{pkg}.defs", "-d", str(tmp_path), "--watch") as server:
        write(tmp_path / pkg / "groups.py", 'GROUP = "two"\n')

        def group() -> str | None:
            spec = server.client.spec()
            return spec.assets[0].group_name if spec is not None else None

        poll(lambda: group() == "two", "the new group name")


def test_a_broken_edit_is_served_until_fixed(start_server: ServerFactory, good_file: Path) -> None:
    with start_server("-f", str(good_file), "--watch") as server:
        write(good_file, GOOD_DEFS + "\n    def broken(:\n        pass\n")
        health = poll(lambda: (h := server.client.health())["status"] == "error" and h, "the load error")
        assert "SyntaxError" in (health["error"]["traceback"] or "")
        assert server.proc.poll() is None  # still serving
        assert "failed to reload" in server.output()
        write(good_file, GOOD_DEFS.replace('description="first"', 'description="fixed"'))
        poll(lambda: server.client.health()["status"] == "ok", "the fixed code to load")
        spec = server.client.spec()
        assert spec is not None and "fixed" in {a.description for a in spec.assets}


def test_a_burst_of_edits_is_one_reload_and_other_files_are_ignored(
    start_server: ServerFactory, good_file: Path, tmp_path: Path
) -> None:
    with start_server("-f", str(good_file), "--watch") as server:
        first = generation(server)
        (tmp_path / "notes.txt").write_text("not code")
        (tmp_path / "__pycache__").mkdir(exist_ok=True)
        (tmp_path / "__pycache__" / "x.py").write_text("# ignored directory")
        source = good_file.read_text()
        for i in range(5):  # an editor's save, a git checkout: many events close together
            good_file.write_text(source + f"\n# edit {i}\n")
        poll(lambda: generation(server) > first, "a reload")
        time.sleep(1.0)  # longer than the debounce: a second reload would have happened by now
        assert generation(server) == first + 1


def test_watched_directories_drops_nested_and_missing(tmp_path: Path) -> None:
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    roots = [str(inner), str(tmp_path), str(tmp_path / "missing")]
    assert watched_directories(roots) == [str(tmp_path.resolve())]


def test_help_mentions_watch() -> None:
    result = CliRunner().invoke(cli, ["code-server", "start", "--help"])
    assert result.exit_code == 0
    assert "--watch" in result.output and "Reload the location when a .py file" in result.output
