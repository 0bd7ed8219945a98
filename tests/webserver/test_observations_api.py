"""Observable source assets through the GraphQL API of a real ``headwater dev``: the asset node says it is
observable and how often the daemon observes it; a job over it, launched like any job, records an
observation that ``assetObservations`` and ``latestObservation`` return with its data version."""

from __future__ import annotations

from pathlib import Path

from .conftest import start_dev, stop, write_project

DEFS = """
import headwater as hw


@hw.observable_source_asset(group_name="vendor", auto_observe_interval_minutes=15)
def feed() -> hw.ObserveResult:
    return hw.ObserveResult(data_version=hw.DataVersion("v42"), metadata={"rows": 7})


@hw.asset(deps=[feed])
def report() -> int:
    return 1


defs = hw.Definitions(assets=[feed, report], jobs=[hw.define_asset_job("observe_feed", [feed])])
"""

NODE = """{ assetNodeOrError(assetKey: {path: ["feed"]}) { ... on AssetNode {
    isObservable isMaterializable autoObserveIntervalMinutes opName
    latestObservation { runId tags { key value } }
    assetObservations(limit: 5) { runId partition tags { key value } metadataEntries { label text } } } } }"""


def test_observations_through_graphql(tmp_path: Path) -> None:
    write_project(tmp_path, DEFS)
    dev = start_dev(tmp_path, "-f", "defs.py", "--no-daemon")
    try:
        node = dev.gql(NODE)["assetNodeOrError"]
        assert node["isObservable"] and not node["isMaterializable"]
        assert node["autoObserveIntervalMinutes"] == 15 and node["opName"] == "feed"
        assert node["latestObservation"] is None and node["assetObservations"] == []
        launched = dev.gql(
            """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
                __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } } }""",
            {"p": {"selector": {"repositoryLocationName": "defs", "repositoryName": "__repository__",
                                "jobName": "observe_feed"}}},
        )["launchRun"]  # fmt: skip
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        assert dev.wait_run(run_id) == "SUCCESS"
        node = dev.gql(NODE)["assetNodeOrError"]
        [obs] = node["assetObservations"]
        assert obs["runId"] == run_id and obs["partition"] is None
        assert {"key": "dagster/data_version", "value": "v42"} in obs["tags"]
        assert {"label": "rows", "text": "7"} in obs["metadataEntries"]
        assert node["latestObservation"]["runId"] == run_id
        # the implicit asset job over the source's key observes it too (how Dagster's UI launches)
        launched = dev.gql(
            """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
                __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } } }""",
            {"p": {"selector": {"repositoryLocationName": "defs", "repositoryName": "__repository__",
                                "jobName": "__ASSET_JOB", "assetSelection": [{"path": ["feed"]}]}}},
        )["launchRun"]  # fmt: skip
        assert launched["__typename"] == "LaunchRunSuccess", launched
        assert dev.wait_run(launched["run"]["runId"]) == "SUCCESS"
        node = dev.gql(NODE)["assetNodeOrError"]
        assert [o["runId"] for o in node["assetObservations"]] == [launched["run"]["runId"], run_id]
        report = dev.gql('{ assetNodeOrError(assetKey: {path: ["report"]}) { ... on AssetNode { '
                         "isObservable autoObserveIntervalMinutes } } }")["assetNodeOrError"]  # fmt: skip
        assert report == {"isObservable": False, "autoObserveIntervalMinutes": None}
    finally:
        stop(dev.proc)
