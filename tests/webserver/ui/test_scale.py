"""The UI at 10,000 assets, measured in Chromium: the lineage graph's first render, its pan/zoom
frame times and full redraws (2D canvas), the catalog's first rows and scrolling, and the first page's bundle size.
The figures go to .test-output/ui-scale.json (benchmarks/RESULTS.md records them); the assertions
compare with the idle frame time of the same page, so that a loaded machine does not fail the suite
while a broken renderer does."""

from __future__ import annotations

import gzip
import json
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from headwater.webserver.app import STATIC_DIR

from ..conftest import DevServer, start_dev, stop
from .conftest import OUTPUT, screenshot

ASSETS = 10_000
FIGURES: dict[str, Any] = {}


def project_source(assets: int) -> str:
    """A tree of assets (a{i} depends on a{i // 2}) in 10 groups: 14 ranks, 5,000 leaves."""
    return "\n".join(
        [
            "import headwater as hw",
            "",
            "def _make(i):",
            "    deps = [f'a{i // 2}'] if i else []",
            "    @hw.asset(name=f'a{i}', deps=deps, group_name=f'g{i % 10}', kinds={'python'})",
            "    def _a():",
            "        return None",
            "    return _a",
            "",
            f"defs = hw.Definitions(assets=[_make(i) for i in range({assets})])",
            "",
        ]
    )


@pytest.fixture(scope="module")
def big_dev(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[DevServer]:
    root = tmp_path_factory.mktemp("ui-scale")
    (root / "project").mkdir()
    (root / "project" / "defs.py").write_text(project_source(ASSETS))
    server = start_dev(root, "-f", "defs.py", "--no-daemon")
    try:
        yield server
    finally:
        stop(server.proc)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        (OUTPUT / "ui-scale.json").write_text(json.dumps(FIGURES, indent=2, sort_keys=True) + "\n")
        print("\nUI at 10,000 assets:", json.dumps(FIGURES, sort_keys=True))


@pytest.fixture
def big_page(browser: Any, big_dev: DevServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=big_dev.url)
    context.set_default_timeout(120_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


# rAF intervals while `step(i)` changes something each frame: what a user sees as frame times.
FRAMES_JS = """async ([kind, frames]) => {
  const g = window.__hwGraph;
  const list = document.querySelector('[data-testid="catalog-list"]');
  const box = document.querySelector('[data-testid="canvas-graph"]');
  const start = g && g.camera();
  const step = (i) => {
    if (kind === 'pan') g.setCamera({ ...start, x: start.x - (12 * i) / start.scale, y: start.y - (5 * i) / start.scale });
    else if (kind === 'zoom') {
      // Zoom in around the middle of the view, 4 % a frame.
      const scale = start.scale * Math.pow(1.04, i);
      const cx = start.x + box.clientWidth / 2 / start.scale;
      const cy = start.y + box.clientHeight / 2 / start.scale;
      g.setCamera({ scale, x: cx - box.clientWidth / 2 / scale, y: cy - box.clientHeight / 2 / scale });
    } else if (kind === 'scroll') list.scrollTop = i * 120;
  };
  const times = [];
  let last = performance.now();
  for (let i = 1; i <= frames; i++) {
    step(i);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  return times;
}"""

# The full redraw once the camera settles (the frames above move the drawn canvas): from its start
# until the frame after the one that shows it (so the rasterisation is counted, not only the script).
REDRAW_JS = """async (camera) => {
  const g = window.__hwGraph;
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const before = g.renders;
  if (camera) g.setCamera(camera);
  while (g.renders === before) await frame();
  await frame();
  await frame();
  return performance.now() - g.lastRenderAt;
}"""


def _frames(page: Any, kind: str, frames: int = 60) -> dict[str, float]:
    times = sorted(page.evaluate(FRAMES_JS, [kind, frames])[5:])  # the first frames warm up
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
    }


def _redraws(page: Any, camera: dict[str, float], runs: int = 5) -> float:
    """The median full redraw at `camera` (alternating with a slightly moved one, so each is new)."""
    moved = {**camera, "x": camera["x"] + 1}
    return round(
        statistics.median(page.evaluate(REDRAW_JS, moved if i % 2 else camera) for i in range(runs)), 1
    )


def test_lineage_of_10000_assets_renders_fast_and_pans_and_zooms_smoothly(big_page: Any) -> None:
    page = big_page
    page.goto("/lineage")
    page.wait_for_function(f"window.__hwGraph && window.__hwGraph.nodes === {ASSETS}", timeout=120_000)
    first = page.evaluate("window.__hwGraph.drawnAt")
    graph = page.get_by_test_id("graph")
    assert graph.get_attribute("data-renderer") == "canvas"
    catalog = page.evaluate(
        """performance.getEntriesByType('resource').filter(e => e.name.endsWith('/graphql'))
             .map(e => [e.duration, e.responseEnd]).reduce((a, b) => (b[0] > a[0] ? b : a), [0, 0])"""
    )
    FIGURES["lineage_first_render_ms"] = round(first)
    FIGURES["lineage_layout_ms"] = int(graph.get_attribute("data-layout-ms") or 0)
    FIGURES["lineage_layout_engine"] = graph.get_attribute("data-engine")
    FIGURES["lineage_slowest_graphql_ms"] = round(catalog[0])
    # From the catalog's answer to the first frame: rows → graph, the layout, the first full draw.
    FIGURES["lineage_after_catalog_ms"] = round(first - catalog[1])
    screenshot(page, "lineage-10000")
    # The same page doing nothing: what this machine's load alone costs a frame.
    FIGURES["idle_frames"] = _frames(page, "idle")
    FIGURES["lineage_pan_frames"] = _frames(page, "pan")
    FIGURES["lineage_zoom_frames"] = _frames(page, "zoom")
    # Once the camera stops, the view is drawn again in full: whole graph in sight, and names readable.
    page.get_by_label("Fit the graph").click()
    page.wait_for_timeout(300)
    fit = page.evaluate("window.__hwGraph.camera()")
    FIGURES["lineage_redraw_whole_ms"] = _redraws(page, fit)
    FIGURES["lineage_redraw_names_ms"] = _redraws(page, {**fit, "scale": 1.0})
    page.evaluate("(camera) => window.__hwGraph.setCamera(camera)", fit)
    page.wait_for_timeout(300)
    # A real drag and wheel over the canvas move the camera.
    before = page.evaluate("JSON.stringify(window.__hwGraph.camera())")
    box = page.get_by_test_id("canvas-graph").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 200, box["y"] + box["height"] / 2 + 80, steps=10)
    page.mouse.up()
    page.wait_for_timeout(600)
    renders = page.evaluate("window.__hwGraph.renders")
    page.mouse.wheel(0, -1100)
    page.wait_for_function(f"window.__hwGraph.renders > {renders}")  # drawn again once settled
    page.wait_for_timeout(300)
    assert page.evaluate("JSON.stringify(window.__hwGraph.camera())") != before
    screenshot(page, "lineage-10000-zoomed")
    # Find one asset among 10,000: Enter flies to it; a click selects it, a double-click opens it.
    page.get_by_label("Find in graph").fill("a9999")
    page.get_by_label("Find in graph").press("Enter")
    page.wait_for_function("window.__hwGraph.camera().scale > 0.99")
    page.wait_for_timeout(400)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    selection = page.get_by_test_id("graph-selection")
    selection.get_by_text("a9999", exact=True).wait_for()
    assert selection.get_by_role("button", name="Materialize selected").is_visible()
    screenshot(page, "lineage-10000-found")
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/assets/a9999")
    # Targets: first render < 2 s, frames < 50 ms (benchmarks/RESULTS.md, measured on a quiet machine).
    # Checked here against the idle frame of the same page, since the suite shares a 2-core machine
    # with other work and Chromium draws in software: a broken renderer still fails.
    idle = FIGURES["idle_frames"]["median_ms"]
    assert first < 60_000
    assert FIGURES["lineage_pan_frames"]["median_ms"] < 50 + 20 * idle
    assert FIGURES["lineage_zoom_frames"]["median_ms"] < 50 + 20 * idle


def test_catalog_of_10000_assets_lists_and_scrolls_fluidly(big_page: Any) -> None:
    page = big_page
    page.goto("/assets")
    page.locator("[data-asset]").first.wait_for()
    page.get_by_text(f"{ASSETS:,} of {ASSETS:,} assets").wait_for()
    FIGURES["catalog_first_rows_ms"] = round(page.evaluate("performance.now()"))
    rendered = page.locator("[data-asset]").count()
    assert 10 < rendered < 200, f"{rendered} rows in the DOM: the list is not virtualised"
    FIGURES["catalog_idle_frames"] = _frames(page, "idle")
    FIGURES["catalog_scroll_frames"] = _frames(page, "scroll", 90)
    page.get_by_label("Filter assets").fill("a9999")
    page.locator('[data-asset="a9999"]').wait_for()
    screenshot(page, "catalog-10000")
    assert (
        FIGURES["catalog_scroll_frames"]["median_ms"] < 50 + 20 * FIGURES["catalog_idle_frames"]["median_ms"]
    )


def test_the_first_page_is_small(big_page: Any) -> None:
    """The overview loads its own chunks only (code-split by route): under 1 MB gzipped."""
    page = big_page
    page.goto("/")
    page.get_by_text("Recent runs").wait_for()
    page.wait_for_load_state("networkidle")
    names = page.evaluate(
        "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.startsWith('/_ui/'))"
    )
    files = [STATIC_DIR / Path(p).relative_to("/") for p in names] + [STATIC_DIR / "index.html"]
    size = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    FIGURES["first_page_gzipped_kb"] = round(size / 1024, 1)
    FIGURES["first_page_files"] = len(files)
    assert size < 1024 * 1024
