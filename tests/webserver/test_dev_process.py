"""`headwater dev` and `headwater webserver` as processes: live events (graphql-transport-ws and SSE)
of a real run, load errors with file and line, reload on change keeping run history, and no orphan
process after SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import DEFS, DevServer, alive, children_of, start_dev, stop, write_project


def _launch_numbers(dev: DevServer) -> str:
    data = dev.gql(
        """mutation { materializeAssets(params: {assetKeys: [{path: ["numbers"]}, {path: ["doubled"]}]}) {
            __typename ... on LaunchRunSuccess { run { runId } } } }"""
    )
    return str(data["materializeAssets"]["run"]["runId"])


def test_subscription_over_graphql_transport_ws_follows_a_run(dev: DevServer) -> None:
    import websockets

    run_id = _launch_numbers(dev)
    query = """subscription($id: ID!) { pipelineRunLogs(runId: $id) { __typename
        ... on PipelineRunLogsSubscriptionSuccess { runFinished cursor messages { eventType stepKey } }
        ... on PipelineRunLogsSubscriptionFailure { message } } }"""
    ws_url = dev.url.replace("http://", "ws://") + "/graphql"

    async def follow() -> list[dict[str, Any]]:
        batches: list[dict[str, Any]] = []
        async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(
                json.dumps(
                    {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": {"id": run_id}}}
                )
            )
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 60))
                if message["type"] == "complete":
                    return batches
                assert message["type"] == "next", message
                batches.append(message["payload"]["data"]["pipelineRunLogs"])

    batches = asyncio.run(follow())
    events = [m["eventType"] for b in batches for m in b["messages"]]
    assert batches[-1]["runFinished"] is True
    assert events[0] in ("RUN_STARTING", "RUN_ENQUEUED") and events[-1] == "RUN_SUCCESS"
    assert "ASSET_MATERIALIZATION" in events and events.count("STEP_SUCCESS") >= 2


def test_websocket_refuses_mutations_and_foreign_origins(dev: DevServer) -> None:
    import websockets

    ws_url = dev.url.replace("http://", "ws://") + "/graphql"

    async def mutate() -> dict[str, Any]:
        async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init"}))
            await ws.recv()
            query = 'mutation { terminateRun(runId: "x") { __typename } }'
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
            return json.loads(await asyncio.wait_for(ws.recv(), 30))  # type: ignore[no-any-return]

    reply = asyncio.run(mutate())
    assert "POST" in json.dumps(reply)

    async def foreign() -> None:
        async with websockets.connect(
            ws_url,
            subprotocols=["graphql-transport-ws"],
            origin="http://evil.example",  # type: ignore[list-item, arg-type]
        ):
            pass

    with pytest.raises(Exception) as refused:
        asyncio.run(foreign())
    assert "403" in str(refused.value) or "rejected" in str(refused.value).lower()


def test_sse_streams_a_runs_events_until_it_ends(dev: DevServer) -> None:
    run_id = _launch_numbers(dev)
    events: list[dict[str, Any]] = []
    ended = False
    with dev.client() as client, client.stream("GET", f"/runs/{run_id}/events") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[len("event: ") :]
            elif line.startswith("data: "):
                data = json.loads(line[len("data: ") :])
                if kind == "end":
                    ended = True
                    break
                events.append(data)
    assert ended and events[-1]["eventType"] == "RUN_SUCCESS"
    assert {e["runId"] for e in events} == {run_id}
    # resume from a cursor: only what came after it
    with (
        dev.client() as client,
        client.stream(
            "GET", f"/runs/{run_id}/events", headers={"Last-Event-ID": events[-2]["cursor"]}
        ) as response,
    ):
        rest = [json.loads(line[6:]) for line in response.iter_lines() if line.startswith("data: ")]
    assert [e["eventType"] for e in rest[:-1]] == ["RUN_SUCCESS"]
    with dev.client() as client:
        assert client.get("/runs/nope/events").status_code == 404


BROKEN = """
import headwater as hw


@hw.asset
def fine() -> int:
    return 1


raise RuntimeError("broken on purpose")
"""


def test_load_error_shows_file_and_line_and_a_fix_reloads(tmp_path: Path) -> None:
    project = write_project(tmp_path, BROKEN)
    dev = start_dev(tmp_path, "-f", "defs.py", "--no-daemon")
    try:
        entry = _entry(dev)
        assert entry["locationOrLoadError"]["__typename"] == "PythonError"
        error = entry["loadError"]
        assert "broken on purpose" in error["traceback"]
        assert error["source"] == {"file": str(project / "defs.py"), "line": 10}
        # A fix is picked up by the watcher, and runs stored before are still there.
        (project / "defs.py").write_text(DEFS)
        deadline = time.monotonic() + 30
        while _entry(dev)["locationOrLoadError"]["__typename"] != "RepositoryLocation":
            assert time.monotonic() < deadline, dev.output()
            time.sleep(0.2)
        run_id = _launch_numbers(dev)
        assert dev.wait_run(run_id) == "SUCCESS"
        (project / "defs.py").write_text(DEFS + "\n\nextra = 1\n")
        time.sleep(1.5)
        runs = dev.gql("{ runsOrError { ... on Runs { count } } }")["runsOrError"]
        assert runs["count"] == 1
    finally:
        stop(dev.proc)


def _entry(dev: DevServer) -> dict[str, Any]:
    data = dev.gql(
        """{ workspaceOrError { ... on Workspace { locationEntries {
            locationOrLoadError { __typename ... on PythonError { message stack } }
            loadError { message traceback source { file line } } } } } }"""
    )
    return data["workspaceOrError"]["locationEntries"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_no_orphans_after_a_signal(tmp_path: Path, sig: int) -> None:
    write_project(tmp_path)
    dev = start_dev(tmp_path, "-f", "defs.py")  # with the daemon: it must stop too
    try:
        _signal_stops_everything(dev, sig)
    finally:
        if dev.proc.poll() is None:  # an assertion failed before the signal: leave no processes behind
            stop(dev.proc)


def _signal_stops_everything(dev: DevServer, sig: int) -> None:
    deadline = time.monotonic() + 30
    while True:  # the daemon is up and beating (its health, through the API)
        health = dev.gql(
            "{ instance { daemonHealth { ... on DaemonHealth { allDaemonStatuses { daemonType healthy } } } } }"
        )["instance"]["daemonHealth"]["allDaemonStatuses"]
        loops = {h["daemonType"] for h in health if h["healthy"]}
        if (
            loops == {"run_monitoring", "scheduler", "sensors", "backfills", "automation", "auto_observe"}
            and len(health) == 6
        ):
            break
        assert time.monotonic() < deadline, health
        time.sleep(0.1)
    launched = dev.gql(
        """mutation { materializeAssets(params: {assetKeys: [{path: ["sleepy"]}]}) {
            ... on LaunchRunSuccess { run { runId } } } }"""
    )["materializeAssets"]["run"]["runId"]
    deadline = time.monotonic() + 30
    while True:
        run = dev.gql(
            "query($id: ID!) { runOrError(runId: $id) { ... on Run { status tags { key value } } } }",
            {"id": launched},
        )["runOrError"]
        if run["status"] == "STARTED":
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    worker = int(next(t["value"] for t in run["tags"] if t["key"] == "headwater/run_worker_pid"))
    family = [*children_of(dev.proc.pid), worker]
    assert len(family) >= 3 and all(alive(p) for p in family)  # code server, daemon, run worker
    assert stop(dev.proc, sig) == 0
    deadline = time.monotonic() + 15
    while any(alive(p) for p in family):
        assert time.monotonic() < deadline, f"still alive: {[p for p in family if alive(p)]}"
        time.sleep(0.1)
    assert "stopped" in dev.output() and "canceled 1 run" in dev.output()


def test_webserver_read_only(tmp_path: Path) -> None:
    write_project(tmp_path)
    server = start_dev(tmp_path, "-f", "defs.py", "--read-only", command="webserver")
    try:
        result = server.gql(
            """mutation { materializeAssets(params: {assetKeys: [{path: ["numbers"]}]}) {
                __typename ... on UnauthorizedError { message } } }"""
        )["materializeAssets"]
        assert result["__typename"] == "UnauthorizedError" and "read-only" in result["message"]
        assert server.gql("{ runsOrError { ... on Runs { count } } }")["runsOrError"]["count"] == 0
    finally:
        assert stop(server.proc) == 0
