"""The map page draws from its pack (maps/pack.py, atlasmap.js) in offline Chromium: the names are placed in
the order labels.map_labels gives (what the Present page and the exports draw), the pack is fetched once
however often the view changes, and a pack that cannot be fetched is said on the map."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import CHROMIUM
from test_browser import MAP_FRAME, drawn_corridors, map_frame, page  # noqa: F401 (the page fixture)

from corridors.assemble import load_atlas
from corridors.maps import labels, pack
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parent.parent


def pack_address(pg) -> str:
    script = (
        pg.locator(MAP_FRAME)
        .content_frame.locator("body")
        .evaluate("() => [...document.scripts].map(s => s.textContent).join('\\n')")
    )
    return re.search(r'window\.atlasMap\.land\(map_div, ("/app/static/atlas/[^"]+")\)', script).group(1)


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"selected": "kkh"},
        {"corridors": ("kkh", "cpec-western", "ml1")},
        {"asof": "2014-12"},
        {"countries": ("AFG", "UZB"), "country_match": "crosses"},
        {"labels": "large", "statuses": ("operational",)},
    ],
)
def test_the_map_places_the_same_names_in_the_same_order_as_the_exports(server, page, change):  # noqa: F811
    page.goto(server)
    map_frame(page)
    atlas = load_atlas(ROOT / "geodata")
    data = MapData(atlas)
    state = default_state(atlas.corridors).with_(**change)
    view = pack.view_message(data, state)
    found = (
        page.locator(MAP_FRAME)
        .content_frame.locator("body")
        .evaluate(
            f"() => window.atlasMap.names({pack_address(page)}, {json.dumps(view)})"
            ".then(ls => ls.map(l => [l.k, l.t, l.p, l.z]))"
        )
    )
    expected = [[lb["k"], lb["t"], lb["p"], lb["z"]] for lb in labels.labels_payload(labels.map_labels(data, state))]
    assert found == expected


def test_the_pack_is_fetched_once_however_often_the_view_changes(server, page):  # noqa: F811
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/app/static/atlas/atlas-" in r.url else None)
    page.goto(server)
    map_frame(page)
    for _ in range(2):  # a corridor off, and on again
        page.get_by_test_id("stSidebar").get_by_text("Karakoram Highway", exact=True).click()
        page.wait_for_function(
            """() => { const f = document.querySelector('iframe[title="Map of the transport corridors"]');
                       const w = f && f.contentWindow; return !!(w && w.map); }"""
        )
        expect(page.locator('[data-test-script-state="notRunning"]')).to_be_attached()
    expect(page.get_by_role("checkbox", name="Karakoram Highway")).to_be_checked()
    page.wait_for_function(
        """() => { const w = document.querySelector('iframe[title="Map of the transport corridors"]').contentWindow;
                   let kkh = false; w.map.eachLayer(l => { if (l.feature && l.feature.properties
                     && l.feature.properties.corridor === 'kkh') kkh = true; }); return kkh; }"""
    )
    assert len(asked) == 1, asked


def test_a_pack_that_cannot_be_fetched_is_said_on_the_map(server, page):  # noqa: F811
    page.route("**/app/static/atlas/*.json", lambda route: route.fulfill(status=503, body="busy"))
    page.goto(server)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.get_by_role("alert")).to_contain_text("could not be loaded (HTTP 503)")
    expect(frame.get_by_role("alert")).to_contain_text("Reload the page")
    assert drawn_corridors(page) == set()
