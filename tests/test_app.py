"""The app's state through Streamlit's AppTest: toggles, filters, selection, the URL round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from apppages import page_first_script, start_page
from factory import DataFolder
from streamlit.testing.v1 import AppTest

from corridors.assemble import load_atlas
from corridors.geo.geometry import countries_crossed
from corridors.geo.routes import find_routes
from corridors.ui.downloads import FILES

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader])


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def test_opens_with_every_corridor_on_and_a_clean_url():
    at = start()
    shown = [c.label for c in at.checkbox if c.key.startswith("show_")]
    assert "Karakoram Highway" in shown and len(shown) == len(load_atlas().corridors)  # article's and connecting legs
    assert "China–Kyrgyzstan–Uzbekistan railway" in shown  # a way added by issue 17
    assert all(c.value for c in at.checkbox if c.key.startswith("show_"))
    assert dict(at.query_params) == {}
    assert not at.info  # nothing to warn about; the one-line lead says how to open the panel


def test_toggles_and_group_buttons_go_into_the_url():
    at = start()
    at.checkbox(key="show_kkh").uncheck().run()
    assert dict(at.query_params) == {"hide": "kkh"}  # one switched off: the shorter way to say it
    at.button(key="none_rail").click().run()
    hidden = at.query_params["hide"].split(",")
    assert (
        {"kkh", "ml1", "kti"} <= set(hidden) and "uzbek-rail-link" not in hidden and "corridors" not in at.query_params
    )
    at.button(key="none_road").click().run()
    at.button(key="none_connecting").click().run()
    at.checkbox(key="show_kti").check().run()
    assert dict(at.query_params) == {"corridors": "kti"}  # one switched on: named
    at.button(key="all_rail").click()
    at.button(key="all_road").click()
    at.button(key="all_connecting").click().run()
    assert "corridors" not in at.query_params and "hide" not in at.query_params


GIS_LABELS = [label for label, _, _ in FILES.values()]


def test_filters_go_into_the_url_and_the_download():
    at = start()
    at.multiselect(key="f_status").set_value(["operational"]).run()
    at.multiselect(key="f_country").set_value(["KAZ"]).run()
    assert at.query_params["status"] == "operational" and at.query_params["country"] == "KAZ"
    [download] = [b for b in at.get("download_button") if "(GeoJSON)" in b.proto.label]  # beside it: GIS files
    atlas = load_atlas(Path(APP).parent / "geodata")
    crossing_kaz = [
        cid
        for cid in atlas.corridors
        if any(code == "KAZ" for r in atlas.route_ids(cid) for code, _ in countries_crossed(atlas, r))
    ]
    assert set(crossing_kaz) == {"kti", "elb", "china-road-link", "kyrgyz-road-link", "uzbek-rail-link"}
    kaz_segments = len(
        {s.id for cid in crossing_kaz for s in atlas.corridor_segments(cid) if s.status == "operational"}
    )
    assert download.proto.label == f"Download the {kaz_segments} segments shown (GeoJSON)"


def test_selecting_a_corridor_shows_its_facts_and_excerpts():
    at = start()
    at.selectbox(key="selected").set_value("kkh").run()
    page = texts(at)
    assert at.query_params["selected"] == "kkh"
    assert "Karakoram Highway" in [s.value for s in at.subheader]
    assert "Pakistan" in page and "China" in page and "Length — drawn:** 898 km" in page
    assert "1,300 km for the whole route as drawn" in page  # only the whole-route figure is the headline
    assert "Operational 898 km" in page  # km by status
    assert "undated" in page  # the seed article has no published date
    assert "either via the Karakoram Highway \\(CPEC\\)" in page  # the excerpt (markdown-escaped)
    assert "Pakistan\\-Kazakhstan Relations Are Very Promising" in page and "Voice of East" in page


def test_published_lengths_read_right_for_every_corridor():
    """Only whole-route figures make the headline; a range where sources disagree; sections folded."""
    at = start()
    expected = {
        "elb": "no figure found for the whole route as drawn",
        "kti": "908–934.5 km for the whole route as drawn",
        "pakafuz": "573–764 km for the whole route as drawn",  # the agreed Kharlachi route (issue 17)
        "rail-via-iran": "no figure found for the whole route as drawn",
        "ml1": "1,687–1,872 km for the whole route as drawn",
    }
    for cid, text in expected.items():
        at.selectbox(key="selected").set_value(cid).run()
        assert text in texts(at), cid
    at.selectbox(key="selected").set_value("kti").run()
    assert "Published lengths of sections and other measures (17)" in [e.proto.label for e in at.expander]
    assert "1,520 → 1,435 mm (break of gauge)" in str(at.dataframe[0].value.to_dict())


def test_a_shared_url_restores_the_view():
    query = {
        "corridors": "kkh,kti",
        "status": "operational",
        "overlays": "eco",
        "basemap": "CartoDB.Positron",
        "selected": "kti",
    }
    at = start(query)
    assert at.checkbox(key="show_kkh").value and not at.checkbox(key="show_elb").value
    assert at.multiselect(key="f_status").value == ["operational"]
    assert at.checkbox(key="overlay_eco").value and not at.checkbox(key="overlay_nodes").value
    assert at.selectbox(key="basemap").value == "CartoDB.Positron"
    assert at.selectbox(key="selected").value == "kti"
    assert "Kazakhstan–Turkmenistan–Iran railway" in [s.value for s in at.subheader]
    assert dict(at.query_params) == query


def test_a_data_folder_with_problems_still_opens_with_a_warning(tmp_path, monkeypatch):
    world = DataFolder()
    world.segment("border-btown")["properties"]["status"] = "dreamt"
    monkeypatch.setenv("CORRIDORS_DATA", str(world.write(tmp_path / "d")))
    at = start()
    assert "1 problem" in at.warning[0].value
    assert "unknown status 'dreamt'" in at.code[0].value
    assert [c.label for c in at.checkbox if c.key.startswith("show_")] == ["Alpha Railway"]


ARTICLES_FIRST = page_first_script("ARTICLES", "MAP")


def start_articles(query: dict) -> AppTest:
    """The Articles page, opened as a link would open it."""
    return start_page(ARTICLES_FIRST, query)


SEED = "pakistan-kazakhstan-relations"


def article_html(at) -> str:
    return "".join(h.proto.body for h in at.get("html") if "article-body" in h.proto.body)


def test_articles_page_lists_articles_and_highlights_mentions():
    at = start_articles({})
    [table] = at.dataframe
    assert list(table.value["title"]) == ["Pakistan-Kazakhstan Relations Are Very Promising"]
    assert list(table.value["corridors linked"]) == [7]
    assert at.query_params["article"] == SEED
    html = article_html(at)
    assert 'href="/?selected=kkh"' in html and ">Karakoram Highway</a>" in html
    labels = [link.label for link in at.get("page_link")]
    assert "Karakoram Highway" in labels and "Eurasian Land Bridge through Kazakhstan" in labels


def test_a_link_to_an_excerpt_marks_it():
    at = start_articles({"article": SEED, "excerpt": "2-223-404"})
    assert '<span class="excerpt focused" id="x-2-223-404"' in article_html(at)


def test_the_map_panel_links_each_excerpt_in_context():
    at = start({"selected": "pakafuz"})
    links = [link for link in at.get("page_link") if link.label == "Read in context"]
    assert len(links) == 3
    assert links[1].proto.page.endswith("articles")
    assert f"article={SEED}&excerpt=2-223-404" in links[1].proto.query_string


def test_uploaded_article_is_linked_for_the_session_only(tmp_path, monkeypatch):
    world = DataFolder()
    data = world.write(tmp_path / "d")
    monkeypatch.setenv("CORRIDORS_DATA", str(data))
    before = sorted(p.name for p in (data / "articles").iterdir())
    at = start_articles({})
    at.file_uploader[0].upload("mine.txt", b"My title\nThe Alpha Railway reached Btown.\n", "text/plain")
    at.run()
    assert not at.exception
    assert "1 linked excerpt" in at.success[0].value
    assert at.selectbox(key="article_choice").value == "my-title"  # opened at once
    assert 'href="/?selected=alpha"' in article_html(at)
    assert at.query_params["article"] == "my-title"
    assert sorted(p.name for p in (data / "articles").iterdir()) == before  # nothing written


def test_a_bad_upload_is_refused_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDORS_DATA", str(DataFolder().write(tmp_path / "d")))
    at = start_articles({})
    at.file_uploader[0].upload("bad.txt", b"\xff\xfe\x00binary", "text/plain")
    at.run()
    assert "cannot be read as an article" in at.error[0].value
    assert "bad.txt: line 1: is not UTF-8 text (byte 0xff at offset 0)" in at.code[0].value


def test_an_article_added_from_the_command_line_shows_on_the_map_without_restart(tmp_path, monkeypatch):
    from corridors.cli import run

    data = DataFolder().write(tmp_path / "d")
    monkeypatch.setenv("CORRIDORS_DATA", str(data))
    at = start({"selected": "alpha"})
    assert "Later news" not in texts(at)
    source = tmp_path / "later.md"
    source.write_text(
        "---\ntitle: Later news\noutlet: Gazette\n---\n\nThe Alpha Railway doubled its trains.\n", encoding="utf-8"
    )
    assert run(["add-article", str(source), "--data", str(data)]) == 0
    at.run()
    page = texts(at)
    assert "The Alpha Railway doubled its trains\\." in page and "Later news · Gazette" in page


def test_a_link_followed_within_the_session_sets_the_view():
    at = start()
    at.checkbox(key="show_kkh").uncheck().run()
    at.query_params.clear()
    at.query_params["selected"] = "elb"
    at.run()
    assert at.selectbox(key="selected").value == "elb"
    assert at.checkbox(key="show_kkh").value  # the link's view: everything else at its default
    assert dict(at.query_params) == {"selected": "elb"}


def test_opens_without_countries_and_with_an_undrawable_corridor(tmp_path, monkeypatch):
    world = DataFolder()
    world.corridors.append(
        {
            "id": "ghost",
            "name": "Ghost line",
            "mode": "rail",
            "status": "proposed",
            "description": "Nothing drawn.",
            "segments": ["no-such-segment"],
            "as_of": "2020",
            "status_source": "test",
        }
    )
    data = world.write(tmp_path / "d")
    (data / "countries.geojson").unlink()
    monkeypatch.setenv("CORRIDORS_DATA", str(data))
    at = start({"selected": "ghost", "overlays": "nodes,countries,org"})
    assert "Ghost line" in [s.value for s in at.subheader]
    assert "countries.geojson: file: is missing" in at.code[0].value


def test_a_selection_that_leaves_the_data_is_dropped(tmp_path, monkeypatch):
    world = DataFolder()
    world.corridors.append(
        {
            "id": "beta",
            "name": "Beta line",
            "mode": "rail",
            "status": "planned",
            "description": "Second.",
            "segments": ["border-btown"],
            "as_of": "2020",
            "status_source": "test",
        }
    )
    data = world.write(tmp_path / "d")
    monkeypatch.setenv("CORRIDORS_DATA", str(data))
    at = start()
    at.selectbox(key="selected").set_value("beta").run()
    world.corridors.pop()
    world.write(data)
    at.run()
    assert not at.exception
    assert at.selectbox(key="selected").value == ""
    assert "selected" not in at.query_params


def test_links_from_an_article_show_the_corridor_even_if_the_map_hid_it():
    from corridors.maps.viewstate import default_state

    at = start_articles({})
    ids = load_atlas(Path(APP).parent / "geodata").corridors
    at.session_state["_view"] = default_state(ids).with_(
        corridors=("elb",), statuses=("planned",), basemap="OpenStreetMap.Mapnik"
    )
    at.run()
    [kkh] = [link for link in at.get("page_link") if link.label == "Karakoram Highway"]
    query = dict(pair.split("=", 1) for pair in kkh.proto.query_string.split("&"))
    assert query["selected"] == "kkh" and query["basemap"] == "OpenStreetMap.Mapnik"
    assert query["corridors"] == "kkh%2Celb" or query["corridors"] == "kkh,elb"
    assert "status" not in query  # 'planned only' would have hidden the operational KKH
    assert 'href="/?corridors=kkh%2Celb' in article_html(at)


def test_connecting_legs_have_their_own_switches():
    at = start()
    group = next(e for e in at.expander if e.label.startswith("Connecting legs"))
    legs = [c for c in load_atlas().corridors.values() if c.role == "connecting"]
    assert group.label == f"Connecting legs ({len(legs)})" and len(legs) == 7
    at.button(key="none_connecting").click().run()
    assert not at.checkbox(key="show_kyrgyz-road-link").value and at.checkbox(key="show_kkh").value
    assert "kyrgyz-road-link" in at.query_params["hide"].split(",") and "kkh" not in at.query_params["hide"]


ROUTES_FIRST = page_first_script("ROUTES", "MAP", "ARTICLES")


def start_routes(query: dict) -> AppTest:
    return start_page(ROUTES_FIRST, query)


def test_routes_page_compares_pakistan_and_kazakhstan_by_default():
    at = start_routes({})
    assert [t.value for t in at.title] == ["Compare routes"]
    assert dict(at.query_params) == {"from": "PAK", "to": "KAZ"}
    table = next(d for d in at.dataframe if "countries" in d.value.columns)  # (the ranking comes first)
    assert len(table.value) == len(find_routes(load_atlas(), "PAK", "KAZ").routes)
    assert set(table.value["countries"]) >= {
        "PAK → CHN → KAZ",
        "PAK → AFG → UZB → KAZ",
        "PAK → IRN → TKM → KAZ",
        "PAK → CHN → KGZ → UZB → KAZ",  # the CKU railway (issue 17)
        "PAK → AFG → TKM → KAZ",  # the western Trans-Afghan line (issue 17)
    }
    assert [d.proto.label for d in at.get("download_button")] == [
        "Download the comparison (CSV)",
        "Download the ways (GeoJSON)",
        *GIS_LABELS,  # the ways' segments as GeoPackage, CSV, KML (issue 20)
    ]
    assert any("Zahedan: 1,676 mm → 1,435 mm" in m.value for m in at.markdown)


def test_routes_page_state_comes_from_and_goes_to_the_url():
    at = start_routes({"from": "Pakistan", "to": "kaz", "mode": "rail", "way": "way-2"})
    assert at.selectbox(key="r_mode").value == "rail" and at.radio(key="r_way").value == "way-2"
    assert dict(at.query_params) == {"from": "PAK", "to": "KAZ", "mode": "rail", "way": "way-2"}
    assert (
        len(next(d for d in at.dataframe if "countries" in d.value.columns).value)
        == len(find_routes(load_atlas(), "PAK", "KAZ", "rail").routes)
        >= 3
    )
    at.selectbox(key="r_mode").set_value("road").run()
    assert at.query_params["mode"] == "road" and "way" not in at.query_params  # way-2 of rail is gone
    at.button(key="r_swap").click().run()
    assert at.query_params["from"] == "KAZ" and at.query_params["to"] == "PAK"


def test_routes_page_names_unknown_ends_and_unreachable_ones(world, tmp_path, monkeypatch):
    at = start_routes({"from": "Narnia"})
    assert "unknown country or place 'Narnia'" in at.warning[0].value and "Kazakhstan \\(KAZ\\)" in at.warning[0].value
    assert at.query_params["from"] == "PAK"
    monkeypatch.setenv("CORRIDORS_DATA", str(world.write(tmp_path / "d")))
    at = start_routes({"from": "BBB", "to": "AAA", "mode": "road"})
    assert "no way from Bland to Aland by road" in at.info[0].value


def test_country_filter_connects_two_countries_through_a_chain_of_corridors():
    at = start()
    assert at.radio(key="f_country_match").value == "any"
    at.radio(key="f_country_match").set_value("connects").run()
    assert "Pick two countries" in texts(at)
    at.multiselect(key="f_country").set_value(["PAK", "KAZ"]).run()
    assert at.query_params["country_match"] == "connects" and at.query_params["country"] == "KAZ,PAK"
    label = at.get("download_button")[0].proto.label
    chain = {"kkh", "pakafuz", "kti", "rail-via-iran", "china-road-link", "kyrgyz-road-link", "uzbek-rail-link"}
    # issue 17's ways: the CKU railway (with Andijan–Tashkent), the western Trans-Afghan line (with the Turkmen
    # leg), and what the roundabout ways over them use (the Chinese railways and the Land Bridge)
    chain |= {"cku-railway", "fergana-rail-link", "trans-afghan-west", "turkmen-rail-link", "china-rail-link", "elb"}
    atlas = load_atlas(Path(APP).parent / "geodata")
    drawn = {s.id for cid in chain for s in atlas.corridor_segments(cid)}
    assert label == f"Download the {len(drawn)} segments shown (GeoJSON)"  # not ML-1 nor the CPEC alignments
    crosses = start({"country": "KAZ,PAK"})  # "crosses any of": every corridor in either country
    assert crosses.get("download_button")[0].proto.label != label


def test_country_match_round_trips_through_the_url():
    at = start({"country": "AFG,UZB", "country_match": "connects"})
    assert at.radio(key="f_country_match").value == "connects"
    assert at.multiselect(key="f_country").value == ["AFG", "UZB"]
    assert dict(at.query_params) == {"country": "AFG,UZB", "country_match": "connects"}
