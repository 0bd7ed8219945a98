"""The GraphQL operations behind the UI's backfill, launchpad and compute-log pages, against a real
``headwater dev`` without a daemon (so a backfill stays where it is put): pausing, resuming and
canceling a backfill and the errors when it cannot; a backfill's run requests before any is
submitted; a job's run config scaffold; captured logs of an unknown step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import DevServer, served


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    yield from served(tmp_path_factory, "operations", daemon=False)


def _change(dev: DevServer, action: str, backfill_id: str) -> dict[str, Any]:
    data = dev.gql(
        f"""mutation($id: String!) {{ r: {action}PartitionBackfill(backfillId: $id) {{
            __typename ... on Error {{ message }} }} }}""",
        {"id": backfill_id},
    )
    return data["r"]  # type: ignore[no-any-return]


def _backfill(dev: DevServer, backfill_id: str) -> dict[str, Any]:
    data = dev.gql(
        """query($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill {
            status isPaused runRequests { assetKeys { path } partitionKeys runId state } } } }""",
        {"id": backfill_id},
    )
    return data["partitionBackfillOrError"]  # type: ignore[no-any-return]


def test_pause_resume_and_cancel_a_backfill(dev: DevServer) -> None:
    launched = dev.gql(
        """mutation { launchPartitionBackfill(backfillParams: {
            assetSelection: [{path: ["lettered"]}], partitionNames: ["b", "c"]}) {
            __typename ... on LaunchBackfillSuccess { backfillId } } }"""
    )["launchPartitionBackfill"]
    backfill_id = launched["backfillId"]
    found = _backfill(dev, backfill_id)
    assert found["status"] == "REQUESTED" and not found["isPaused"]
    assert found["runRequests"] == [  # nothing submitted yet: no daemon
        {"assetKeys": [{"path": ["lettered"]}], "partitionKeys": [key], "runId": None, "state": "READY"}
        for key in ("b", "c")
    ]
    assert _change(dev, "pause", backfill_id) == {"__typename": "PauseBackfillSuccess"}
    assert _backfill(dev, backfill_id)["isPaused"]
    assert _change(dev, "resume", backfill_id) == {"__typename": "ResumeBackfillSuccess"}
    assert not _backfill(dev, backfill_id)["isPaused"]
    assert _change(dev, "cancel", backfill_id) == {"__typename": "CancelBackfillSuccess"}
    assert _backfill(dev, backfill_id)["status"] == "CANCELING"
    twice = _change(dev, "cancel", backfill_id)
    assert twice["__typename"] == "BackfillStateChangeError" and "nothing to cancel" in twice["message"]
    resumed = _change(dev, "resume", backfill_id)
    assert resumed["__typename"] == "BackfillStateChangeError"
    assert "only a paused or FAILED backfill can be resumed" in resumed["message"]
    paused = _change(dev, "pause", backfill_id)
    assert paused["__typename"] == "BackfillStateChangeError" and "CANCELING" in paused["message"]
    unknown = _change(dev, "cancel", "nope")
    assert unknown["__typename"] == "BackfillStateChangeError" and "nope" in unknown["message"]


def test_a_jobs_run_config_scaffold(dev: DevServer) -> None:
    query = """query($s: PipelineSelector!) { runConfigSchemaOrError(selector: $s) { __typename
        ... on RunConfigSchema { rootDefaultYaml scaffoldYaml hasRequiredFields } ... on Error { message } } }"""
    found = dev.gql(query, {"s": {"repositoryLocationName": "defs", "pipelineName": "numbers_job"}})
    assert found["runConfigSchemaOrError"] == {
        "__typename": "RunConfigSchema",
        "rootDefaultYaml": "ops:\n  numbers:\n    config:\n      rows: 3\n      fail: false\n",
        "scaffoldYaml": "ops:\n  numbers:\n    config:\n      rows: 3\n      fail: false\n",
        "hasRequiredFields": False,
    }
    greet = dev.gql(query, {"s": {"repositoryLocationName": "defs", "pipelineName": "greet"}})
    assert greet["runConfigSchemaOrError"]["scaffoldYaml"] == ""  # no config to give
    missing = dev.gql(query, {"s": {"repositoryLocationName": "defs", "pipelineName": "nope"}})
    assert missing["runConfigSchemaOrError"]["__typename"] == "PipelineNotFoundError"
    assert "No job 'nope'" in missing["runConfigSchemaOrError"]["message"]


def test_captured_logs_of_nothing(dev: DevServer) -> None:
    query = """query($k: [String!]!) { capturedLogs(logKey: $k) { logKey stdout stderr cursor } }"""
    for key in (["run", "compute_logs", "step"], ["not", "a key"]):
        found = dev.gql(query, {"k": key})["capturedLogs"]
        assert found == {"logKey": key, "stdout": None, "stderr": None, "cursor": None}
