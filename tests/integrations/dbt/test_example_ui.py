"""examples/dbt_shop materialized the way the UI does it: `headwater dev` (which parses the dbt project,
DbtProject.prepare_if_dev) and the Materialize button's GraphQL mutation; the report's image is in the
metadata the asset page reads."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from webserver.conftest import DevServer, start_dev, stop

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "dbt_shop"
KEYS = [
    "raw_orders",
    "raw_customers",
    "staging/stg_orders",
    "staging/stg_customers",
    "countries",
    "marts/customer_revenue",
    "marts/revenue_by_country",
    "revenue_report",
]


def _wait_loaded(dev: DevServer, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        found = dev.gql('{ assetNodeOrError(assetKey: {path: ["revenue_report"]}) { __typename } }')
        if found["assetNodeOrError"]["__typename"] == "AssetNode":
            return
        assert time.monotonic() < deadline, dev.output()
        time.sleep(1)


def test_example_materializes_from_the_ui(tmp_path: Path) -> None:
    shutil.copytree(
        EXAMPLE,
        tmp_path / "project",
        ignore=shutil.ignore_patterns("target", "logs", "*.duckdb", "__pycache__"),
    )
    dev = start_dev(tmp_path, "-m", "dbt_shop.definitions", "--no-daemon")
    try:
        _wait_loaded(dev)
        # `headwater dev` parsed the dbt project (a fresh copy has no target/)
        assert (tmp_path / "project" / "transform" / "target" / "manifest.json").exists()
        data = dev.gql(
            """mutation($keys: [AssetKeyInput!]!) { materializeAssets(params: {assetKeys: $keys}) {
                __typename ... on LaunchRunSuccess { run { runId } } } }""",
            {"keys": [{"path": k.split("/")} for k in KEYS]},
        )
        run_id = data["materializeAssets"]["run"]["runId"]
        assert dev.wait_run(run_id, timeout=600) == "SUCCESS", dev.output()
        node = dev.gql(
            """{ assetNodeOrError(assetKey: {path: ["revenue_report"]}) { ... on AssetNode {
                assetMaterializations(limit: 1) { runId metadataEntries { label type value } } } } }"""
        )["assetNodeOrError"]
        latest = node["assetMaterializations"][0]
        assert latest["runId"] == run_id
        plot = next(e for e in latest["metadataEntries"] if e["label"] == "plot")
        assert "data:image/png;base64," in str(plot["value"])
        checks = dev.gql(
            """{ assetNodeOrError(assetKey: {path: ["staging", "stg_orders"]}) { ... on AssetNode {
                assetChecks { name latestExecution { runId status } } } } }"""
        )
        statuses = {
            c["name"]: (c["latestExecution"] or {}).get("status")
            for c in checks["assetNodeOrError"]["assetChecks"]
        }
        assert statuses["assert_amounts_positive"] == "SUCCEEDED", statuses
    finally:
        stop(dev.proc)
