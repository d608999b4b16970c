"""What a reader does in the browser: click a place, choose among the corridors a mention names, go back.

At a laptop's 1366x768, where the map reaches below the window.
"""

from __future__ import annotations

import re

from a11y import audit, axe_available
from test_browser import MAP_FRAME, click_corridor, expect, page  # noqa: F401 (fixtures)

SEED = "pakistan-kazakhstan-relations"
SLOW = 20_000  # a click on the map reruns the script, sometimes twice; on a busy 2-core machine


def laptop(pg) -> None:
    pg.set_viewport_size({"width": 1366, "height": 768})


def place_marker(pg, node_id: str):
    """The marker Leaflet drew for a place (tagged here by its feature's id, for the locator)."""
    frame = pg.locator(MAP_FRAME).content_frame
    expect(frame.locator(".node-icon").first).to_be_attached(timeout=30_000)
    found = frame.locator("body").evaluate(
        """(body, id) => { let found = false; window.map.eachLayer(l => {
             if (l._icon && l.feature && l.feature.properties.node === id) { l._icon.dataset.node = id; found = true; } });
           return found; }""",
        node_id,
    )
    assert found, f"no marker for {node_id}"
    return frame.locator(f'[data-node="{node_id}"]')


def test_clicking_a_place_shows_it_and_its_corridors(server, page):  # noqa: F811
    laptop(page)
    page.goto(server)
    place_marker(page, "quetta").click()  # below the fold's edge: the click must not scroll the page away
    expect(page.get_by_role("heading", name="Quetta")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("City in Pakistan")).to_be_visible()
    expect(page.get_by_text("Source: ", exact=False)).to_be_visible()
    page.screenshot(path="test-artifacts/place-1366x768.png")
    if axe_available():
        assert audit(page) == []  # the place panel too
    page.get_by_role("button", name="Pakistan–Iran–Turkmenistan rail route").click()
    expect(page.get_by_role("heading", name="Pakistan–Iran–Turkmenistan rail route")).to_be_visible(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"selected=rail-via-iran"))
    place_marker(page, "mashhad").click()  # in the view fitted to that corridor; a corridor click then replaces it
    expect(page.get_by_role("heading", name="Mashhad")).to_be_visible(timeout=SLOW)
    click_corridor(page, "kti")
    expect(page.get_by_role("heading", name="Kazakhstan–Turkmenistan–Iran railway")).to_be_visible(timeout=SLOW)


def test_a_mention_naming_several_corridors_lets_the_reader_choose(server, page):  # noqa: F811
    laptop(page)
    page.goto(f"{server}/articles?article={SEED}")
    page.wait_for_function("() => window.__corridorClicks === true")
    mention = page.locator("a.mention-several-link", has_text="rail routes via Iran and Turkmenistan")
    expect(mention).to_have_attribute("aria-expanded", "false")
    mention.click()
    expect(mention).to_have_attribute("aria-expanded", "true")
    menu = page.locator(".mention-menu:visible")
    expect(menu.get_by_role("link")).to_have_text(
        ["Kazakhstan–Turkmenistan–Iran railway", "Pakistan–Iran–Turkmenistan rail route"]
    )
    expect(menu.get_by_role("link").first).to_be_focused()  # the keyboard is in the menu
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366  # inside the window
    page.screenshot(path="test-artifacts/several-1366x768.png")
    if axe_available():
        assert audit(page) == []  # with the menu open
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(mention).to_be_focused()
    page.keyboard.press("Enter")  # opens it again, from the keyboard
    page.locator(".mention-menu:visible").get_by_role("link", name="Kazakhstan–Turkmenistan–Iran railway").click()
    expect(page.get_by_role("heading", name="Kazakhstan–Turkmenistan–Iran railway")).to_be_visible(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"selected=kti"))


def test_back_from_the_map_returns_to_the_paragraph_in_one_press(server, page):  # noqa: F811
    laptop(page)
    page.goto(f"{server}/articles?article={SEED}")
    page.wait_for_function("() => window.__corridorClicks === true")
    page.locator("a.mention", has_text="PAKAFUZ").first.click()  # in paragraph 2
    expect(page.get_by_role("heading", name=re.compile("^Uzbekistan–Afghanistan–Pakistan railway"))).to_be_visible(
        timeout=SLOW
    )
    expect(page).to_have_url(re.compile(r"/\?selected=pakafuz$"))
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/articles\?article={SEED}&paragraph=2$"))  # no mixed URL
    expect(page.locator(".article-body")).to_be_visible()
    expect(page.locator("#para-2")).to_be_in_viewport()
    page.go_forward()  # and forward again to the map
    expect(page.get_by_role("heading", name=re.compile("^Uzbekistan–Afghanistan–Pakistan railway"))).to_be_visible(
        timeout=SLOW
    )


def test_an_unknown_article_says_so(server, page):  # noqa: F811
    page.goto(f"{server}/articles?article=no-such-article")
    expect(page.get_by_text("No article has the id", exact=False)).to_be_visible()
    expect(page.locator(".article-body")).to_have_count(0)
