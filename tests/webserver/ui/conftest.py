"""The web UI in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright, against
``headwater dev`` on a test project. The UI must be built first (scripts/test does it: ``npm ci`` and
``npm run build`` in ui/ when ui/ changed); screenshots go to .test-output/screenshots/ for review."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from headwater.webserver.app import STATIC_DIR

from ..conftest import DEFS, DevServer, served

CHROMIUM = os.environ.get("HEADWATER_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
OUTPUT = ROOT / ".test-output"
SCREENSHOTS = OUTPUT / "screenshots"

# The webserver tests' project (schedules and sensors join it when the API has them).
UI_DEFS = DEFS


def _require_ui() -> None:
    if not (STATIC_DIR / "index.html").is_file():
        pytest.fail(
            f"The web UI is not built ({STATIC_DIR}/index.html is missing): run scripts/test, which builds "
            "it, or `cd ui && npm ci && npm run build`.",
            pytrace=False,
        )
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: scripts/test installs it (apt-get install -y chromium).",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def ui_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    _require_ui()
    yield from served(tmp_path_factory, "ui", UI_DEFS, daemon=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_ui()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--enable-unsafe-swiftshader",
                "--use-angle=swiftshader",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


class Console:
    """Console errors and uncaught exceptions of a page (a test fails when there are any)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, ui_dev: DevServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=ui_dev.url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    console = Console()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    try:
        yield page
        if request.node.stash.get(_FAILED, False):
            screenshot(page, "FAILED-" + re.sub(r"[^\w.-]+", "_", request.node.name))
    finally:
        context.close()
    assert console.errors == [], "the page logged errors:\n" + "\n".join(console.errors)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
