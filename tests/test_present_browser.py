"""The presentation page in Chromium, every request off this machine blocked: the map fills the window,
the keys step through the stops, and the map is fitted to each stop's view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, ROOT, block_internet

from corridors.assemble import load_atlas

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

BID = "pakistan-kazakhstan-connectivity"
MAP = ".st-key-present_map iframe"
T = 30_000  # ms: the first visitor waits for the atlas to load, on a busy 2-core machine

# True once the map in the page's iframe is fitted to the box: the box is inside the map's bounds and the
# map is at the largest zoom that shows it (Leaflet's own getBoundsZoom).
_FITTED = """([s, w, n, e]) => {
  const f = document.querySelector('.st-key-present_map iframe');
  const m = f && f.contentWindow && f.contentWindow.corridorMap;
  if (!m || !m._loaded) return false;
  const L = f.contentWindow.L, b = m.getBounds(), box = L.latLngBounds([s, w], [n, e]);
  return b.contains(box) && m.getZoom() === m.getBoundsZoom(box, false, L.point(f.contentWindow.corridorFitPadding));
}"""


@pytest.fixture(scope="module")
def stops():
    return load_atlas(ROOT / "geodata").briefings[BID].stops


def open_page(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    blocked: list[str] = []
    block_internet(context, blocked)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    return context, pg, blocked


def expect_stop(pg, stops, n: int) -> None:
    expect(pg.locator(".st-key-present_head")).to_contain_text(f"stop {n} of {len(stops)}", timeout=T)
    expect(pg.locator(".st-key-present_head h1")).to_have_text(stops[n - 1].title, timeout=T)
    assert pg.url.endswith(f"briefing={BID}&stop={n}")
    pg.wait_for_function(_FITTED, arg=list(stops[n - 1].view.box))


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_map_fills_the_window_and_keys_step_through_the_stops(browser, server, stops, size):
    width, height = size
    context, pg, blocked = open_page(browser, width, height)
    try:
        pg.goto(f"{server}/present?briefing={BID}&stop=1")
        expect(pg.frame_locator(MAP).locator("path.leaflet-interactive").first).to_be_attached(timeout=T)
        expect_stop(pg, stops, 1)
        assert pg.locator(MAP).bounding_box() == {"x": 0, "y": 0, "width": width, "height": height}
        size_in_frame = pg.evaluate(
            "() => document.querySelector('.st-key-present_map iframe').contentWindow.corridorMap.getSize()"
        )
        assert size_in_frame == {"x": width, "y": height}
        for hidden in ('[data-testid="stSidebar"]', 'header[data-testid="stHeader"]'):
            expect(pg.locator(hidden)).to_be_hidden(timeout=T)
        pg.screenshot(path=str(ROOT / "test-artifacts" / f"present-{width}x{height}.png"))

        pg.keyboard.press("ArrowRight")
        expect_stop(pg, stops, 2)
        pg.keyboard.press("PageDown")
        expect_stop(pg, stops, 3)
        pg.keyboard.press("End")
        expect_stop(pg, stops, len(stops))
        pg.screenshot(path=str(ROOT / "test-artifacts" / f"present-last-{width}x{height}.png"))
        pg.keyboard.press("PageUp")
        expect_stop(pg, stops, len(stops) - 1)
        pg.keyboard.press("Home")
        expect_stop(pg, stops, 1)
        # with the focus on the map (a click into it), the keys still step, and do not pan the map
        pg.frame_locator(MAP).locator(".leaflet-container").click(position={"x": width // 2, "y": height // 2})
        pg.keyboard.press("ArrowRight")
        expect_stop(pg, stops, 2)
        pg.frame_locator(MAP).locator(".leaflet-container").click(position={"x": width // 2, "y": height // 2})
        pg.keyboard.press("ArrowLeft")
        expect_stop(pg, stops, 1)
        # after switching the speaker notes on (the focus on the toggle), the keys still step
        pg.locator(".st-key-present_notes_on label").click()
        expect(pg.locator(".st-key-present_text")).to_contain_text("Land Bridge", timeout=T)
        pg.keyboard.press("PageDown")
        expect_stop(pg, stops, 2)
    finally:
        context.close()
    assert blocked == [], f"the page tried to reach the internet: {blocked}"


def test_the_buttons_step_too(browser, server, stops):
    context, pg, blocked = open_page(browser, 1280, 720)
    try:
        pg.goto(f"{server}/present?briefing={BID}&stop=4")
        expect_stop(pg, stops, 4)
        pg.locator(".st-key-present_next button:visible").click()
        expect_stop(pg, stops, 5)
        expect(pg.locator(".st-key-present_next button:visible")).to_be_disabled(timeout=T)
        pg.keyboard.press("Home")  # the keys still work after a stop's map was replaced
        expect_stop(pg, stops, 1)
        # after leaving, the keys are the other page's again (the listener stays, but takes nothing)
        pg.get_by_role("link", name="Leave").click()
        expect(pg).not_to_have_url(re.compile("present"), timeout=T)
        expect(pg.locator(MAP_PAGE_FRAME)).to_be_attached(timeout=T)
        pg.evaluate("() => document.addEventListener('keydown', (e) => { window.__prevented = e.defaultPrevented; })")
        pg.keyboard.press("ArrowRight")
        assert pg.evaluate("() => window.__prevented") is False
    finally:
        context.close()
    assert blocked == []


MAP_PAGE_FRAME = 'iframe[title="Map of the transport corridors"]'  # the map page's (the Present map has its own name)

MAP_PAGE_FRAME = 'iframe[title="Map of the transport corridors"]'  # the map page's, as named by corridors/ui/a11y.py (the Present page's map is "Map of the briefing's stop")


def _map_page(pg, url: str):
    pg.goto(url)
    frame = pg.frame_locator(MAP_PAGE_FRAME)
    try:
        expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=T)
    except AssertionError:
        pg.screenshot(path=str(ROOT / "test-artifacts" / "map-page-failed.png"))
        raise
    return frame, pg.frame_locator(MAP_PAGE_FRAME).owner.element_handle().content_frame()


def test_a_map_page_link_keeps_pan_and_zoom(browser, server):
    context, pg, blocked = open_page(browser, 1400, 1000)
    try:
        _, frame = _map_page(pg, f"{server}/?selected=kti")
        frame.evaluate("() => window.map.setView([40.5, 60.25], 7, {animate: false})")
        pg.wait_for_url("**view=40.5%2C60.25%2C7**")
        assert "selected=kti" in pg.url
        shared = pg.url
        other = context.new_page()
        _, frame2 = _map_page(other, shared)
        other.wait_for_function("() => true")
        frame2.wait_for_function(
            "() => window.map.getZoom() === 7 && Math.abs(window.map.getCenter().lat - 40.5) < 1e-3"
            " && Math.abs(window.map.getCenter().lng - 60.25) < 1e-3"
        )
    finally:
        context.close()
    assert blocked == []


# Places outside the land drawn before world.geojson (lon 34–100, lat 12–58): Ankara, Riyadh, Beijing, Cairo.
FAR_PLACES = [(39.93, 32.86), (24.71, 46.68), (39.90, 116.40), (30.04, 31.24)]
_LAND_AT = """([lat, lng]) => {
  if (!document.getElementById('probe-land')) {  // only the land takes the probe (it takes no clicks)
    const s = document.createElement('style');
    s.id = 'probe-land';
    s.textContent = 'path { pointer-events: none !important } path[fill="#efece4"] { pointer-events: auto !important }';
    document.head.appendChild(s);
  }
  const p = window.map.latLngToContainerPoint([lat, lng]), box = window.map.getContainer().getBoundingClientRect();
  const el = document.elementFromPoint(box.left + p.x, box.top + p.y);
  return el ? (el.getAttribute('fill') || el.tagName) : null;
}"""


def test_the_offline_basemap_has_land_far_from_the_corridors_and_a_fullscreen_button(browser, server):
    context, pg, blocked = open_page(browser, 1920, 1080)
    try:
        page_frame, frame = _map_page(pg, f"{server}/")
        frame.evaluate("() => window.map.setView([35, 75], 3, {animate: false})")
        for place in FAR_PLACES:
            assert frame.evaluate(_LAND_AT, list(place)) == "#efece4", place
        page_frame.locator(".corridor-fullscreen a").click()
        frame.wait_for_function("() => document.fullscreenElement === window.map.getContainer()")
        frame.wait_for_function("() => window.map.getSize().y === window.innerHeight")
        for place in FAR_PLACES + [(-15.79, -47.88)]:  # the land is redrawn at the new size (Brasília: seen only now)
            frame.wait_for_function("(p) => (" + _LAND_AT + ")(p) === '#efece4'", arg=list(place))
        pg.screenshot(path=str(ROOT / "test-artifacts" / "map-fullscreen-1920x1080.png"))
        page_frame.locator(".corridor-fullscreen a").click()
        frame.wait_for_function("() => document.fullscreenElement === null")
    finally:
        context.close()
    assert blocked == []


def test_the_stop_downloads_as_a_1920x1080_png_and_the_briefing_as_html(browser, server, stops, tmp_path):
    import struct

    context, pg, blocked = open_page(browser, 1920, 1080)
    try:
        pg.goto(f"{server}/present?briefing={BID}&stop=2")
        expect_stop(pg, stops, 2)
        pg.get_by_role("button", name="Download").click()
        with pg.expect_download(timeout=60_000) as png:
            pg.get_by_role("button", name="This stop as a PNG (1920×1080)").click()
        assert png.value.suggested_filename == f"{BID}-02.png"
        head = Path(png.value.path()).read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (1920, 1080)
        with pg.expect_download(timeout=60_000) as html:
            pg.get_by_role("button", name="The briefing as one HTML file (plays offline)").click()
        text = Path(html.value.path()).read_text(encoding="utf-8")
        assert html.value.suggested_filename == f"{BID}.html" and stops[0].title in text
        expect_stop(pg, stops, 2)  # still on the same stop
    finally:
        context.close()
    assert blocked == []
