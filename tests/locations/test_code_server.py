"""The code server over HTTP: health, spec + 304, reload, load errors, plan, asset value, loopback only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from headwater.locations.client.address import LocationAddress
from headwater.locations.client.client import LocationClient
from headwater.locations.client.errors import (
    LocationAddressError,
    LocationLoadError,
    LocationRequestError,
    LocationUnavailableError,
    RemoteUserCodeError,
)
from headwater.locations.server.loader import load_definitions
from headwater.planning.plan import build_plan

from .conftest import GOOD_DEFS, SERVER_CMD, ServerFactory, stop_process, write


def test_server_starts_serves_health_and_stops_on_sigterm(
    start_server: ServerFactory, good_file: Path
) -> None:
    with start_server("-f", str(good_file), "--location-name", "good") as server:
        health = server.client.health()
        assert health["status"] == "ok" and health["location"] == "good"
        assert health["pid"] == server.proc.pid
        assert stop_process(server.proc) == 0
    with pytest.raises(LocationUnavailableError, match="not answering"):
        server.client.health()


def test_spec_fetch_and_304_when_the_hash_is_unchanged(start_server: ServerFactory, good_file: Path) -> None:
    with start_server("-f", str(good_file)) as server:
        spec = server.client.spec()
        assert spec is not None
        assert {k.to_user_string() for k in spec.asset_graph.nodes} == {"a", "b"}
        assert {"ops", "ab"} <= set(spec.job_names)
        assert server.client.spec_hash() == spec.content_hash
        assert server.client.spec(spec.content_hash) is None  # unchanged: no body sent
        assert server.client.spec("0" * 64) == spec
        start = time.perf_counter()
        for _ in range(50):
            server.client.spec(spec.content_hash)
        per_call = (time.perf_counter() - start) / 50
        assert per_call < 0.05


def test_reload_picks_up_an_edited_file(start_server: ServerFactory, good_file: Path) -> None:
    with start_server("-f", str(good_file)) as server:
        before = server.client.spec()
        assert before is not None
        assert server.client.reload()["changed"] is False
        good_file.write_text(good_file.read_text().replace('description="first"', 'description="edited"'))
        result = server.client.reload()
        assert result["changed"] is True and result["hash"] != before.content_hash
        after = server.client.spec(before.content_hash)
        assert after is not None
        assert after.asset_graph.nodes[before.assets[0].key].description == "edited"


def test_reload_reimports_modules_of_a_package(start_server: ServerFactory, tmp_path: Path) -> None:
    pkg = f"pkg_{uuid.uuid4().hex[:6]}"
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
    with start_server("-m", f"{pkg}.defs", "-d", str(tmp_path)) as server:
        spec = server.client.spec()
        assert spec is not None and spec.assets[0].group_name == "one"
        write(tmp_path / pkg / "groups.py", 'GROUP = "two_changed"\n')
        server.client.reload()
        spec = server.client.spec()
        assert spec is not None and spec.assets[0].group_name == "two_changed"


def test_load_error_is_served_with_the_users_traceback(start_server: ServerFactory, tmp_path: Path) -> None:
    bad = write(tmp_path / f"bad_{uuid.uuid4().hex[:6]}.py", GOOD_DEFS + "\n    def broken(:\n        pass\n")
    with start_server("-f", str(bad)) as server:
        health = server.client.health()
        assert health["status"] == "error"
        with pytest.raises(LocationLoadError) as info:
            server.client.spec()
        assert info.value.user_traceback is not None
        assert "SyntaxError" in info.value.user_traceback
        assert str(bad) in info.value.user_traceback and "line" in info.value.user_traceback
        with pytest.raises(LocationLoadError):
            server.client.plan("ops")
        with pytest.raises(LocationLoadError):
            server.client.reload()  # still broken; the server keeps serving the error
        write(bad, GOOD_DEFS)  # fixed
        assert server.client.reload()["hash"]
        assert server.client.health()["status"] == "ok"
        assert server.client.spec() is not None


def test_user_exception_at_import_reports_file_and_line(start_server: ServerFactory, tmp_path: Path) -> None:
    bad = write(
        tmp_path / f"raises_{uuid.uuid4().hex[:6]}.py", "import headwater\n\nraise ValueError('boom')\n"
    )
    with start_server("-f", str(bad)) as server, pytest.raises(LocationLoadError, match="boom") as info:
        server.client.spec()
    assert f'File "{bad}", line 3' in (info.value.user_traceback or "")


def test_plan_over_http_equals_the_local_plan(start_server: ServerFactory, good_file: Path) -> None:
    local_defs = load_definitions(python_file=str(good_file))
    with start_server("-f", str(good_file)) as server:
        for job in ("ops", "ab"):
            local_job = local_defs.resolve_job_def(job).spec
            assert server.client.plan(job) == build_plan(local_job)
        assert server.client.plan("ops", ["plus_2"]) == build_plan(
            local_defs.resolve_job_def("ops").spec, ["plus_2"]
        )
        with pytest.raises(LocationRequestError, match="No job named 'nope'") as info:
            server.client.plan("nope")
        assert info.value.status == 404
        with pytest.raises(LocationRequestError, match="not in job") as info:
            server.client.plan("ops", ["zzz"])
        assert info.value.status == 400


def test_asset_value_after_materialize_with_filesystem_io_manager(
    start_server: ServerFactory, tmp_path: Path
) -> None:
    base = tmp_path / "storage"
    path = write(
        tmp_path / f"fs_{uuid.uuid4().hex[:6]}.py",
        f"""
        import headwater as hw

        @hw.asset
        def numbers():
            return {{"values": [1, 2, 3]}}

        @hw.asset
        def total(numbers):
            return sum(numbers["values"])

        @hw.asset
        def never_materialized():
            return 0

        defs = hw.Definitions(
            assets=[numbers, total, never_materialized],
            resources={{"io_manager": hw.FilesystemIOManager(base_dir={str(base)!r})}},
        )
    """,
    )
    import headwater as hw

    defs = load_definitions(python_file=str(path))
    hw.materialize(
        [a for a in defs.assets if a.key.path[0] != "never_materialized"], resources=defs.resources
    )
    with start_server("-f", str(path)) as server:
        assert server.client.asset_value("numbers") == {"values": [1, 2, 3]}
        assert server.client.asset_value(["total"]) == 6
        with pytest.raises(RemoteUserCodeError) as info:
            server.client.asset_value("never_materialized")
        assert info.value.user_traceback and "Traceback" in info.value.user_traceback
        with pytest.raises(LocationRequestError, match="No asset 'missing'"):
            server.client.asset_value("missing")


def test_unix_socket_server_is_private_to_its_owner(start_server: ServerFactory, good_file: Path) -> None:
    sock = Path(
        f"/tmp/hw-test-{uuid.uuid4().hex[:8]}.sock"
    )  # short: Unix socket paths are limited to ~100 bytes
    try:
        with start_server("-f", str(good_file), "--socket", str(sock), tcp=False) as server:
            assert str(server.client.address) == f"unix:{sock}"
            assert server.client.health()["status"] == "ok"
            assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600
            spec = server.client.spec()
            assert spec is not None and server.client.spec(spec.content_hash) is None
        assert not sock.exists()  # removed on shutdown
    finally:
        sock.unlink(missing_ok=True)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_server_refuses_to_bind_a_non_loopback_address(good_file: Path, host: str) -> None:
    result = subprocess.run(
        [*SERVER_CMD, "-f", str(good_file), "--host", host, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "not a loopback address" in result.stderr


def test_addresses_and_client_are_loopback_only() -> None:
    assert str(LocationAddress.parse("127.0.0.1:5000")) == "http://127.0.0.1:5000"
    assert str(LocationAddress.parse("http://[::1]:5000")) == "http://[::1]:5000"
    assert LocationAddress.parse("localhost:1").host == "localhost"
    assert LocationAddress.parse("unix:///run/x.sock").socket_path == "/run/x.sock"
    for bad in ("10.1.2.3:80", "http://0.0.0.0:1", "example.com:80"):
        with pytest.raises(LocationAddressError):
            LocationClient(bad)
    with pytest.raises(LocationAddressError, match="host:port"):
        LocationAddress.parse("ftp://127.0.0.1:1")


def test_client_reports_a_server_that_is_down() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = LocationClient(f"127.0.0.1:{port}", name="etl", timeout=2)
    with pytest.raises(LocationUnavailableError, match=r"'etl'.*not answering"):
        client.spec()
    with pytest.raises(LocationUnavailableError):
        client.wait_until_up(timeout=0.2)


def test_cli_registers_code_server() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", "code-server", "start", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    assert "--socket" in result.stdout and "--port" in result.stdout
