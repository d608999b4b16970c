"""The map a user lands on (issue 22), with real input events in offline Chromium: zooming onto a place keeps
that place under the mouse and the URL says exactly the map's view; the map fills most of the window on a
laptop, a projector and a phone; the Routes map shows the countries."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser import CHROMIUM
from test_browser import MAP_FRAME, map_frame, page  # noqa: F401 (the page fixture)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=15_000)

GILGIT = (35.9208, 74.3144)  # the place's point in geodata/nodes.geojson (near enough: pixels are compared)


def leaflet(pg, script: str):
    """Run `script` (an expression over `map`) in the map's frame."""
    return pg.locator(MAP_FRAME).content_frame.locator("body").evaluate(f"() => {{ const map = window.map; {script} }}")


def pixel_of(pg, lat: float, lon: float) -> tuple[float, float]:
    x, y = leaflet(pg, f"const p = map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y];")
    return x, y


def page_point(pg, lat: float, lon: float) -> tuple[float, float]:
    box = pg.locator(MAP_FRAME).bounding_box()
    x, y = pixel_of(pg, lat, lon)
    return box["x"] + x, box["y"] + y


def map_view(pg) -> tuple[float, float, int]:
    lat, lon, zoom = leaflet(pg, "const c = map.getCenter(); return [c.lat, c.lng, map.getZoom()];")
    return round(lat, 4), round(lon, 4), int(zoom)


def url_view(pg) -> tuple[float, float, int] | None:
    values = parse_qs(urlparse(pg.url).query).get("view")
    if not values:
        return None
    lat, lon, zoom = values[0].split(",")
    return float(lat), float(lon), int(zoom)


def settled(pg) -> None:
    """The script has run (the rerun that the map's report caused, if any) and Leaflet is not animating."""
    expect(pg.locator('[data-test-script-state="notRunning"]')).to_be_attached()
    pg.locator(MAP_FRAME).content_frame.locator("body").evaluate(
        "() => new Promise(done => { const check = () => { const map = window.map, box = map && map.getContainer(); "
        "(!map || map._animatingZoom || (map._panAnim && map._panAnim._inProgress) "
        "|| map.getSize().x !== box.clientWidth || map.getSize().y !== box.clientHeight) "
        "? requestAnimationFrame(check) : done(); }; check(); })"
    )


def wait_url_matches_map(pg) -> None:
    """The URL's view becomes the map's (the page records the user's view one round trip later)."""
    lat, lon, zoom = map_view(pg)
    expect(pg).to_have_url(re.compile(rf"view={lat:g}%2C{lon:g}%2C{zoom}(&|$)"))
    settled(pg)


def open_map(pg, server: str, width: int = 1600, height: int = 1000):
    pg.set_viewport_size({"width": width, "height": height})
    pg.goto(server)
    frame = map_frame(pg)
    settled(pg)
    return frame


def mouse_over_gilgit(pg):
    """Put the mouse on Gilgit (a whole page pixel): the map point under it, its pixel in the map, the mouse's."""
    x, y = (round(v) for v in page_point(pg, *GILGIT))
    leaflet(
        pg,
        "window.__mouse = null; map.getContainer().addEventListener('mousemove', e => { window.__mouse = "
        "map.mouseEventToContainerPoint(e); });",
    )
    pg.mouse.move(x - 1, y)
    pg.mouse.move(x, y)
    inside = leaflet(pg, "return window.__mouse && [window.__mouse.x, window.__mouse.y];")  # as Leaflet sees it
    lat, lon = leaflet(pg, f"const l = map.containerPointToLatLng([{inside[0]}, {inside[1]}]); return [l.lat, l.lng];")
    return (lat, lon), tuple(inside), (x, y)


def assert_under_mouse(pg, point: tuple[float, float], inside: tuple[float, float], tolerance: float = 2.0) -> None:
    now = pixel_of(pg, *point)
    assert abs(now[0] - inside[0]) <= tolerance and abs(now[1] - inside[1]) <= tolerance, (inside, now)


def test_a_wheel_turn_over_gilgit_keeps_gilgit_under_the_mouse_and_the_url_says_so(server, page):  # noqa: F811
    open_map(page, server)
    assert url_view(page) is None  # the first load leaves the address as it was: no first view recorded
    before_zoom = map_view(page)[2]
    point, inside, mouse = mouse_over_gilgit(page)
    page.mouse.wheel(0, -360)  # one fast turn: several zoom levels at once
    page.wait_for_function(f"() => document.querySelector('{MAP_FRAME}').contentWindow.map.getZoom() > {before_zoom}")
    wait_url_matches_map(page)
    assert_under_mouse(page, point, inside)
    assert url_view(page) == map_view(page)
    # a second turn from there keeps it too
    zoom = map_view(page)[2]
    page.mouse.wheel(0, -120)
    page.wait_for_function(f"() => document.querySelector('{MAP_FRAME}').contentWindow.map.getZoom() > {zoom}")
    wait_url_matches_map(page)
    assert_under_mouse(page, point, inside)
    assert url_view(page) == map_view(page)


def test_a_double_click_keyboard_and_set_view_each_keep_the_view_the_user_made(server, page):  # noqa: F811
    open_map(page, server)
    zoom = map_view(page)[2]
    point, inside, mouse = mouse_over_gilgit(page)
    page.mouse.dblclick(*mouse)
    page.wait_for_function(f"() => document.querySelector('{MAP_FRAME}').contentWindow.map.getZoom() === {zoom + 1}")
    # a double-click on the place is a click on it too: its panel opens beside the map, which keeps its left edge
    expect(page.get_by_role("heading", name=re.compile(r"^Gilgit"))).to_be_visible()
    settled(page)
    wait_url_matches_map(page)
    assert_under_mouse(page, point, inside)
    assert url_view(page) == map_view(page)
    # keyboard: the map focused, "+" zooms in around the centre
    centre = map_view(page)[:2]
    leaflet(page, "map.getContainer().focus();")
    page.keyboard.press("+")
    page.wait_for_function(f"() => document.querySelector('{MAP_FRAME}').contentWindow.map.getZoom() === {zoom + 2}")
    wait_url_matches_map(page)
    assert url_view(page)[:2] == pytest.approx(centre, abs=2e-3)
    # a script's setView (what a presenter's bookmarklet or a test would do)
    leaflet(page, "map.setView([35.92, 74.31], 8);")
    wait_url_matches_map(page)
    lat, lon, zoom = map_view(page)
    assert zoom == 8 and (lat, lon) == pytest.approx((35.92, 74.31), abs=3e-3)  # Leaflet keeps whole pixels
    assert url_view(page) == map_view(page)


def test_after_zooming_a_click_on_the_kkh_near_gilgit_opens_its_panel_and_a_click_on_gilgit_the_place(
    server,
    page,  # noqa: F811
):
    open_map(page, server)
    page.mouse.move(*page_point(page, *GILGIT))
    page.mouse.wheel(0, -360)
    page.wait_for_function(f"() => document.querySelector('{MAP_FRAME}').contentWindow.map.getZoom() >= 6")
    wait_url_matches_map(page)
    zoomed = map_view(page)
    # the KKH's drawn line next to Gilgit: the middle of its piece nearest to the place, on screen
    x, y = leaflet(
        page,
        f"""const g = map.latLngToContainerPoint([{GILGIT[0]}, {GILGIT[1]}]); let best = null;
        map.eachLayer(l => {{
          if (!l.feature || !l.feature.properties || l.feature.properties.corridor !== 'kkh' || !l.getLatLngs) return;
          const ll = l.getLatLngs().flat();
          for (let i = 0; i + 1 < ll.length; i++) {{
            const a = map.latLngToContainerPoint(ll[i]), b = map.latLngToContainerPoint(ll[i + 1]);
            const m = {{x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}}, d = Math.hypot(m.x - g.x, m.y - g.y);
            if (d > 25 && (!best || d < best.d)) best = {{x: m.x, y: m.y, d: d}};
          }}
        }});
        return [best.x, best.y];""",
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.get_by_role("heading", name="Karakoram Highway")).to_be_visible()
    expect(page).to_have_url(re.compile(r"selected=kkh"))
    settled(page)
    # the selection fits the map to the KKH (the one move the page makes); a click on the place opens it
    page.mouse.click(*page_point(page, *GILGIT))
    expect(page.get_by_role("heading", name=re.compile(r"^Gilgit"))).to_be_visible()
    assert zoomed[2] >= 6


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080), (390, 844)])
def test_the_map_takes_at_least_half_the_window_with_its_top_in_the_upper_third(server, page, width, height):  # noqa: F811
    def share() -> float:
        box = page.locator(MAP_FRAME).bounding_box()
        seen_w = max(0.0, min(box["x"] + box["width"], width) - max(box["x"], 0.0))
        seen_h = max(0.0, min(box["y"] + box["height"], height) - max(box["y"], 0.0))
        assert box["y"] <= height / 3, f"the map's top is at {box['y']:.0f} px of {height}"
        return seen_w * seen_h / (width * height)

    open_map(page, server, width, height)
    assert share() >= 0.5, f"{share():.2f} of {width}x{height}"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing cut off sideways
    if width >= 1366:  # a corridor's panel opens beside the map and leaves it that share
        page.goto(f"{page.url.split('?')[0]}?selected=kkh")
        map_frame(page)
        expect(page.get_by_role("heading", name="Karakoram Highway")).to_be_visible()
        box = page.get_by_role("heading", name="Karakoram Highway").bounding_box()
        assert box["x"] > page.locator(MAP_FRAME).bounding_box()["x"] + 300  # beside, not below
        assert share() >= 0.5, f"with the panel: {share():.2f} of {width}x{height}"


def test_the_routes_map_shows_country_borders_and_names(server, page):  # noqa: F811
    page.goto(f"{server}/routes?from=PAK&to=KAZ")
    frame = map_frame(page)
    expect(frame.get_by_text(re.compile(r"^kazakhstan$", re.I)).first).to_be_visible()
    expect(frame.get_by_text(re.compile(r"^pakistan$", re.I)).first).to_be_visible()
    borders = (
        page.locator(MAP_FRAME)
        .content_frame.locator("body")
        .evaluate(
            "() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties && "
            "l.feature.properties.iso3) n++; }); return n; }"
        )
    )
    assert borders >= 10  # the countries near the ways, each an outline under them
