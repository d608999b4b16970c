"""An uploaded GeoJSON in Chromium (issue 20): drawn over the corridors, clicked for its (escaped) attributes,
then removed. Internet blocked, waits with expect."""

from __future__ import annotations

import json
from pathlib import Path

import a11y
import pytest
from browser import CHROMIUM
from factory import HOSTILE
from test_browser import page  # noqa: F401 (the page fixture)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=15_000)  # a first render takes seconds on this shared 2-core machine

MAP_FRAME = 'iframe[title^="Map of the"] >> visible=true'
OWN = "path.leaflet-interactive[stroke='#000000']"  # the first own layer's colour; no corridor is black
PORTS = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": HOSTILE, "kind": "port"},
                "geometry": {"type": "Point", "coordinates": [66.99, 24.85]},
            }
        ],
    }
).encode()


def test_an_uploaded_geojson_is_drawn_clicked_and_removed(server, page):  # noqa: F811
    page.goto(server)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.locator("input[type=file]").set_input_files(
        files=[{"name": "ports.geojson", "mimeType": "application/geo+json", "buffer": PORTS}]
    )
    expect(sidebar.get_by_text("ports.geojson: added 1 features (Point)")).to_be_visible(timeout=30_000)
    expect(page.locator(".corridor-legend")).to_contain_text("ports (your layer, 1 features)")
    marker = frame.locator(OWN)
    expect(marker).to_have_count(1)
    marker.click()  # a real click: own layers lie above the places' and names' markers
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(HOSTILE)  # shown as text: escaped, nothing of it ran
    expect(popup).to_contain_text("port")
    assert frame.locator("body").evaluate("() => window.__pwned === undefined")
    assert page.dialogs == []
    if a11y.axe_available():  # the layer's switch, colour and remove button are named (WCAG 2.1 AA)
        assert a11y.audit(page) == []
    sidebar.get_by_role("button", name="Remove ports").click()
    expect(frame.locator(OWN)).to_have_count(0)
    expect(page.locator(".corridor-legend")).not_to_contain_text("your layer")
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()  # the corridors stay
