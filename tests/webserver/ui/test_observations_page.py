"""An observable source asset's page in a real browser: it says "never observed" and its auto-observe
interval, and after an observation run, the observation with its data version and metadata."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import DevServer, served
from ..test_observations_api import DEFS
from .conftest import _require_ui, screenshot


@pytest.fixture(scope="module")
def ui_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    _require_ui()
    yield from served(tmp_path_factory, "ui-observe", DEFS, daemon=False)


def test_the_asset_page_shows_observations(page: Any, ui_dev: DevServer) -> None:
    page.goto("/assets/feed")
    page.get_by_test_id("asset-title").get_by_text("feed").wait_for()
    page.get_by_text("never observed").wait_for()
    page.get_by_text("every 15 min").wait_for()
    page.get_by_text("Not observed yet.").wait_for()
    launched = ui_dev.gql(
        """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
            __typename ... on LaunchRunSuccess { run { runId } } } }""",
        {"p": {"selector": {"repositoryLocationName": "defs", "repositoryName": "__repository__",
                            "jobName": "observe_feed"}}},
    )["launchRun"]  # fmt: skip
    assert ui_dev.wait_run(launched["run"]["runId"]) == "SUCCESS"
    table = page.get_by_test_id("observations")
    table.get_by_text("v42").wait_for()  # the page polls: no reload needed
    table.get_by_text("rows: 7").wait_for()
    page.get_by_text("observed", exact=True).wait_for()
    screenshot(page, "asset-observations")
