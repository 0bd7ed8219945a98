"""Staleness and skipped unchanged steps through the GraphQL API of a real `headwater dev` process: a
chain becomes stale when a code version changes (after a reload), fresh again once re-materialized,
and a run tagged ``headwater/skip_unchanged`` skips exactly the unchanged steps (in the run worker,
through the executor's step workers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import DevServer, served

DEFS = """
import headwater as hw


@hw.asset(code_version="{version}")
def raw() -> int:
    return 1


@hw.asset(code_version="1")
def clean(raw: int) -> int:
    return raw + 1


@hw.asset(code_version="1")
def report(clean: int) -> int:
    return clean * 2


defs = hw.Definitions(assets=[raw, clean, report])
"""

NODES = """{ assetNodes { ... on AssetNodeConnection { nodes { assetKey { path } staleStatus dataVersion
    codeVersion staleCauses { key { path } category reason dependency { path } } } } } }"""


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    yield from served(tmp_path_factory, "stale", DEFS.format(version="1"), daemon=False)


def _nodes(dev: DevServer) -> dict[str, dict[str, Any]]:
    return {"/".join(n["assetKey"]["path"]): n for n in dev.gql(NODES)["assetNodes"]["nodes"]}


def _materialize(dev: DevServer, tags: list[dict[str, str]] | None = None) -> str:
    launched = dev.gql(
        """mutation($p: MaterializeParams!) { materializeAssets(params: $p) {
            __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } } }""",
        {"p": {"selection": "*", "tags": tags or []}},
    )["materializeAssets"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = str(launched["run"]["runId"])
    assert dev.wait_run(run_id) == "SUCCESS"
    return run_id


def _reload(dev: DevServer, project: Path, version: str) -> None:
    (project / "defs.py").write_text(DEFS.format(version=version))
    reload = dev.gql(
        """mutation { reloadRepositoryLocation(repositoryLocationName: "defs") { __typename } }"""
    )["reloadRepositoryLocation"]
    assert reload["__typename"] == "WorkspaceLocationEntry"


def test_staleness_through_the_api(dev: DevServer) -> None:
    assert {k: n["staleStatus"] for k, n in _nodes(dev).items()} == {
        "raw": "MISSING", "clean": "MISSING", "report": "MISSING",
    }  # fmt: skip
    _materialize(dev)
    nodes = _nodes(dev)
    assert {k: n["staleStatus"] for k, n in nodes.items()} == {
        "raw": "FRESH", "clean": "FRESH", "report": "FRESH",
    }  # fmt: skip
    assert nodes["raw"]["dataVersion"] and nodes["raw"]["codeVersion"] == "1"

    _reload(dev, dev.project, "2")
    nodes = _nodes(dev)
    assert nodes["raw"]["staleCauses"] == [
        {"key": {"path": ["raw"]}, "category": "CODE", "reason": "has a new code version", "dependency": None}
    ]
    assert nodes["clean"]["staleStatus"] == "STALE"
    assert nodes["clean"]["staleCauses"][0]["reason"] == "has stale dependency"
    assert nodes["report"]["staleStatus"] == "STALE"

    # a run that skips unchanged steps runs raw (new code); raw's output is the same, so the others skip
    run_id = _materialize(dev, [{"key": "headwater/skip_unchanged", "value": "true"}])
    events = dev.gql(
        """query($id: ID!) { logsForRun(runId: $id, limit: 1000) { ... on EventConnection {
            events { eventType stepKey message } } } }""",
        {"id": run_id},
    )["logsForRun"]["events"]
    skipped = sorted(e["stepKey"] for e in events if e["eventType"] == "STEP_SKIPPED")
    assert skipped == ["clean", "report"]
    assert all("input data versions" in e["message"] for e in events if e["eventType"] == "STEP_SKIPPED")
    steps = dev.gql(
        """query($id: ID!) { runOrError(runId: $id) { ... on Run { stepStats { stepKey status } } } }""",
        {"id": run_id},
    )["runOrError"]["stepStats"]
    assert {s["stepKey"]: s["status"] for s in steps} == {
        "raw": "SUCCESS", "clean": "SKIPPED", "report": "SKIPPED",
    }  # fmt: skip
    assert {k: n["staleStatus"] for k, n in _nodes(dev).items()} == {
        "raw": "FRESH", "clean": "FRESH", "report": "FRESH",
    }  # fmt: skip
