"""What only a browser shows: the map draws, a click selects, a link restores, hostile text stays text.

Debian's Chromium, driven by Playwright, with every request to a host other than localhost blocked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, ROOT, block_internet, streamlit_server
from factory import HOSTILE, hostile_world

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
# Waits end as soon as the condition holds; 15 s (not Playwright's 5 s) because a first render takes 4–5 s
# when other work loads this 2-core machine (load average 10–18 measured while issue 8 was tested).
expect.set_options(timeout=15_000)

MAP_FRAME = 'iframe[title^="Map of the"]'  # any page's map, as named by corridors/ui/a11y.py


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    with streamlit_server(hostile_world().write(tmp_path_factory.mktemp("hostile"))) as url:
        yield url


@pytest.fixture
def page(browser, request):
    """A fresh browser context (as a new browser would be), internet blocked; screenshot on failure."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []
    block_internet(context, blocked)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.blocked = blocked
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        pg.screenshot(path=str(ROOT / "test-artifacts" / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert blocked == [], f"the page tried to reach the internet: {blocked}"


def map_frame(pg):
    frame = pg.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=30_000)  # a cold server under load
    return frame


_POINT_ON = """(cid) => {
  let pt = null;
  window.map.eachLayer((l) => {
    if (pt || !l.feature || !l.feature.properties || l.feature.properties.corridor !== cid || !l.getLatLngs) return;
    const ll = l.getLatLngs();
    if (ll.length < 2) return;
    const k = Math.floor((ll.length - 1) / 2);
    const a = window.map.latLngToContainerPoint(ll[k]), b = window.map.latLngToContainerPoint(ll[k + 1]);
    pt = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
  });
  return pt;
}"""


def corridor_point(pg, corridor_id: str) -> tuple[float, float]:
    """Page coordinates of the middle of one of the corridor's drawn segments, where Leaflet drew it."""
    frame_el = pg.locator(MAP_FRAME)
    point = frame_el.content_frame.locator("body").evaluate(f"() => ({_POINT_ON})('{corridor_id}')")
    assert point, f"no drawn segment of {corridor_id}"
    box = frame_el.bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def click_corridor(pg, corridor_id: str) -> None:
    pg.mouse.click(*corridor_point(pg, corridor_id))


def drawn_corridors(pg) -> set[str]:
    frame = pg.locator(MAP_FRAME).content_frame
    return set(
        frame.locator("body").evaluate(
            "() => { const s = new Set(); window.map.eachLayer(l => { if (l.feature && l.feature.properties"
            " && l.feature.properties.corridor) s.add(l.feature.properties.corridor); }); return [...s]; }"
        )
    )


def test_map_draws_every_corridor_offline(server, page):
    page.goto(server)
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container")).to_be_visible()
    assert frame.locator("path.leaflet-interactive").count() > 60
    assert drawn_corridors(page) == {
        "kkh",
        "cpec-western",
        "cpec-eastern",
        "ml1",
        "pakafuz",
        "kti",
        "rail-via-iran",
        "elb",
        "china-rail-link",
        "china-road-link",
        "kyrgyz-road-link",
        "uzbek-rail-link",
        # issue 17: the ways that opened or were agreed since, and their connecting legs
        "cku-railway",
        "trans-afghan-west",
        "khaf-herat",
        "chabahar-zahedan",
        "fergana-rail-link",
        "turkmen-rail-link",
        "chaman-rail-link",
    }
    expect(page.locator(".corridor-legend")).to_contain_text("Karakoram Highway")


def test_clicking_the_karakoram_highway_shows_its_excerpts(server, page):
    page.goto(server)
    map_frame(page)
    click_corridor(page, "kkh")
    expect(page.get_by_role("heading", name="Karakoram Highway")).to_be_visible()
    expect(page.get_by_text("either via the Karakoram Highway (CPEC)", exact=False)).to_be_visible()
    expect(page.get_by_text("Pakistan-Kazakhstan Relations Are Very Promising", exact=False).first).to_be_visible()
    expect(page).to_have_url(re.compile(r"selected=kkh"))


def test_a_shared_link_restores_the_view_in_a_new_browser(server, page):
    page.goto(f"{server}/?corridors=kkh,kti&status=operational&overlays=eco&selected=kti")
    map_frame(page)
    expect(page.get_by_role("heading", name="Kazakhstan–Turkmenistan–Iran railway")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Karakoram Highway")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Eurasian Land Bridge through Kazakhstan")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Economic Cooperation Organization members")).to_be_checked()
    assert drawn_corridors(page) == {"kkh", "kti"}
    expect(page.locator(".corridor-legend")).to_contain_text("Economic Cooperation Organization members")


def test_hostile_text_shows_as_text_and_runs_nothing(hostile_server, page):
    page.goto(f"{hostile_server}/?selected=alpha&overlays=nodes,countries,org")
    frame = map_frame(page)
    heading = page.get_by_role("heading", name=re.compile("Alpha"))
    expect(heading).to_contain_text("<script>window.__pwned=1</script>")
    expect(page.locator(".corridor-legend")).to_contain_text("<img src=x onerror=")
    expect(page.get_by_text("[click](javascript:alert(1))", exact=False)).to_be_visible()
    expect(page.get_by_text("problem(s)", exact=False)).to_be_visible()  # the javascript: url was refused
    page.mouse.move(*corridor_point(page, "alpha"))
    expect(frame.locator(".leaflet-tooltip").first).to_contain_text("<script>window.__pwned=1</script>")
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(MAP_FRAME).content_frame.locator("body").evaluate("() => window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0 and frame.locator("img[src='x']").count() == 0
    assert page.dialogs == []
    assert HOSTILE  # the string the data carried


SEED = "pakistan-kazakhstan-relations"


def test_clicking_a_mention_in_an_article_selects_that_corridor_on_the_map(server, page):
    page.goto(server)
    map_frame(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Eurasian Land Bridge through Kazakhstan", exact=True).click()  # the reader's own view
    expect(page).to_have_url(re.compile(r"hide=elb"))
    sidebar.get_by_role("link", name="Articles").click()
    mention = page.locator("a.mention", has_text="Karakoram Highway")
    expect(mention).to_have_attribute("href", re.compile(r"hide=elb.*selected=kkh"))  # even a new tab keeps the view
    page.wait_for_function("() => window.__corridorClicks === true")  # clicks stay in this session
    mention.click()
    map_frame(page)
    expect(page.get_by_role("heading", name="Karakoram Highway")).to_be_visible()
    expect(page).to_have_url(re.compile(r"selected=kkh"))
    expect(page.locator(MAP_FRAME).content_frame.locator("path[stroke='#ffd400']").first).to_be_attached()
    # the same session: the view the reader left is kept, with the corridor selected
    expect(page.get_by_role("checkbox", name="Eurasian Land Bridge through Kazakhstan")).not_to_be_checked()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_read_in_context_lands_on_the_sentence(server, page):
    page.goto(f"{server}/?selected=pakafuz")
    map_frame(page)
    links = page.get_by_role("link", name="Read in context")
    expect(links).to_have_count(3)
    links.nth(1).click()
    focused = page.locator(".excerpt.focused")
    expect(focused).to_have_text(re.compile(r"^Kazakh companies should therefore become more well aware"))
    expect(focused).to_be_in_viewport()
    expect(page).to_have_url(re.compile(r"articles\?article=pakistan-kazakhstan-relations&excerpt=2-223-404"))


def test_hostile_article_displays_as_text_and_runs_nothing(hostile_server, page):
    page.goto(f"{hostile_server}/articles?article=test-article")
    body = page.locator(".article-body")
    expect(body).to_contain_text("<script>window.__pwned=1</script><img src=x onerror=")
    expect(body).to_contain_text("`${window.__pwned=3}`")
    expect(page.get_by_role("heading", name=re.compile("^T <script>"))).to_be_visible()
    expect(page.get_by_role("link", name="original")).to_have_count(0)  # the javascript: url is not a link
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(".article-body img").count() == 0 and page.locator(".article-body script").count() == 0
    assert page.dialogs == []


def test_a_tile_basemap_without_internet_leaves_everything_else_working(server, page):
    page.goto(f"{server}/?basemap=OpenStreetMap.Mapnik&selected=elb")
    frame = map_frame(page)
    expect(frame.locator(".leaflet-tile").first).to_be_attached()  # tiles were asked for, and blocked
    expect(page.get_by_role("heading", name="Eurasian Land Bridge through Kazakhstan")).to_be_visible()
    assert len(drawn_corridors(page)) == 19  # with the 7 connecting legs
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    tile_hosts = {re.sub(r"^https://([^/]+)/.*$", r"\1", u) for u in page.blocked}
    assert tile_hosts == {"tile.openstreetmap.org"}
    page.blocked.clear()  # expected: only the optional basemap's tiles


def test_toggling_a_layer_updates_the_map_without_reloading_it(server, page):
    page.goto(server)
    map_frame(page)
    frame = page.locator(MAP_FRAME).content_frame
    frame.locator("body").evaluate("() => { window.__sameMap = true; }")
    page.get_by_test_id("stSidebar").get_by_text("Karakoram Highway", exact=True).click()
    expect(page.get_by_role("checkbox", name="Karakoram Highway")).not_to_be_checked()
    expect(page).to_have_url(re.compile(r"hide=kkh"))
    page.wait_for_function(
        """() => { const f = document.querySelector('iframe[title="Map of the transport corridors"]');
                   const w = f && f.contentWindow; if (!w || !w.map) return false;
                   let kkh = false; w.map.eachLayer(l => { if (l.feature && l.feature.properties
                     && l.feature.properties.corridor === 'kkh') kkh = true; });
                   return !kkh; }"""
    )
    assert frame.locator("body").evaluate("() => window.__sameMap") is True  # same iframe, not reloaded


def _open_from_sidebar(page, name: str, path: str) -> None:
    """Follow a page link in the sidebar once the current page's script has settled (a click that lands
    while a rerun is in flight can be overtaken by that rerun's own URL update)."""
    expect(page.locator('[data-test-script-state="notRunning"]')).to_be_attached()
    page.get_by_test_id("stSidebar").get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(path))


def test_the_view_survives_a_visit_to_the_articles_page(server, page):
    page.goto(server)
    map_frame(page)
    # the first load records no view (the map settles where the page sent it): switching pages right away is
    # not overtaken by a rerun that writes one (issue 22)
    expect(page.locator('[data-test-script-state="notRunning"]')).to_be_attached()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Eurasian Land Bridge through Kazakhstan", exact=True).click()
    expect(page).to_have_url(re.compile(r"hide=elb"))
    expect(page.get_by_role("checkbox", name="Eurasian Land Bridge through Kazakhstan")).not_to_be_checked()
    _open_from_sidebar(page, "Articles", r"/articles")
    expect(page.locator(".article-body")).to_be_visible()
    page.get_by_role("link", name="Kazakhstan–Turkmenistan–Iran railway").click()  # keeps the session
    expect(page.get_by_role("heading", name="Kazakhstan–Turkmenistan–Iran railway")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Karakoram Highway")).to_be_checked()
    map_frame(page)
    _open_from_sidebar(page, "Articles", r"/articles")
    expect(page.locator(".article-body")).to_be_visible()
    _open_from_sidebar(page, "Map", r"selected=kti")
    expect(page.get_by_role("heading", name="Kazakhstan–Turkmenistan–Iran railway")).to_be_visible()


def test_deep_yaml_upload_is_refused_and_the_server_keeps_answering(server, page, tmp_path):
    """Block YAML nested 20,000 deep in an uploaded article's front matter once killed the whole server."""
    import urllib.request

    article = tmp_path / "deep.md"
    article.write_text("---\ntitle: T\nx:\n" + "- " * 20_000 + "x\n---\n\nThe KKH reaches Kashgar.\n", encoding="utf-8")
    page.goto(f"{server}/articles")
    page.get_by_text("Read your own article").click()
    page.locator("input[type=file]").set_input_files(str(article))
    expect(page.get_by_text("This file cannot be read as an article:")).to_be_visible()
    expect(page.get_by_text("deep.md: line 4: nests lists or mappings more than 100 levels deep")).to_be_visible()
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=10) as resp:
        assert resp.status == 200
    page.goto(f"{server}/?selected=kkh")  # and the map still draws for the next reader
    map_frame(page)


VISIBLE_MAP = f"{MAP_FRAME} >> visible=true"  # while a rerun swaps the map in, the old iframe lingers hidden


def drawn_ways(pg) -> dict[str, float]:
    """Way id -> the line weight Leaflet drew it with."""
    frame = pg.locator(VISIBLE_MAP).content_frame
    return frame.locator("body").evaluate(
        "() => { const s = {}; window.map.eachLayer(l => { if (l.feature && l.feature.properties && l.options"
        " && l.feature.properties.way && l.options.weight) s[l.feature.properties.way] = l.options.weight; });"
        " return s; }"
    )


def test_routes_page_draws_every_way_and_a_link_restores_the_comparison(server, page):
    page.goto(f"{server}/routes?from=PAK&to=KAZ&mode=rail")
    expect(page.locator(VISIBLE_MAP)).to_be_visible(timeout=30_000)  # first visit: the page computes the ways
    frame = map_frame(page)
    expect(page.get_by_role("heading", name="Compare routes", level=1)).to_be_visible()
    expect(frame.locator(".route-mark-gauge").first).to_be_attached()
    assert set(drawn_ways(page)) == {"way-1", "way-2", "way-3", "way-4"}
    expect(frame.locator(".route-mark-label", has_text="Zahedan: 1,676 → 1,435 mm")).to_be_visible()
    expect(frame.locator(".route-mark-border .route-mark-label", has_text="Sarakhs")).to_be_visible()
    expect(page.get_by_role("combobox", name="Mode")).to_have_value("Rail only")
    table = page.locator('[data-testid="stDataFrame"]').nth(1)  # the side-by-side table (the ranking is first)
    table.scroll_into_view_if_needed()
    expect(table).to_be_visible()
    page.get_by_text("Way 3: Pakistan → Iran → Turkmenistan → Kazakhstan", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"way=way-3"))
    frame = page.frame_locator(VISIBLE_MAP)
    expect(frame.locator('path.leaflet-interactive[stroke-width="8"]').first).to_be_attached()  # redrawn
    weights = drawn_ways(page)
    assert weights["way-3"] > weights["way-1"]  # the highlighted way is drawn heavier
    url = page.url
    fresh = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    block_internet(fresh, page.blocked)
    other = fresh.new_page()
    other.goto(url)
    map_frame(other)
    expect(other.get_by_role("radio", name="Way 3: Pakistan → Iran → Turkmenistan → Kazakhstan")).to_be_checked()
    expect(other.get_by_role("combobox", name="From (country or place)")).to_have_value("Pakistan (PAK)")
    fresh.close()


def test_an_unknown_path_says_no_such_page_with_a_link_to_each_page(server, page):
    """As scripts/run.sh serves it (nginx answers these itself): not a blank page, not the map (issue 16)."""
    for path in ("/routes/extra/deeper?from=PAK", "/%2e%2e/%2e%2e/etc/passwd", "/nosuchpage"):
        answer = page.goto(server + path)
        assert answer.status == 404, path
        expect(page.get_by_role("heading", name="No such page")).to_be_visible()
        for title in ("Map", "Articles", "Routes", "Timeline", "Present"):
            expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
        expect(page.locator(MAP_FRAME)).to_have_count(0)
    page.get_by_role("link", name="Routes", exact=True).click()
    expect(page.get_by_role("heading", name="Compare routes")).to_be_visible(timeout=30_000)


def test_a_damaged_link_says_once_what_was_left_out_and_the_map_still_opens(server, page):
    """The note survives the reruns that follow the first load (the map's first report) (issue 16)."""
    page.goto(f"{server}/?view=91,181,99&selected=%3Cscript%3Ealert(1)%3C/script%3E&basemap=javascript:x&labels=999")
    map_frame(page)
    note = page.get_by_text("Parts of this link were not understood and were left out:")
    expect(note).to_be_visible()
    expect(page.locator('[data-test-script-state="notRunning"]')).to_be_attached()
    warning = page.get_by_test_id("stAlertContainer").filter(has_text="were not understood")
    for part in ("'view'", "'selected'", "'basemap'", "'labels'"):
        expect(warning).to_contain_text(part)
    expect(warning).to_contain_text("<script>")  # quoted as text, never run
    page.get_by_test_id("stSidebar").get_by_text("Karakoram Highway", exact=True).click()  # the reader moves on
    expect(page).to_have_url(re.compile(r"hide=kkh"))
    expect(note).to_have_count(0)
