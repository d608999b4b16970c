"""The production layout in a real browser: through nginx the map draws, toggles in place, and an
uploaded article reaches the process that holds the session (sticky cookie, XSRF check passed).

Debian's Chromium, driven by Playwright, with every request to a host other than localhost blocked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, block_internet
from servelayout import serve_layout

from corridors.serve import nginx

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

layout = serve_layout  # the fixture (tests/servelayout.py)
MAP_FRAME = 'iframe[title^="Map of the"]'  # the map page's map, as named by corridors/ui/a11y.py
ARTICLE = """---
title: A test article about the railway
---
The Kazakhstan-Turkmenistan-Iran railway carried more freight this year.
"""


@pytest.fixture
def page(layout, request):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        blocked: list[str] = []
        block_internet(context, blocked)
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        yield pg
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            out = Path(__file__).resolve().parent.parent / "test-artifacts"
            out.mkdir(exist_ok=True)
            pg.screenshot(path=str(out / f"{request.node.name}.png"), full_page=True)
        cookies = {c["name"] for c in context.cookies()}
        browser.close()
        assert blocked == [], f"the page tried to reach the internet: {blocked}"
        assert nginx.COOKIE in cookies  # the sticky cookie was set


def test_through_the_proxy_the_map_draws_and_a_toggle_swaps_layers_in_place(layout, page):
    page.goto(layout["url"])
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=30_000)
    page.locator(MAP_FRAME).content_frame.locator("body").evaluate("() => { window.__sameMap = true; }")
    page.get_by_test_id("stSidebar").get_by_text("Karakoram Highway", exact=True).click()
    expect(page.get_by_role("checkbox", name="Karakoram Highway")).not_to_be_checked()
    page.wait_for_function(
        """() => { const f = document.querySelector('iframe[title^="Map of the"]');
                   const w = f && f.contentWindow; if (!w || !w.map) return false;
                   let kkh = false; w.map.eachLayer(l => { if (l.feature && l.feature.properties
                     && l.feature.properties.corridor === 'kkh') kkh = true; });
                   return !kkh; }""",
        timeout=30_000,
    )
    assert page.locator(MAP_FRAME).content_frame.locator("body").evaluate("() => window.__sameMap") is True


def test_through_the_proxy_an_uploaded_article_reaches_its_session(layout, page, tmp_path):
    article = tmp_path / "railway.md"
    article.write_text(ARTICLE, encoding="utf-8")
    page.goto(layout["url"] + "/articles")
    page.get_by_text("Read your own article").click()
    page.locator("input[type=file]").set_input_files(str(article))
    expect(page.get_by_text("A test article about the railway").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("linked excerpt(s)")).to_be_visible()
