"""The exported HTML in Chromium from file:// (every other request blocked), and labels on the app's map."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import CHROMIUM, ROOT, block_internet, streamlit_server
from factory import HOSTILE
from test_exports import hostile_briefing_world

from corridors.assemble import load_atlas
from corridors.exports import htmlfile

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture
def file_page(browser, request):
    """A page that may load file:// URLs only; every other request is blocked and remembered."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    blocked: list[str] = []

    def handle(route):
        if route.request.url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        pg.screenshot(path=str(ROOT / "test-artifacts" / f"{request.node.name}.png"))
    context.close()
    assert blocked == [], f"the file tried to make requests: {blocked}"
    assert pg.errors == [], pg.errors


@pytest.fixture(scope="module")
def shipped():
    return load_atlas(ROOT / "geodata")


def _centre(pg):
    return pg.evaluate("() => { const c = window.atlasMap.getCenter(); return [c.lat, c.lng]; }")


def test_briefing_plays_from_file_with_the_keys(file_page, shipped, tmp_path):
    briefing = next(iter(shipped.briefings.values()))
    path = tmp_path / "briefing.html"
    path.write_bytes(htmlfile.briefing_html(shipped, briefing))
    pg = file_page
    pg.goto(path.as_uri())
    first, second = briefing.stops[0], briefing.stops[1]
    expect(pg.locator("#stop-title")).to_have_text(first.title)
    expect(pg.locator("#progress")).to_have_text(f"Stop 1 of {len(briefing.stops)}")
    expect(pg.locator("#excerpts blockquote").first).to_be_visible()
    expect(pg.locator("path.leaflet-interactive").first).to_be_attached()
    expect(pg.locator(".atlas-label-corridor").first).to_be_attached()
    before = _centre(pg)
    pg.keyboard.press("ArrowRight")
    expect(pg.locator("#stop-title")).to_have_text(second.title)
    expect(pg.locator("#progress")).to_have_text(f"Stop 2 of {len(briefing.stops)}")
    assert _centre(pg) != before  # the map moved to the stop's view
    pg.keyboard.press("PageUp")
    expect(pg.locator("#stop-title")).to_have_text(first.title)
    pg.keyboard.press("End")
    expect(pg.locator("#progress")).to_have_text(f"Stop {len(briefing.stops)} of {len(briefing.stops)}")
    pg.keyboard.press("Home")
    pg.keyboard.press("PageDown")
    expect(pg.locator("#stop-title")).to_have_text(second.title)
    pg.keyboard.press("n")
    expect(pg.locator("#notes-text")).to_be_visible()
    assert pg.url.endswith("#stop=2")
    pg.goto(path.as_uri() + "#stop=3")  # a link to a stop opens on it
    pg.reload()
    expect(pg.locator("#stop-title")).to_have_text(briefing.stops[2].title)


def test_atlas_file_toggles_a_layer_and_shows_facts(file_page, shipped, tmp_path):
    path = tmp_path / "atlas.html"
    path.write_bytes(htmlfile.atlas_html(shipped))
    pg = file_page
    pg.goto(path.as_uri())
    expect(pg.locator("path.leaflet-interactive").first).to_be_attached()
    drawn = pg.locator("body").get_attribute("data-drawn").split(",")
    assert "kkh" in drawn and len(drawn) == len(shipped.corridors)
    paths = pg.locator("path.leaflet-interactive").count()
    pg.locator('input[data-corridor="kkh"]').uncheck()
    expect(pg.locator("body")).not_to_have_attribute("data-drawn", ",".join(drawn))
    assert "kkh" not in pg.locator("body").get_attribute("data-drawn").split(",")
    assert pg.locator("path.leaflet-interactive").count() < paths
    expect(pg.locator("#legend-body")).not_to_contain_text("Karakoram Highway")
    pg.locator('input[data-corridor="kkh"]').check()
    expect(pg.locator("#legend-body")).to_contain_text("Karakoram Highway")
    pg.get_by_role("button", name="About Karakoram Highway").click()
    expect(pg.locator("#facts h2")).to_have_text("Karakoram Highway")
    expect(pg.locator("#facts")).to_contain_text("Published lengths")


def test_hostile_text_runs_nothing_in_the_file(file_page, tmp_path):
    atlas = load_atlas(hostile_briefing_world().write(tmp_path / "d"))
    path = tmp_path / "evil.html"
    path.write_bytes(htmlfile.briefing_html(atlas, atlas.briefings["evil"]))
    pg = file_page
    pg.goto(path.as_uri())
    expect(pg.locator("#stop-title")).to_have_text("Stop " + HOSTILE)
    expect(pg.locator("#excerpts blockquote")).to_contain_text(HOSTILE)
    expect(pg.locator(".legend-row").first).to_contain_text(HOSTILE)
    pg.locator("#notes summary").click()
    expect(pg.locator("#notes-text")).to_have_text("Note " + HOSTILE)
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert pg.locator("#side img, #bar img").count() == 0
    assert pg.dialogs == []


def test_labels_on_the_app_map_at_the_default_view(browser):
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with streamlit_server() as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        blocked: list[str] = []
        block_internet(context, blocked)
        pg = context.new_page()
        pg.goto(url)
        frame = pg.frame_locator('iframe[title^="Map of the"]')
        for kind, name in (("country", "Kazakhstan"), ("corridor", "Karakoram Highway"), ("place", "Karachi")):
            label = frame.locator(f".atlas-label-{kind}", has_text=name)
            expect(label.first).to_have_css("visibility", "visible", timeout=30_000)
        assert frame.locator(".atlas-label-icon[tabindex], .atlas-label-icon.leaflet-interactive").count() == 0
        context.close()
        assert blocked == []
