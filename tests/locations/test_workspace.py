"""Workspace: workspace.yaml -> code servers as subprocesses; a broken location beside working ones."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from headwater.locations.client.address import LocationAddress
from headwater.locations.client.errors import LocationLoadError, LocationUnavailableError
from headwater.locations.client.workspace import Workspace
from headwater.locations.client.workspace_file import LocationEntry, WorkspaceFileError, parse_workspace

from .conftest import GOOD_DEFS, ServerFactory, write


def test_workspace_file_forms(tmp_path: Path) -> None:
    entries = parse_workspace(
        {
            "load_from": [
                {"python_module": "pkg.defs"},
                {"python_file": "jobs/etl.py", "location_name": "etl", "executable_path": "venv/bin/python"},
                {
                    "python_module": {
                        "module_name": "pkg.other",
                        "attribute": "defs",
                        "working_directory": "src",
                    }
                },
                {"python_file": {"relative_path": "x.py", "executable_path": "python3"}},
                {"server": {"host": "127.0.0.1", "port": 4266, "location_name": "shared"}},
                {"grpc_server": {"socket": "run/s.sock"}},
            ]
        },
        base_dir=tmp_path,
    )
    assert entries[0] == LocationEntry("pkg.defs", module_name="pkg.defs", working_directory=str(tmp_path))
    assert entries[1].name == "etl" and entries[1].python_file == str(tmp_path / "jobs" / "etl.py")
    assert entries[1].executable_path == str(tmp_path / "venv" / "bin" / "python")
    assert entries[2].attribute == "defs" and entries[2].working_directory == str(tmp_path / "src")
    assert entries[3].name == "x" and entries[3].executable_path == "python3"
    assert entries[4].address == LocationAddress.tcp("127.0.0.1", 4266) and not entries[4].is_managed
    assert entries[5].address == LocationAddress.unix(str(tmp_path / "run" / "s.sock"))
    assert (
        parse_workspace([{"python_module": "a"}], base_dir=tmp_path)[0].name == "a"
    )  # a bare list works too


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"load_form": []}, "unknown top-level keys"),
        ({"load_from": []}, "non-empty list"),
        ({"load_from": [{"python_modul": "x"}]}, "Did you mean 'python_module'"),
        ({"load_from": [{"python_module": "x", "location_nam": "y"}]}, "Did you mean 'location_name'"),
        (
            {"load_from": [{"python_module": "a"}, {"python_file": "a.py"}]},
            "two code locations are named 'a'",
        ),
        ({"load_from": [{"server": {"host": "10.0.0.1", "port": 1}}]}, "not a loopback address"),
        ({"load_from": [{"server": {"host": "127.0.0.1"}}]}, "needs `port:`"),
        ({"load_from": ["pkg.defs"]}, "expected a mapping"),
    ],
)
def test_workspace_file_errors_name_the_fix(tmp_path: Path, data: object, message: str) -> None:
    with pytest.raises(WorkspaceFileError, match=message):
        parse_workspace(data, base_dir=tmp_path)


def test_a_syntax_error_beside_good_locations(tmp_path: Path, start_server: ServerFactory) -> None:
    tag = uuid.uuid4().hex[:6]
    write(tmp_path / f"good_{tag}.py", GOOD_DEFS)
    bad = write(tmp_path / f"bad_{tag}.py", "import headwater\n\nx = (1,\ny = 2\n")
    pkg = f"wspkg_{tag}"
    write(tmp_path / pkg / "__init__.py", "")
    write(tmp_path / pkg / "defs.py", GOOD_DEFS)
    with start_server("-f", str(tmp_path / f"good_{tag}.py")) as external:
        ws_file = write(
            tmp_path / "workspace.yaml",
            f"""
            load_from:
              - python_file: good_{tag}.py
                location_name: good
              - python_file: bad_{tag}.py
                location_name: bad
              - python_module: {pkg}.defs
                executable_path: {sys.executable}
              - server: {{host: 127.0.0.1, port: {external.client.address.port}, location_name: external}}
        """,
        )
        started = time.perf_counter()
        with Workspace.from_file(ws_file, startup_timeout=60) as ws:
            elapsed = time.perf_counter() - started
            assert ws.location_names == ["good", "bad", f"{pkg}.defs", "external"]
            for name in ("good", f"{pkg}.defs", "external"):
                spec = ws.spec(name)
                assert {k.to_user_string() for k in spec.asset_graph.nodes} == {"a", "b"}
                assert ws.client(name).plan("ops").step_keys == ["one", "plus", "plus_2"]
            assert ws.spec("good") is ws.spec("good")  # unchanged hash: the cached spec, no body fetched
            errors = ws.errors()
            assert set(errors) == {"bad"}
            error = errors["bad"]
            assert isinstance(error, LocationLoadError)
            assert error.user_traceback and "SyntaxError" in error.user_traceback
            assert f'File "{bad}", line 3' in error.user_traceback
            with pytest.raises(LocationLoadError, match="SyntaxError"):
                ws.spec("bad")
            write(bad, GOOD_DEFS)  # fix it and reload: the location recovers in place
            ws.reload("bad")
            assert ws.errors() == {}
            assert ws.spec("bad").job_names
            managed = [h.process for h in ws.locations.values() if h.process is not None]
            assert len(managed) == 3
        assert all(p.poll() is not None for p in managed)  # every started server stopped
        assert external.client.health()["status"] == "ok"  # the attached one is left running
    print(f"\nworkspace of 3 started servers ready in {elapsed:.2f} s")


def test_a_server_that_cannot_start_is_reported_and_others_work(tmp_path: Path) -> None:
    write(tmp_path / "ok.py", GOOD_DEFS)
    ws = Workspace(
        parse_workspace(
            [
                {"python_file": "ok.py"},
                {"python_file": "other.py", "executable_path": str(tmp_path / "no-such-python")},
                {
                    "python_file": "also.py",
                    "executable_path": sys.executable,
                    "location_name": "no_headwater",
                },
            ],
            base_dir=tmp_path,
        ),
        startup_timeout=60,
    )
    with ws:
        errors = ws.errors()
        assert set(errors) == {"other", "no_headwater"}
        assert isinstance(errors["other"], LocationUnavailableError)
        assert "Cannot start the code server" in str(errors["other"])
        assert isinstance(errors["no_headwater"], LocationLoadError)  # also.py does not exist
        assert ws.spec("ok").job_names
        with pytest.raises(LocationUnavailableError):
            ws.client("other")


def test_server_exits_when_its_workspace_process_dies(tmp_path: Path) -> None:
    write(tmp_path / "ok.py", GOOD_DEFS)
    script = write(
        tmp_path / "parent.py",
        f"""
        import os, sys
        from headwater.locations.client.workspace import Workspace
        from headwater.locations.client.workspace_file import parse_workspace
        from pathlib import Path
        entries = parse_workspace([{{"python_file": "ok.py"}}], base_dir=Path({str(tmp_path)!r}))
        ws = Workspace(entries).start()
        print(ws.locations["ok"].process.pid, flush=True)
        os._exit(0)  # dies without closing the workspace
    """,
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    pid = int(out.stdout.strip())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, 9)
    raise AssertionError("the orphaned code server did not exit")
