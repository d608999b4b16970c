"""WCAG 2.1 AA in the browser: axe-core on every page (and inside the map's iframe), and the keyboard path.

axe-core comes from the npm registry into tests/node_modules (scripts/test.sh installs it from
tests/package-lock.json) and is injected with Playwright; nothing is fetched from a CDN. To check a new
page, add its URL path to PAGES; `assert_accessible(page, url)` works on any page of any server.
"""

from __future__ import annotations

import re

import pytest
from a11y import audit, axe_available
from test_browser import MAP_FRAME, expect, page  # noqa: F401 (fixtures)

from corridors.ui import a11y

pytestmark = pytest.mark.skipif(not axe_available(), reason="axe-core is not installed: cd tests && npm ci")

SEED = "pakistan-kazakhstan-relations"
SLOW = 30_000  # a cold server on a busy 2-core machine
# Every page of the app, in the states a reader meets: (URL path, what shows once it has finished drawing).
PAGES = [
    ("/", "map"),
    ("/?selected=kkh", "map"),
    ("/?selected=elb&overlays=nodes,countries,eco,sco,csto&basemap=OpenStreetMap.Mapnik", "map"),
    ("/articles", "article"),
    (f"/articles?article={SEED}&excerpt=2-223-404", "article"),
    ("/articles?article=no-such-article", "warning"),
    ("/routes?from=PAK&to=KAZ&mode=rail", "map"),
    ("/?asof=2014-12&selected=kti", "map"),
    ("/timeline", "chart"),
    ("/routes?from=PAK&to=KAZ&asof=2025-01", "map"),
    ("/present", "list"),
    ("/present?briefing=pakistan-kazakhstan-connectivity&stop=2", "map"),
]


def wait_drawn(pg, what: str) -> None:
    """Wait until the script has run and what the page shows is drawn (no fixed sleep)."""
    expect(pg.locator('[data-test-script-state="notRunning"]')).to_be_attached(timeout=SLOW)
    if what == "map":
        expect(pg.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first).to_be_attached(timeout=SLOW)
    elif what == "chart":
        expect(pg.locator('[data-testid="stVegaLiteChart"] [role="graphics-symbol"]').first).to_be_attached(
            timeout=SLOW
        )
    elif what == "list":
        expect(pg.get_by_role("heading", level=1)).to_be_visible()
    elif what == "article":
        pg.wait_for_function("() => window.__corridorClicks === true")
        expect(pg.locator(".article-body")).to_be_visible()
    else:
        expect(pg.get_by_test_id("stAlertContainer").first).to_be_visible()
    # the page's own styles (a11y.page_style, drawn by Streamlit's HTML element, whose code the browser fetches
    # when it first meets one) have arrived: the caption colour is theirs, not Streamlit's paler grey
    captions = pg.get_by_test_id("stCaptionContainer")
    if captions.count():
        hex_colour = a11y.CAPTION_COLOUR
        rgb = "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))
        expect(captions.first).to_have_css("color", rgb, timeout=SLOW)


def assert_accessible(pg, url: str, what: str = "map") -> None:
    """Open `url`, wait for it to draw, and fail with axe-core's serious or critical violations, if any."""
    pg.goto(url)
    wait_drawn(pg, what)
    problems = audit(pg)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("path", "what"), PAGES, ids=[p for p, _ in PAGES])
def test_no_serious_or_critical_wcag_violation(server, page, path, what):  # noqa: F811
    assert_accessible(page, server + path, what)
    if what == "map":  # the map's own document was audited too (audit skips only blank frames)
        inner = page.locator(MAP_FRAME).element_handle().content_frame()
        assert inner in page.frames and inner.url not in ("", "about:blank")
    page.blocked.clear()  # the OpenStreetMap case asks for tiles, and is refused: expected


def test_axe_finds_what_it_should(server, page):  # noqa: F811
    """The check can fail: a nameless button and grey-on-white text are reported."""
    page.goto(server + "/articles")
    wait_drawn(page, "article")
    page.evaluate("""() => { const main = document.querySelector('[data-testid="stMain"]');
        main.insertAdjacentHTML('afterbegin', '<button id="bad"></button><p style="color:#aaa">faint</p>'); }""")
    found = "\n".join(audit(page))
    assert "button-name" in found and "color-contrast" in found


def test_the_map_page_has_a_lead_and_the_map_a_name(server, page):  # noqa: F811
    page.goto(server)
    wait_drawn(page, "map")
    expect(page.get_by_role("heading", level=1)).to_have_text("South–Central Asia transport corridors")
    expect(page.get_by_text("Click a line", exact=False)).to_be_visible()
    expect(page.locator('iframe[title="Map of the transport corridors"]')).to_have_count(1)
    # screen readers get names without Markdown escapes
    expect(page.get_by_role("checkbox", name="ML-1 railway (Karachi–Peshawar Main Line)", exact=True)).to_be_attached()
    expect(page.get_by_role("checkbox", name="Places (cities, crossings, passes, ports)", exact=True)).to_be_attached()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path="test-artifacts/map-1366x768.png")


def test_the_keyboard_passes_the_map_in_a_few_steps_and_selects_a_corridor(server, page):  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(server)
    wait_drawn(page, "map")
    expect(page.frame_locator(MAP_FRAME).locator(".node-icon").first).to_be_attached()
    frame = page.locator(MAP_FRAME).content_frame
    # nothing drawn on the map (places, lines, country shapes) is a Tab stop
    stops = frame.locator("body").evaluate(
        "() => [...document.querySelectorAll('.leaflet-marker-icon, path.leaflet-interactive')]"
        ".filter(e => e.tabIndex >= 0).length"
    )
    assert stops == 0
    # from the basemap box, Tab leaves the map behind within a few presses (container, zoom, attribution)
    page.get_by_role("combobox", name="Basemap").focus()
    for presses in range(1, 15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") != "IFRAME" and presses > 1:
            break
    assert presses <= 8, f"{presses} Tab presses to get past the map"  # zoom +/−, fullscreen, attribution links
    # the keyboard path to select a corridor: the sidebar's labelled box, reached with Tab from the page's start
    # (body.focus() would not do: Tab goes on from the last focused element, here past the map)
    page.get_by_test_id("stSkipToContent").focus()
    box = page.get_by_role("combobox", name="Selected corridor")
    for _ in range(12):
        page.keyboard.press("Tab")
        if box.evaluate("e => e === document.activeElement"):
            break
    expect(box).to_be_focused()
    page.keyboard.type("Kazakhstan–Turkmenistan")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kazakhstan–Turkmenistan–Iran railway")).to_be_visible(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"selected=kti"))


def test_the_present_page_has_one_h1_on_each_view_and_its_map_a_name(server, page):  # noqa: F811
    page.goto(server + "/present")
    wait_drawn(page, "list")
    expect(page.get_by_role("heading", level=1)).to_have_text("Present a briefing")
    page.get_by_role("link", name="Pakistan and Kazakhstan, connected").click()
    expect(page.locator('iframe[title="Map of the briefing\'s stop"]')).to_have_count(1, timeout=SLOW)
    wait_drawn(page, "map")
    # the list's link puts the stop into the address bar (else the next key press went back to the list)
    expect(page).to_have_url(re.compile(r"briefing=pakistan-kazakhstan-connectivity&stop=1$"))
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_count(1)
    first = h1.inner_text()
    inner = page.locator(MAP_FRAME).element_handle().content_frame()
    assert inner.evaluate("() => [document.documentElement.lang, document.title]") == ["en", f"Map: {first}"]
    # the keyboard still steps: → on the page goes to the next stop, whose title is the new h1
    page.locator("body").press("ArrowRight")
    expect(page).to_have_url(re.compile(r"stop=2$"), timeout=SLOW)
    expect(h1).to_have_count(1)
    expect(h1).not_to_have_text(first)
