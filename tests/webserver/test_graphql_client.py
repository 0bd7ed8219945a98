"""Dagster's GraphQL client against Headwater's webserver: Headwater's own
(``headwater.compat.dagster_graphql``) and, where Dagster is installed, ``dagster_graphql``'s."""

from __future__ import annotations

import subprocess
import textwrap
import time
from pathlib import Path

import pytest

from headwater.compat.dagster_graphql import (
    DagsterGraphQLClient,
    DagsterGraphQLClientError,
    ReloadRepositoryLocationStatus,
    ShutdownRepositoryLocationStatus,
)
from headwater.events.run_status import RunStatus

from .conftest import DevServer

DAGSTER_PYTHON = Path("/opt/dagster-venv/bin/python")


def _client(dev: DevServer) -> DagsterGraphQLClient:
    host, port = dev.url.removeprefix("http://").rsplit(":", 1)
    return DagsterGraphQLClient(host, port_number=int(port))


def _wait(client: DagsterGraphQLClient, run_id: str) -> RunStatus:
    deadline = time.monotonic() + 60
    while True:
        status = client.get_run_status(run_id)
        if status.is_finished:
            return status
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_headwater_client_submits_and_follows(dev: DevServer) -> None:
    client = _client(dev)
    run_id = client.submit_job_execution(
        "numbers_job", run_config={"ops": {"numbers": {"config": {"rows": 2}}}}, tags={"n": 2}
    )
    assert _wait(client, run_id) is RunStatus.SUCCESS
    assert client.submit_job_execution("greet", "defs", "__repository__") != run_id
    with pytest.raises(DagsterGraphQLClientError) as bad:
        client.submit_job_execution("numbers_job", run_config={"ops": {"numbers": {"config": {"rows": "x"}}}})
    assert bad.value.args[0] == "RunConfigValidationInvalid" and bad.value.args[1]
    with pytest.raises(DagsterGraphQLClientError) as missing:
        client.submit_job_execution("nope")
    assert missing.value.args[0] == "JobNotFoundError"
    with pytest.raises(DagsterGraphQLClientError) as no_run:
        client.get_run_status("nope")
    assert no_run.value.args[0] == "RunNotFoundError"
    assert client.reload_repository_location("defs").status is ReloadRepositoryLocationStatus.SUCCESS
    failed = client.reload_repository_location("nope")
    assert (
        failed.status is ReloadRepositoryLocationStatus.FAILURE
        and failed.failure_type == "RepositoryLocationNotFound"
    )
    assert client.shutdown_repository_location("defs").status is ShutdownRepositoryLocationStatus.SUCCESS
    assert client.submit_job_execution("greet")  # the location serves again


def _start_sleepy(dev: DevServer) -> str:
    data = dev.gql(
        """mutation { materializeAssets(params: {assetKeys: [{path: ["sleepy"]}]}) {
            __typename ... on LaunchRunSuccess { run { runId } } } }"""
    )
    return str(data["materializeAssets"]["run"]["runId"])


def test_headwater_client_terminates_runs(dev: DevServer) -> None:
    client = _client(dev)
    one, two, three = (_start_sleepy(dev) for _ in range(3))
    client.terminate_run(one)
    client.terminate_runs([two, three])
    assert [_wait(client, r) for r in (one, two, three)] == [RunStatus.CANCELED] * 3
    with pytest.raises(DagsterGraphQLClientError) as finished:
        client.terminate_run(one)
    assert finished.value.args[0] == "TerminateRunFailure"
    with pytest.raises(DagsterGraphQLClientError) as partly:
        client.terminate_runs([_start_sleepy(dev), "no-such-run"])
    assert partly.value.args[0] == "TerminateRunsError"
    assert partly.value.args[1].startswith("Some runs could not be terminated: [('RunNotFoundError', ")
    with pytest.raises(DagsterGraphQLClientError) as none:
        client.terminate_runs(["nope", "nope-too"])
    assert none.value.args[1].startswith("All run terminations failed: [('RunNotFoundError', ")


def test_headwater_client_connection_errors() -> None:
    client = DagsterGraphQLClient("127.0.0.1", port_number=1)
    with pytest.raises(DagsterGraphQLClientError, match="Error when connecting"):
        client.get_run_status("x")


@pytest.mark.skipif(
    not DAGSTER_PYTHON.exists()
    or subprocess.run([str(DAGSTER_PYTHON), "-c", "import dagster_graphql"], capture_output=True).returncode
    != 0,
    reason="needs Dagster's dagster_graphql in /opt/dagster-venv (the reference environment)",
)
def test_dagsters_own_client_works_against_headwater(dev: DevServer) -> None:
    host, port = dev.url.removeprefix("http://").rsplit(":", 1)
    script = textwrap.dedent(
        f"""
        import time, warnings
        warnings.simplefilter("ignore")
        from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError
        client = DagsterGraphQLClient({host!r}, port_number={port})
        run_id = client.submit_job_execution("numbers_job", run_config={{"ops": {{"numbers": {{"config": {{"rows": 5}}}}}}}})
        for _ in range(300):
            status = client.get_run_status(run_id)
            if status.value in ("SUCCESS", "FAILURE", "CANCELED"):
                break
            time.sleep(0.2)
        print("status", status.value)
        try:
            client.submit_job_execution("numbers_job", run_config={{"ops": {{"numbers": {{"config": {{"rows": "x"}}}}}}}})
        except DagsterGraphQLClientError as exc:
            print("config", exc.args[0])
        print("reload", client.reload_repository_location("defs").status.value)
        print("shutdown", client.shutdown_repository_location("defs").status.value)
        """
    )
    done = subprocess.run([str(DAGSTER_PYTHON), "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "status SUCCESS" in lines
    assert "config RunConfigValidationInvalid" in lines
    assert "reload SUCCESS" in lines and "shutdown SUCCESS" in lines
