"""Time in the browser: the map's date control changes the lines drawn and the URL, a timeline mark opens the
map at its date, and the HTML atlas file's own date control (from file://, every other request blocked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, ROOT
from test_browser import MAP_FRAME, map_frame, page  # noqa: F401 (the page fixture)
from test_export_browser import file_page  # noqa: F401 (the file_page fixture)

from corridors.assemble import load_atlas
from corridors.exports import htmlfile
from corridors.maps.mapdata import MapData

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=15_000)

_DRAWN_SEGMENTS = """() => { const f = document.querySelector('iframe[title^="Map of the"]');
  const w = f && f.contentWindow; if (!w || !w.map) return null; const s = new Set();
  w.map.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.segment)
    s.add(l.feature.properties.segment); });
  return [...s].sort(); }"""


def drawn_segments(pg) -> set[str]:
    return set(pg.evaluate(_DRAWN_SEGMENTS) or [])


def test_the_slider_changes_the_lines_drawn_and_the_url(server, page):  # noqa: F811
    page.goto(f"{server}/?asof=1996-04")
    frame = map_frame(page)
    expect(frame.locator(".asof-badge")).to_have_text("as of 1996-04")
    before = drawn_segments(page)
    assert "riv-mashhad-sarakhs" not in before and "kkh-gilgit-sost" in before  # opened 13 May 1996
    assert "kti-uzen-bolashak" not in before  # the KTI was agreed in 2007
    slider = page.get_by_role("slider", name="Network as of")
    expect(slider).to_have_attribute("aria-valuetext", "1996-04")
    expect(page.locator('[data-test-script-state="notRunning"]')).to_be_attached()
    slider.focus()
    page.keyboard.press("ArrowRight")  # a month on
    expect(page).to_have_url(re.compile(r"asof=1996-05"))
    expect(frame.locator(".asof-badge")).to_have_text("as of 1996-05")
    page.wait_for_function(f"() => ({_DRAWN_SEGMENTS})().includes('riv-mashhad-sarakhs')")
    after = drawn_segments(page)
    assert after - before == {"riv-mashhad-sarakhs", "riv-sarakhs-tejen"}, after - before
    page.screenshot(path=str(ROOT / "test-artifacts" / "map-asof-1996-05.png"))
    expect(page.locator('[data-test-script-state="notRunning"]')).to_be_attached()
    slider.focus()
    page.keyboard.press("End")  # the last announced date: the future, as announced dates say
    last = htmlfile.timebar.month_options(load_atlas(ROOT / "geodata"))[-1]
    if last == "2026-12":  # no announced date after today: the end is today, no asof in the URL, no badge
        expect(page).not_to_have_url(re.compile(r"asof="))
        expect(frame.locator(".asof-badge")).to_have_count(0)
    else:
        expect(page).to_have_url(re.compile(rf"asof={last}"))
        expect(frame.locator(".asof-badge")).to_have_text(f"as of {last} · if announced dates hold")
    page.wait_for_function(f"() => ({_DRAWN_SEGMENTS})().includes('kti-uzen-bolashak')")


def test_a_timeline_mark_opens_the_map_at_its_date(server, page):  # noqa: F811
    page.goto(f"{server}/timeline?corridors=kti")
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    mark = chart.locator('[role="graphics-symbol"][aria-label*="2014-12-03"]').first
    expect(mark).to_be_attached(timeout=30_000)
    page.screenshot(path=str(ROOT / "test-artifacts" / "timeline-kti.png"), full_page=True)
    mark.click(force=True)  # same-day events of several segments overlap: the one on top (same day) takes it
    card = page.locator(".st-key-timeline_picked")
    expect(card).to_contain_text("2014-12-03")
    expect(card.get_by_role("link", name=re.compile("tass.com"))).to_be_attached()
    card.get_by_role("link", name="Open the map as of 2014-12-03").click()
    expect(page).to_have_url(re.compile(r"/\?(.*&)?asof=2014-12-03"))
    frame = map_frame(page)
    expect(frame.locator(".asof-badge")).to_have_text("as of 2014-12-03")
    slider = page.get_by_role("slider", name="Network as of")
    expect(slider).to_have_attribute("aria-valuetext", "2014-12")


def test_the_html_atlas_file_has_the_same_date_control(file_page, tmp_path):  # noqa: F811
    atlas = load_atlas(ROOT / "geodata")
    path = tmp_path / "atlas.html"
    path.write_bytes(htmlfile.atlas_html(atlas))
    file_page.goto(path.as_uri())
    expect(file_page.locator("#asof-label")).to_have_text("today (2026-12)")
    today = int(file_page.locator("body").get_attribute("data-segments"))
    assert today == len(atlas.segments)
    expect(file_page.locator("#asof-badge")).to_be_hidden()
    months = htmlfile.timebar.month_options(atlas)
    file_page.locator("#asof").fill(str(months.index("1996-04")))  # a range input takes its value by fill
    expect(file_page.locator("#asof-label")).to_have_text("1996-04")
    expect(file_page.locator("#asof-badge")).to_have_text("as of 1996-04")
    early = int(file_page.locator("body").get_attribute("data-segments"))
    file_page.locator("#asof").fill(str(months.index("1996-05")))
    expect(file_page.locator("body")).to_have_attribute("data-segments", str(early + 2))  # Mashhad–Sarakhs–Tejen
    assert early < today
    file_page.screenshot(path=str(ROOT / "test-artifacts" / "export-asof-1996-05.png"))
    data = MapData(atlas)
    for month in ("1990-12", "2009-06", "2014-12", "2016-01"):  # the file's JS agrees with the app's map
        file_page.locator("#asof").fill(str(months.index(month)))
        expected = sum(1 for s in data.network_on(month).states.values() if s.exists)
        expect(file_page.locator("body")).to_have_attribute("data-segments", str(expected))
    file_page.locator("#asof").fill(str(len(months) - 2))
    file_page.locator("#asof-play").click()  # from there, a year a step: stops at the last month
    expect(file_page.locator("#asof-label")).to_have_text(months[-1] if months[-1] != "2026-12" else "today (2026-12)")
    expect(file_page.locator("#asof-play")).to_have_text("Play")  # stopped at the last month
