"""The Automation page in Chromium, against ``headwater dev`` with its daemon evaluating real
conditions: the list of evaluated assets, and one asset's evaluations with the condition tree."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import DevServer, served
from ..test_automation_api import DEFS
from .conftest import _require_ui, screenshot


@pytest.fixture(scope="module")
def ui_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """This module's project: assets with automation conditions, and the daemon running."""
    _require_ui()
    yield from served(tmp_path_factory, "ui-automation", DEFS, daemon=True)


def test_the_automation_page_shows_why(page: Any, ui_dev: DevServer) -> None:
    deadline = time.monotonic() + 90
    query = "{ latestAutomationEvaluations { entityKey runIds } }"
    while not any(r["runIds"] for r in ui_dev.gql(query)["latestAutomationEvaluations"]):
        assert time.monotonic() < deadline, (
            "the daemon evaluated nothing in 90 s:\n" + ui_dev.output()[-3000:]
        )
        time.sleep(0.3)
    page.goto("/automation")
    page.get_by_text("auto_child", exact=True).first.click()
    page.get_by_test_id("entity-evaluations").wait_for()
    page.get_by_test_id("condition-node").first.wait_for()
    tree = page.get_by_test_id("entity-evaluations").inner_text()
    assert "eager" in tree and "any_deps_updated" in tree and "[auto_root]" in tree
    page.wait_for_function("() => !document.querySelector('.loading')")
    screenshot(page, "automation-evaluations")
