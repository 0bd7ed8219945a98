"""Freshness over GraphQL: the webserver's app (in this process, over HTTP through httpx's ASGI transport)
reads the asset's policy from a real code server process's spec, and its state from a real SQLite
instance whose clock is a FakeClock; an asset that misses its policy is FAIL, and its freshness
check, run against the same instance, shows its failed evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import headwater as hw
from headwater.instance import Instance
from headwater.locations.client.workspace import Workspace
from headwater.locations.client.workspace_file import LocationEntry
from headwater.storage.sql import SqlStorage
from headwater.testing import FakeClock
from headwater.webserver.app import create_app
from headwater.webserver.context import WebserverContext

# The code location the daemon's freshness sensor test runs too: an asset with a one-hour time window
# policy and a one-hour last-update freshness check.
CODE = Path(__file__).parents[1] / "daemon" / "freshness_defs.py"
QUERY = """{ assetNodeOrError(assetKey: {path: ["table"]}) { ... on AssetNode {
  internalFreshnessPolicy { __typename
    ... on TimeWindowFreshnessPolicy { failWindowSeconds warnWindowSeconds }
    ... on CronFreshnessPolicy { deadlineCron lowerBoundDeltaSeconds timezone } }
  freshnessPolicy { maximumLagMinutes }
  freshnessStatusInfo { freshnessStatus lastMaterializedTimestamp evaluatedAt }
  freshnessCheck { name latestExecution { status evaluation { success severity description } } } } } }"""


@pytest.fixture(scope="module")
def workspace() -> Iterator[Workspace]:
    entry = LocationEntry("defs", python_file=str(CODE), working_directory=str(CODE.parent))
    with Workspace([entry]) as ws:
        yield ws


def _node(app: Any) -> dict[str, Any]:
    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post("/graphql", json={"query": QUERY})

    response = anyio.run(post)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["assetNodeOrError"]  # type: ignore[no-any-return]


def test_an_asset_that_misses_its_policy_fails_and_so_does_its_check(
    workspace: Workspace, tmp_path: Path
) -> None:
    import sys

    sys.path.insert(0, str(CODE.parent))
    try:
        import freshness_defs  # the same code, to run in this process against the instance
    finally:
        sys.path.remove(str(CODE.parent))
    clock = FakeClock(1_800_000_000.0)
    instance = Instance(SqlStorage.sqlite(tmp_path / "hw.db", clock=clock))
    app = create_app(WebserverContext(instance, workspace), allowed_hosts=["testserver"])

    node = _node(app)
    assert node["internalFreshnessPolicy"] == {
        "__typename": "TimeWindowFreshnessPolicy",
        "failWindowSeconds": 3600,
        "warnWindowSeconds": None,
    }
    assert node["freshnessPolicy"] is None
    assert node["freshnessStatusInfo"]["freshnessStatus"] == "UNKNOWN"  # never materialized
    assert node["freshnessCheck"] == {"name": "freshness_check", "latestExecution": None}

    hw.materialize([freshness_defs.table], instance=instance)
    clock.advance(3599)
    info = _node(app)["freshnessStatusInfo"]
    assert info == {
        "freshnessStatus": "PASS",
        "lastMaterializedTimestamp": 1_800_000_000.0,
        "evaluatedAt": 1_800_003_599.0,
    }
    clock.advance(1)  # the fail window has passed
    assert _node(app)["freshnessStatusInfo"]["freshnessStatus"] == "FAIL"

    clock.advance(1)  # the check's bound is inclusive: at exactly lower_bound_delta it still passes
    checks = freshness_defs.freshness_checks
    hw.materialize(
        [freshness_defs.table, *checks], instance=instance, selection=hw.AssetSelection.checks(*checks)
    )
    check = _node(app)["freshnessCheck"]
    assert check["latestExecution"]["status"] == "FAILED"
    evaluation = check["latestExecution"]["evaluation"]
    assert evaluation["success"] is False and evaluation["severity"] == "WARN"
    assert evaluation["description"].startswith("Asset is overdue for an update.")


def test_the_schema_describes_cron_and_legacy_policies() -> None:
    """The other policy shapes, through the same resolvers (the spec of an in-process Definitions)."""
    from headwater.webserver.graphql.freshness import internal_policy, legacy_policy

    @hw.asset(
        freshness_policy=hw.FreshnessPolicy.cron(
            deadline_cron="0 9 * * *", lower_bound_delta=timedelta(minutes=30), timezone="Europe/Paris"
        ),
        legacy_freshness_policy=hw.LegacyFreshnessPolicy(maximum_lag_minutes=90, cron_schedule="0 * * * *"),
    )
    def daily() -> int:
        return 1

    spec = hw.Definitions(assets=[daily]).resolve_asset_graph().get(hw.AssetKey("daily"))
    cron = internal_policy(spec)
    assert (cron.deadline_cron, cron.lower_bound_delta_seconds, cron.timezone) == (  # type: ignore[union-attr]
        "0 9 * * *",
        1800,
        "Europe/Paris",
    )
    legacy = legacy_policy(spec.legacy_freshness_policy)
    assert legacy is not None and (legacy.maximum_lag_minutes, legacy.cron_schedule) == (90.0, "0 * * * *")
