"""Staleness and skipped unchanged steps in the web UI (a real Chromium against ``headwater dev``): the
catalog's stale badge, the asset page's causes, the run page naming the steps a skip_unchanged run
skipped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import DevServer, served
from ..test_staleness_api import DEFS, _materialize, _reload
from .conftest import _require_ui, screenshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def ui_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """This module's project (overrides the package's): raw -> clean -> report, with code versions."""
    _require_ui()
    yield from served(tmp_path_factory, "ui-stale", DEFS.format(version="1"), daemon=False)


def test_stale_assets_and_skipped_steps_are_shown(page: Any, ui_dev: DevServer) -> None:
    _materialize(ui_dev)
    _reload(ui_dev, ui_dev.project, "2")
    page.goto("/assets")
    page.locator('[data-asset="clean"] [data-stale="STALE"]').wait_for()
    assert page.locator('[data-asset="raw"] [data-stale="STALE"]').count() == 1
    screenshot(page, "catalog-stale")
    page.goto("/assets/clean")
    causes = page.get_by_test_id("stale-causes")
    causes.get_by_text("has stale dependency").wait_for()
    assert causes.get_by_role("link", name="raw").count() == 1
    page.goto("/assets/raw")
    page.get_by_test_id("stale-causes").get_by_text("has a new code version").wait_for()
    screenshot(page, "asset-stale")

    run_id = _materialize(ui_dev, [{"key": "headwater/skip_unchanged", "value": "true"}])
    page.goto(f"/runs/{run_id}")
    notice = page.get_by_test_id("skipped-unchanged")
    notice.get_by_text("2 steps skipped as unchanged", exact=False).wait_for()
    assert "clean, report" in notice.inner_text()
    screenshot(page, "run-skipped-unchanged")
    page.goto("/assets/clean")
    page.get_by_test_id("staleness").get_by_text("fresh").wait_for()
