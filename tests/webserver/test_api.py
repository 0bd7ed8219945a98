"""The GraphQL API of a real `headwater dev` process over HTTP on loopback: queries, mutations, typed
errors and the request rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import DevServer

LOCATION = "defs"


def _materialize(dev: DevServer, params: dict[str, Any]) -> dict[str, Any]:
    data = dev.gql(
        """mutation($p: MaterializeParams!) { materializeAssets(params: $p) {
            __typename ... on LaunchRunSuccess { run { runId status } } ... on Error { message }
            ... on RunConfigValidationInvalid { errors { message path reason } } } }""",
        {"p": params},
    )
    return data["materializeAssets"]  # type: ignore[no-any-return]


def _launch(dev: DevServer, job: str, config: Any = None, **selector: Any) -> dict[str, Any]:
    params = {
        "selector": {
            "repositoryLocationName": LOCATION,
            "repositoryName": "__repository__",
            "jobName": job,
            **selector,
        },
        "runConfigData": config,
        "executionMetadata": {"tags": [{"key": "team", "value": "data"}]},
    }
    data = dev.gql(
        """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
            __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message }
            ... on PipelineNotFoundError { pipelineName }
            ... on RunConfigValidationInvalid { errors { message path reason } } } }""",
        {"p": params},
    )
    return data["launchRun"]  # type: ignore[no-any-return]


# -- the request rules ----------------------------------------------------------------------------------
def test_unknown_host_is_refused(dev: DevServer) -> None:
    with dev.client() as client:
        response = client.post("/graphql", json={"query": "{ version }"}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Unknown Host header" in response.json()["errors"][0]["message"]
    with dev.client() as client:
        ok = client.post("/graphql", json={"query": "{ version }"}, headers={"Host": "localhost:1234"})
    assert ok.status_code == 200


def test_cross_origin_requests_are_refused(dev: DevServer) -> None:
    with dev.client() as client:
        response = client.post(
            "/graphql", json={"query": "{ version }"}, headers={"Origin": "http://evil.example"}
        )
        preflight = client.options("/graphql", headers={"Origin": "http://evil.example"})
        same = client.post("/graphql", json={"query": "{ version }"}, headers={"Origin": dev.url})
    assert response.status_code == 403 and "Cross-origin" in response.text
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in {k.lower() for k in response.headers}
    assert same.status_code == 200


def test_mutations_only_over_post_with_json(dev: DevServer) -> None:
    mutation = (
        'mutation { wipeAssets(assetPartitionRanges: [{assetKey: {path: ["numbers"]}}]) { __typename } }'
    )
    with dev.client() as client:
        get = client.get("/graphql", params={"query": mutation})
        form = client.post("/graphql", data={"query": mutation})
        text = client.post("/graphql", content=mutation, headers={"Content-Type": "text/plain"})
        query_by_get = client.get("/graphql", params={"query": "{ version }"})
        batch = client.post("/graphql", json=[{"query": "{ version }"}])
    assert get.status_code == 405 and "POST" in get.json()["errors"][0]["message"]
    assert form.status_code == 415 and text.status_code == 415
    assert query_by_get.status_code == 200 and query_by_get.json()["data"]["version"]
    assert batch.status_code == 400


def test_depth_and_cost_are_bounded(dev: DevServer) -> None:
    deep = (
        "{ assetNodes { ... on AssetNodeConnection { nodes { "
        + "dependencies { " * 14
        + "groupName"
        + " }" * 14
    )
    deep += " } } } }"
    with dev.client() as client:
        response = client.post("/graphql", json={"query": deep})
        costly = client.post(
            "/graphql",
            json={
                "query": "{ runsOrError(limit: 10000) { ... on Runs { results { "
                "eventConnection(limit: 10000) { events { message } } } } } }"
            },
        )
    message = response.json()["errors"][0]["message"]
    assert "exceeds maximum operation depth" in message or "fields (the limit is" in message
    assert costly.status_code == 400 and "fields" in costly.json()["errors"][0]["message"]


def test_errors_are_messages_not_500s(dev: DevServer) -> None:
    with dev.client() as client:
        bad_syntax = client.post("/graphql", json={"query": "{ version"})
        unknown_field = client.post("/graphql", json={"query": "{ nope }"})
        not_json = client.post("/graphql", content=b"{", headers={"Content-Type": "application/json"})
        subscription = client.post(
            "/graphql", json={"query": 'subscription { pipelineRunLogs(runId: "x") { __typename } }'}
        )
    assert bad_syntax.status_code == 400 and "Syntax Error" in bad_syntax.json()["errors"][0]["message"]
    assert unknown_field.status_code == 200 and "nope" in unknown_field.json()["errors"][0]["message"]
    assert not_json.status_code == 400
    assert subscription.status_code == 400 and "WebSocket" in subscription.text
    for response in (bad_syntax, unknown_field, not_json):
        assert "Traceback" not in response.text


def test_graphiql_and_the_ui_placeholder(dev: DevServer) -> None:
    with dev.client() as client:
        ide = client.get("/graphql", headers={"Accept": "text/html"})
        page = client.get("/assets/some/where")
        missing = client.get("/_ui/no-such-chunk.js")
        info = client.get("/server_info")
    assert ide.status_code == 200 and "graphiql" in ide.text.lower()
    from headwater.webserver.app import STATIC_DIR

    if (STATIC_DIR / "index.html").is_file():  # the built UI: any page address gets the app
        assert page.status_code == 200 and '<div id="root">' in page.text
        assert page.headers["cache-control"] == "no-cache"
        assert missing.status_code == 404  # a missing file of the build is not the app
    else:
        assert page.status_code == 200 and "npm run build" in page.text
    assert info.json()["locations"] == [LOCATION]


# -- queries ----------------------------------------------------------------------------------------------
def test_workspace_repositories_and_instance(dev: DevServer) -> None:
    data = dev.gql(
        """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus loadError { message }
                locationOrLoadError { __typename ... on RepositoryLocation { versionKey repositories {
                    name jobs { name isAssetJob } assetGroups } } } } } }
            repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } pipelines { name } } } }
            instance { storage { backend } runLauncher { name } runQueuingSupported
                daemonHealth { __typename ... on DaemonHealth { allDaemonStatuses { daemonType required healthy
                    lastHeartbeatTime unhealthyReason } } } } }"""
    )
    [entry] = data["workspaceOrError"]["locationEntries"]
    assert entry["name"] == LOCATION and entry["loadError"] is None
    [repo] = entry["locationOrLoadError"]["repositories"]
    assert {j["name"] for j in repo["jobs"]} >= {"greet", "numbers_job"}
    assert repo["assetGroups"] == ["clean", "parts", "raw", "slow"]
    assert data["repositoriesOrError"]["nodes"][0]["location"]["name"] == LOCATION
    instance = data["instance"]
    assert (
        instance["storage"]["backend"] == "sqlite" and instance["runLauncher"]["name"] == "DefaultRunLauncher"
    )
    # served with --no-daemon: run monitoring is needed and has never beaten
    statuses = {s["daemonType"]: s for s in instance["daemonHealth"]["allDaemonStatuses"]}
    assert set(statuses) == {
        "run_monitoring",
        "scheduler",
        "sensors",
        "backfills",
        "automation",
        "auto_observe",
    }
    monitoring = statuses["run_monitoring"]
    assert monitoring["daemonType"] == "run_monitoring" and monitoring["required"]
    assert monitoring["healthy"] is False and monitoring["lastHeartbeatTime"] is None
    assert "no heartbeat yet" in monitoring["unhealthyReason"]


def _catalog(dev: DevServer, filter: dict[str, Any] | None = None, **args: Any) -> dict[str, Any]:
    data = dev.gql(
        """query($f: AssetFilter, $limit: Int, $cursor: String) { assetNodes(filter: $f, limit: $limit, cursor: $cursor) {
            __typename ... on AssetNodeConnection { totalCount hasMore cursor nodes { assetKey { path } } }
            ... on InvalidRequestError { message } } }""",
        {"f": filter, **args},
    )
    return data["assetNodes"]  # type: ignore[no-any-return]


def _keys(result: dict[str, Any]) -> list[str]:
    return ["/".join(n["assetKey"]["path"]) for n in result["nodes"]]


def test_asset_catalog_filters_and_pages(dev: DevServer) -> None:
    assert _keys(_catalog(dev)) == ["doubled", "lettered", "numbers", "sleepy"]
    assert _keys(_catalog(dev, {"groups": ["raw"]})) == ["numbers"]
    assert _keys(_catalog(dev, {"kinds": ["sql"]})) == ["doubled"]
    assert _keys(_catalog(dev, {"owners": ["team:data"]})) == ["numbers"]
    assert _keys(_catalog(dev, {"tags": [{"key": "tier", "value": "bronze"}]})) == ["numbers"]
    assert _keys(_catalog(dev, {"keySubstring": "LETT"})) == ["lettered"]
    assert _keys(_catalog(dev, {"selection": "key:numbers+"})) == ["doubled", "numbers"]
    assert _keys(_catalog(dev, {"assetKeys": [{"path": ["sleepy"]}]})) == ["sleepy"]
    bad = _catalog(dev, {"selection": "key:("})
    assert bad["__typename"] == "InvalidRequestError"
    first = _catalog(dev, limit=3)
    assert first["hasMore"] and first["totalCount"] == 4 and len(first["nodes"]) == 3
    rest = _catalog(dev, limit=3, cursor=first["cursor"])
    assert _keys(rest) == ["sleepy"] and not rest["hasMore"]


def test_asset_catalog_rows_agree_with_asset_nodes(dev: DevServer) -> None:
    launched = _materialize(
        dev,
        {
            "selection": "key:numbers or key:doubled",
            "runConfigData": {"ops": {"numbers": {"config": {"rows": 2}}}},
        },
    )
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    assert dev.wait_run(run_id) == "SUCCESS"
    query = """query($f: AssetFilter, $c: String, $l: Int) {
        typed: assetNodes(filter: $f) { ... on AssetNodeConnection { nodes { assetKey { path } groupName kinds
            owners isPartitioned isMaterializable description dependencyKeys { path }
            latestMaterialization { runId timestamp } lastRunId
            latestMaterializationFailed staleStatus assetChecks { name latestExecution { status } } } } }
        rows: assetCatalog(filter: $f, cursor: $c, limit: $l) { __typename ... on AssetCatalogPage {
            columns rows cursor hasMore totalCount } ... on InvalidRequestError { message } } }"""
    data = dev.gql(query, {"f": {"selection": "group:raw or group:clean or group:slow"}})
    page = data["rows"]
    assert page["totalCount"] == 3 and not page["hasMore"]
    rows = [dict(zip(page["columns"], row, strict=True)) for row in page["rows"]]
    for node, row in zip(data["typed"]["nodes"], rows, strict=True):
        latest = node["latestMaterialization"]
        assert row["key"] == node["assetKey"]["path"] and row["groupName"] == node["groupName"]
        assert row["kinds"] == node["kinds"] and row["owners"] == node["owners"]
        assert row["isPartitioned"] == node["isPartitioned"] and row["locationName"] == LOCATION
        assert row["isMaterializable"] == node["isMaterializable"]
        assert row["description"] == node["description"]
        assert row["dependencyKeys"] == [k["path"] for k in node["dependencyKeys"]]
        assert row["lastMaterializationFailed"] == node["latestMaterializationFailed"]
        assert row["staleStatus"] == node["staleStatus"]
        if latest is None:
            assert row["lastMaterializationTimestamp"] is None
        else:
            assert row["lastMaterializationTimestamp"] == pytest.approx(float(latest["timestamp"]) / 1000)
            assert row["lastRunId"] == node["lastRunId"] == run_id
        assert row["checks"] == [
            [c["name"], (c["latestExecution"] or {}).get("status")] for c in node["assetChecks"]
        ]
    by_key = {"/".join(r["key"]): r for r in rows}
    assert by_key["doubled"]["checks"] == [["doubled_even", "SUCCEEDED"]]
    assert by_key["sleepy"]["lastMaterializationTimestamp"] is None
    assert by_key["sleepy"]["staleStatus"] == "MISSING" and by_key["numbers"]["staleStatus"] == "FRESH"
    second = dev.gql(query, {"f": {"groups": ["clean", "raw"]}, "l": 1, "c": '["doubled"]'})["rows"]
    assert [r[0] for r in second["rows"]] == [["numbers"]] and not second["hasMore"]
    bad = dev.gql(query, {"f": {"selection": "key:("}})["rows"]
    assert bad["__typename"] == "InvalidRequestError"


def test_asset_definition_graph_and_partitions(dev: DevServer) -> None:
    data = dev.gql(
        """{ a: assetNodeOrError(assetKey: {path: ["doubled"]}) { ... on AssetNode { groupName kinds opName
                jobNames dependencyKeys { path } dependedByKeys { path } dependencies { assetKey { path } }
                assetChecks { name blocking latestExecution { status } } isPartitioned } }
             b: assetNodeOrError(assetKey: {path: ["numbers"]}) { ... on AssetNode { owners codeVersion description
                tags { key value } metadataEntries { label type value text } dependedBy { assetKey { path } } } }
             c: assetNodeOrError(assetKey: {path: ["lettered"]}) { ... on AssetNode {
                partitionDefinition { type description }
                partitionKeys(limit: 3) { ... on PartitionKeys { keys totalCount hasMore cursor } }
                partitionStats { numPartitions numMaterialized }
                partitionStatusRanges { ... on PartitionStatusRanges { ranges { startKey endKey status count } } } } }
             d: assetNodeOrError(assetKey: {path: ["missing"]}) { __typename ... on AssetNotFoundError { message } } }"""
    )
    a, b, c, d = data["a"], data["b"], data["c"], data["d"]
    assert a["dependencyKeys"] == [{"path": ["numbers"]}] and a["dependedByKeys"] == []
    assert a["dependencies"][0]["assetKey"]["path"] == ["numbers"]
    assert a["assetChecks"][0]["name"] == "doubled_even" and set(a["jobNames"]) >= {"numbers_job"}
    assert b["owners"] == ["team:data"] and b["codeVersion"] == "1" and b["description"] == "Some numbers."
    assert {"key": "tier", "value": "bronze"} in b["tags"]
    assert (
        b["metadataEntries"][0]["value"] == {"type": "text", "text": "generated"}
        or b["metadataEntries"][0]["text"] == "generated"
    )
    assert b["dependedBy"][0]["assetKey"]["path"] == ["doubled"]
    assert c["partitionDefinition"]["type"] == "STATIC"
    assert c["partitionKeys"] == {"keys": ["a", "b", "c"], "totalCount": 4, "hasMore": True, "cursor": "3"}
    assert c["partitionStats"]["numPartitions"] == 4
    assert d["__typename"] == "AssetNotFoundError"


def test_job_op_graph(dev: DevServer) -> None:
    data = dev.gql(
        """{ pipelineOrError(params: {repositoryLocationName: "defs", pipelineName: "greet"}) {
                ... on Job { name isAssetJob ops { handle opName inputs { name dependsOn { node output } }
                outputs { name } } edges { fromNode fromOutput toNode toInput } } }
             missing: pipelineOrError(params: {repositoryLocationName: "defs", jobName: "nope"}) {
                __typename ... on PipelineNotFoundError { message } } }"""
    )
    job = data["pipelineOrError"]
    assert [op["handle"] for op in job["ops"]] == ["hello", "shout"]
    assert job["edges"] == [
        {"fromNode": "hello", "fromOutput": "result", "toNode": "shout", "toInput": "word"}
    ]
    assert data["missing"]["__typename"] == "PipelineNotFoundError"


def test_launch_and_read_a_backfill(dev: DevServer) -> None:
    launch = """mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) {
        __typename ... on LaunchBackfillSuccess { backfillId } ... on Error { message } } }"""
    params = {"assetSelection": [{"path": ["lettered"]}], "partitionNames": ["c", "a"], "title": "t"}
    launched = dev.gql(launch, {"p": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    bad = dev.gql(launch, {"p": {**params, "partitionNames": ["zz"]}})["launchPartitionBackfill"]
    assert bad["__typename"] == "InvalidSubsetError" and "asset 'lettered'" in bad["message"]
    both = dev.gql(launch, {"p": {**params, "allPartitions": True}})["launchPartitionBackfill"]
    assert both["__typename"] == "ConflictingExecutionParamsError"
    data = dev.gql(
        """query($id: String!) { partitionBackfillsOrError { ... on PartitionBackfills { results { id } } }
             partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill {
                 status numRuns numPartitions partitions title isPaused
                 assetSelection { path }
                 assetBackfillStatuses { assetKey { path } numTargeted numRequested } } }
             missing: partitionBackfillOrError(backfillId: "nope") { __typename }
             canceled: partitionBackfillsOrError(status: CANCELED) { ... on PartitionBackfills { results { id } } } }""",
        {"id": launched["backfillId"]},
    )
    assert data["partitionBackfillsOrError"]["results"] == [{"id": launched["backfillId"]}]
    assert data["partitionBackfillOrError"] == {
        "status": "REQUESTED",
        "numRuns": 2,
        "numPartitions": 2,
        "partitions": "c, a",
        "title": "t",
        "isPaused": False,
        "assetSelection": [{"path": ["lettered"]}],
        "assetBackfillStatuses": [{"assetKey": {"path": ["lettered"]}, "numTargeted": 2, "numRequested": 0}],
    }
    assert data["missing"]["__typename"] == "BackfillNotFoundError"
    assert data["canceled"]["results"] == []


# -- mutations and runs -----------------------------------------------------------------------------------
def test_launch_errors_are_typed(dev: DevServer) -> None:
    bad_config = _launch(dev, "numbers_job", {"ops": {"numbers": {"config": {"rows": "many"}}}})
    assert bad_config["__typename"] == "RunConfigValidationInvalid"
    assert bad_config["errors"] and "rows" in " ".join(
        bad_config["errors"][0]["path"] + [bad_config["errors"][0]["message"]]
    )
    assert _launch(dev, "nope")["__typename"] == "PipelineNotFoundError"
    bad_yaml = _launch(dev, "greet", "ops: [")
    assert bad_yaml["__typename"] == "RunConfigValidationInvalid"
    assert _materialize(dev, {"selection": "key:nothing"})["__typename"] == "InvalidSubsetError"
    unknown_partition = _materialize(dev, {"assetKeys": [{"path": ["lettered"]}], "partitionKey": "z"})
    assert unknown_partition["__typename"] == "InvalidSubsetError" and "z" in unknown_partition["message"]
    conflict = _launch(dev, "greet", None, solidSelection=["nope"])
    assert conflict["__typename"] == "InvalidSubsetError"


def test_launch_run_events_steps_and_reexecution(dev: DevServer) -> None:
    launched = _launch(dev, "numbers_job", {"ops": {"numbers": {"config": {"rows": 4}}}})
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    assert dev.wait_run(run_id) == "SUCCESS"
    data = dev.gql(
        """query($id: ID!) { runOrError(runId: $id) { ... on Run { jobName status tags { key value }
                runConfig startTime endTime repositoryOrigin { repositoryLocationName }
                stepStats { stepKey status attempts materializations } } }
             first: logsForRun(runId: $id, limit: 3) { ... on EventConnection { cursor hasMore events { eventType } } } }""",
        {"id": run_id},
    )
    run = data["runOrError"]
    assert run["jobName"] == "numbers_job" and {"key": "team", "value": "data"} in run["tags"]
    assert run["runConfig"] == {"ops": {"numbers": {"config": {"rows": 4}}}}
    assert run["repositoryOrigin"]["repositoryLocationName"] == LOCATION
    assert {s["stepKey"]: s["status"] for s in run["stepStats"]}["numbers"] == "SUCCESS"
    page = data["first"]
    assert page["hasMore"] and len(page["events"]) == 3
    rest = dev.gql(
        """query($id: ID!, $c: String) { logsForRun(runId: $id, afterCursor: $c, limit: 1000) {
                ... on EventConnection { hasMore events { eventType stepKey assetKey { path } data } } } }""",
        {"id": run_id, "c": page["cursor"]},
    )["logsForRun"]
    types = [e["eventType"] for e in rest["events"]]
    assert not rest["hasMore"] and "ASSET_MATERIALIZATION" in types and types[-1] == "RUN_SUCCESS"
    # the asset index and history now have it
    asset = dev.gql(
        """{ assetOrError(assetKey: {path: ["numbers"]}) { ... on Asset {
                assetMaterializations(limit: 5) { runId partition metadataEntries { label text } codeVersion }
                definition { latestMaterialization { runId } lastRunId } } } }"""
    )["assetOrError"]
    assert asset["assetMaterializations"][0]["runId"] == run_id
    assert {"label": "rows", "text": "4"} in asset["assetMaterializations"][0]["metadataEntries"]
    assert asset["definition"]["latestMaterialization"]["runId"] == run_id
    # table facts from the well-known metadata keys: the materialization's, else the definition's
    tables = dev.gql(
        """{ n: assetNodeOrError(assetKey: {path: ["numbers"]}) { ... on AssetNode { tableMetadata { rowCount } } }
             d: assetNodeOrError(assetKey: {path: ["doubled"]}) { ... on AssetNode { tableMetadata {
                rowCount columnSchema { columns { name type constraints { nullable } } }
                columnLineage { columnName deps { assetKey { path } columnName } } } } } }"""
    )
    assert tables["n"]["tableMetadata"]["rowCount"] == 4
    doubled_table = tables["d"]["tableMetadata"]
    assert doubled_table["columnSchema"]["columns"] == [
        {"name": "n", "type": "int", "constraints": {"nullable": True}}
    ]
    assert doubled_table["columnLineage"] == [
        {"columnName": "n", "deps": [{"assetKey": {"path": ["numbers"]}, "columnName": "n"}]}
    ]
    # re-execute it all
    again = dev.gql(
        """mutation($id: String!) { launchRunReexecution(reexecutionParams: {parentRunId: $id, strategy: ALL_STEPS}) {
                __typename ... on LaunchRunSuccess { run { runId parentRunId rootRunId } } ... on Error { message } } }""",
        {"id": run_id},
    )["launchRunReexecution"]
    assert again["__typename"] == "LaunchRunSuccess" and again["run"]["parentRunId"] == run_id
    assert dev.wait_run(again["run"]["runId"]) == "SUCCESS"
    not_failed = dev.gql(
        """mutation($id: String!) { launchRunReexecution(reexecutionParams: {parentRunId: $id, strategy: FROM_FAILURE}) {
                __typename } }""",
        {"id": run_id},
    )["launchRunReexecution"]
    assert not_failed["__typename"] == "ReexecutionNotPossibleError"
    steps = dev.gql(
        """mutation($id: String!) { launchRunReexecution(reexecutionParams: {parentRunId: $id, stepKeys: ["doubled"]}) {
                __typename ... on LaunchRunSuccess { run { runId stepKeysToExecute } } } }""",
        {"id": run_id},
    )["launchRunReexecution"]
    assert steps["run"]["stepKeysToExecute"] == ["doubled"]
    assert dev.wait_run(steps["run"]["runId"]) == "SUCCESS"
    missing = dev.gql(
        """mutation { launchRunReexecution(reexecutionParams: {parentRunId: "nope"}) { __typename } }"""
    )["launchRunReexecution"]
    assert missing["__typename"] == "RunNotFoundError"


def test_failed_run_and_reexecution_from_failure(dev: DevServer) -> None:
    launched = _launch(dev, "numbers_job", {"ops": {"numbers": {"config": {"fail": True}}}})
    run_id = launched["run"]["runId"]
    assert dev.wait_run(run_id) == "FAILURE"
    data = dev.gql(
        """query($id: ID!) { logsForRun(runId: $id) { ... on EventConnection { events { eventType error { message cause { message } } } } } }""",
        {"id": run_id},
    )
    errors = [str(e["error"]) for e in data["logsForRun"]["events"] if e["error"]]
    assert any("asked to fail" in m for m in errors)
    retry = dev.gql(
        """mutation($id: String!) { launchRunReexecution(reexecutionParams: {parentRunId: $id, strategy: FROM_FAILURE}) {
                __typename ... on LaunchRunSuccess { run { runId stepKeysToExecute } } } }""",
        {"id": run_id},
    )["launchRunReexecution"]
    assert retry["__typename"] == "LaunchRunSuccess"
    assert {"doubled", "numbers"} <= set(retry["run"]["stepKeysToExecute"])
    assert dev.wait_run(retry["run"]["runId"]) == "FAILURE"  # same config: it fails again


def test_materialize_a_partition_and_status_ranges(dev: DevServer) -> None:
    launched = _materialize(dev, {"assetKeys": [{"path": ["lettered"]}], "partitionKey": "b"})
    assert launched["__typename"] == "LaunchRunSuccess", launched
    assert dev.wait_run(launched["run"]["runId"]) == "SUCCESS"
    data = dev.gql(
        """{ assetNodeOrError(assetKey: {path: ["lettered"]}) { ... on AssetNode {
                partitionStats { numMaterialized numPartitions }
                partitionStatusRanges { ... on PartitionStatusRanges { ranges { startKey endKey status count } } } } } }"""
    )["assetNodeOrError"]
    assert data["partitionStats"] == {"numMaterialized": 1, "numPartitions": 4}
    assert data["partitionStatusRanges"]["ranges"] == [
        {"startKey": "a", "endKey": "a", "status": "MISSING", "count": 1},
        {"startKey": "b", "endKey": "b", "status": "MATERIALIZED", "count": 1},
        {"startKey": "c", "endKey": "d", "status": "MISSING", "count": 2},
    ]
    runs = dev.gql(
        """{ runsOrError(filter: {tags: [{key: "dagster/partition", value: "b"}]}) { ... on Runs { count results { partition } } } }"""
    )["runsOrError"]
    assert runs["count"] == 1 and runs["results"][0]["partition"] == "b"


def test_terminate_a_running_run(dev: DevServer) -> None:
    import time

    launched = _materialize(dev, {"assetKeys": [{"path": ["sleepy"]}]})
    run_id = launched["run"]["runId"]
    deadline = time.monotonic() + 30
    while (
        dev.gql("query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }", {"id": run_id})[
            "runOrError"
        ]["status"]
        != "STARTED"
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    result = dev.gql(
        """mutation($id: String!) { terminateRun(runId: $id) { __typename
                ... on TerminateRunSuccess { run { status canTerminate } } } }""",
        {"id": run_id},
    )["terminateRun"]
    assert result == {
        "__typename": "TerminateRunSuccess",
        "run": {"status": "CANCELED", "canTerminate": False},
    }
    again = dev.gql(
        "mutation($id: String!) { terminateRun(runId: $id) { __typename ... on TerminateRunFailure { message } } }",
        {"id": run_id},
    )["terminateRun"]
    assert again["__typename"] == "TerminateRunFailure"
    missing = dev.gql(
        'mutation { terminateRun(runId: "nope") { __typename ... on RunNotFoundError { runId } } }'
    )
    assert missing["terminateRun"] == {"__typename": "RunNotFoundError", "runId": "nope"}


def test_runs_filters_and_cursor_paging(dev: DevServer) -> None:
    launched = [_launch(dev, "greet")["run"]["runId"] for _ in range(3)]
    for run_id in launched:
        dev.wait_run(run_id)
    query = """query($f: RunsFilter, $c: String) { runsOrError(filter: $f, limit: 2, cursor: $c) {
        ... on Runs { count hasMore cursor results { runId status } } } }"""
    first = dev.gql(query, {"f": {"jobName": "greet"}})["runsOrError"]
    assert first["count"] == 3 and first["hasMore"]
    second = dev.gql(query, {"f": {"jobName": "greet"}, "c": first["cursor"]})["runsOrError"]
    ids = [r["runId"] for r in first["results"] + second["results"]]
    assert ids == list(reversed(launched)) and not second["hasMore"]
    by_status = dev.gql(query, {"f": {"jobName": "greet", "statuses": ["FAILURE"]}})["runsOrError"]
    assert by_status["count"] == 0
    missing = dev.gql(
        '{ pipelineRunOrError(runId: "nope") { __typename ... on PipelineRunNotFoundError { message } } }'
    )
    assert missing["pipelineRunOrError"]["__typename"] == "RunNotFoundError"


def test_wipe_assets(dev: DevServer) -> None:
    launched = _materialize(dev, {"assetKeys": [{"path": ["numbers"]}]})
    dev.wait_run(launched["run"]["runId"])
    wiped = dev.gql(
        """mutation { wipeAssets(assetPartitionRanges: [{assetKey: {path: ["numbers"]}}]) { __typename
                ... on AssetWipeSuccess { assetPartitionRanges { assetKey { path } } } } }"""
    )["wipeAssets"]
    assert wiped["__typename"] == "AssetWipeSuccess"
    node = dev.gql(
        '{ assetNodeOrError(assetKey: {path: ["numbers"]}) { ... on AssetNode { latestMaterialization { runId } } } }'
    )
    assert node["assetNodeOrError"]["latestMaterialization"] is None
    partial = dev.gql(
        """mutation { wipeAssets(assetPartitionRanges: [{assetKey: {path: ["lettered"]}, partitions: {rangeStart: "a"}}]) {
                __typename } }"""
    )
    assert partial["wipeAssets"]["__typename"] == "UnsupportedOperationError"
    missing = dev.gql(
        'mutation { wipeAssets(assetPartitionRanges: [{assetKey: {path: ["zz"]}}]) { __typename } }'
    )
    assert missing["wipeAssets"]["__typename"] == "AssetNotFoundError"


def test_reload_and_restart_a_location(dev: DevServer) -> None:
    reload = dev.gql(
        """mutation { reloadRepositoryLocation(repositoryLocationName: "defs") { __typename
                ... on WorkspaceLocationEntry { locationOrLoadError { __typename } } } }"""
    )["reloadRepositoryLocation"]
    assert reload["locationOrLoadError"]["__typename"] == "RepositoryLocation"
    missing = dev.gql('mutation { reloadRepositoryLocation(repositoryLocationName: "x") { __typename } }')
    assert missing["reloadRepositoryLocation"]["__typename"] == "RepositoryLocationNotFound"
    shutdown = dev.gql(
        'mutation { shutdownRepositoryLocation(repositoryLocationName: "defs") { __typename } }'
    )["shutdownRepositoryLocation"]
    assert shutdown["__typename"] == "ShutdownRepositoryLocationSuccess"
    assert _keys(_catalog(dev)) == ["doubled", "lettered", "numbers", "sleepy"]  # served again


def test_mutation_over_get_with_http_client_is_not_run(dev: DevServer) -> None:
    with httpx.Client(base_url=dev.url) as client:
        response = client.get(
            "/graphql", params={"query": 'mutation { terminateRun(runId: "nope") { __typename } }'}
        )
    assert response.status_code == 405
