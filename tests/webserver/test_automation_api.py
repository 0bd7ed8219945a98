"""Declarative automation end to end: ``headwater dev`` (webserver, daemon with its automation loop,
code server) over a project whose assets declare conditions; the daemon evaluates them, launches the
requested run, and GraphQL serves each evaluation with its reason tree."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import DevServer, served

DEFS = """
from headwater import AutomationCondition, Definitions, asset


@asset(automation_condition=AutomationCondition.missing())
def auto_root() -> int:
    return 1


@asset(deps=[auto_root], automation_condition=AutomationCondition.eager())
def auto_child() -> int:
    return 2


defs = Definitions(assets=[auto_root, auto_child])
"""

RECORDS = """query($key: AssetKeyInput!) { assetConditionEvaluationRecordsOrError(assetKey: $key, limit: 5) {
  __typename ... on AssetConditionEvaluationRecords { records {
    evaluationId entityKey numRequested numCandidates isPartitioned runIds rootUniqueId sensorSelectorId
    evaluationNodes { uniqueId userLabel name numTrue numCandidates childUniqueIds depKey } } } } }"""


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    yield from served(tmp_path_factory, "automation", DEFS, daemon=True)


def _records(dev: DevServer, key: str) -> list[dict[str, Any]]:
    found = dev.gql(RECORDS, {"key": {"path": [key]}})["assetConditionEvaluationRecordsOrError"]
    assert found["__typename"] == "AssetConditionEvaluationRecords"
    return found["records"]  # type: ignore[no-any-return]


def test_the_daemon_requests_and_graphql_says_why(dev: DevServer) -> None:
    deadline = time.monotonic() + 90
    while True:
        records = _records(dev, "auto_root")
        if records and records[0]["runIds"]:
            break
        assert time.monotonic() < deadline, f"no automation run after 90 s:\n{dev.output()[-3000:]}"
        time.sleep(0.3)
    root = records[0]
    assert (
        root["numRequested"] == 1 and root["sensorSelectorId"] == "defs:default_automation_condition_sensor"
    )
    (node,) = root["evaluationNodes"]
    assert node == {
        "uniqueId": "0",
        "userLabel": None,
        "name": "missing",
        "numTrue": 1,
        "numCandidates": 1,
        "childUniqueIds": [],
        "depKey": None,
    }
    assert dev.wait_run(root["runIds"][0]) == "SUCCESS"
    # auto_child was not requested on that tick; its tree says why (its initial evaluation was handled).
    child = _records(dev, "auto_child")[-1]
    assert child["numRequested"] == 0
    nodes = {n["uniqueId"]: n for n in child["evaluationNodes"]}
    assert nodes["0"]["userLabel"] == "eager" and nodes["0"]["childUniqueIds"] == [
        "0.0",
        "0.1",
        "0.2",
        "0.3",
        "0.4",
    ]
    assert any(n["depKey"] == "auto_root" for n in nodes.values())
    latest = dev.gql("{ latestAutomationEvaluations { entityKey numRequested } }")[
        "latestAutomationEvaluations"
    ]
    assert {r["entityKey"] for r in latest} == {"auto_root", "auto_child"}
    condition = dev.gql(
        '{ assetNodeOrError(assetKey: {path: ["auto_child"]}) { ... on AssetNode { automationCondition '
        "{ label expandedLabel } } } }"
    )["assetNodeOrError"]["automationCondition"]
    assert condition["label"] == "eager" and condition["expandedLabel"][0] == "AND (eager)"
    # The default automation sensor is a sensor of the location, with its state and ticks.
    sensors = dev.gql(
        "{ sensorsOrError { ... on Sensors { results { name sensorType sensorState { status ticks { status } } } } } }"
    )["sensorsOrError"]["results"]
    (sensor,) = sensors
    assert sensor["name"] == "default_automation_condition_sensor" and sensor["sensorType"] == "automation"
    assert sensor["sensorState"]["status"] == "RUNNING" and sensor["sensorState"]["ticks"]
