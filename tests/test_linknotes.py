"""A damaged link: the reader is told once, on every page, which parts were not understood (AppTest)."""

from __future__ import annotations

import pytest
from apppages import page_first_script, start_page

from corridors.ui.linknotes import HEADING, message

MAP = page_first_script("MAP", "ARTICLES", "ROUTES", "PRESENT")
ROUTES = page_first_script("ROUTES", "MAP")
PRESENT = page_first_script("PRESENT", "MAP")
ARTICLES = page_first_script("ARTICLES", "MAP")
BID = "pakistan-kazakhstan-connectivity"
ARTICLE = "pakistan-kazakhstan-relations"


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def warnings(at) -> list[str]:
    return [w.value for w in at.warning if w.value.startswith(HEADING)]


DAMAGED_MAP_LINK = {
    "view": "91,181,99",
    "selected": "<script>alert(1)</script>",
    "basemap": "javascript:alert(1)",
    "labels": "999",
}


def test_the_map_says_what_in_its_link_was_not_understood_and_escapes_it():
    at = start_page(MAP, DAMAGED_MAP_LINK)
    expected = message(
        [
            "link parameter 'basemap': unknown basemap javascript:alert(1)",
            "link parameter 'selected': unknown corridor <script>alert(1)</script>",
            "link parameter 'labels': unknown label setting 999",
            "link parameter 'view': expected LAT,LON,ZOOM (zoom 2 to 14)",
        ]
    )
    assert warnings(at) == [expected]
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in expected and "javascript\\:alert" in expected


def test_the_note_survives_the_rerun_that_records_the_maps_view_and_goes_once_the_reader_moves_on():
    at = start_page(MAP, DAMAGED_MAP_LINK)
    [note] = warnings(at)
    at.query_params["view"] = "40,70,5"  # the rerun the map's first reported view causes
    at.run()
    assert warnings(at) == [note]
    at.run()
    assert warnings(at) == [note]
    at.checkbox(key="show_kkh").uncheck().run()  # the reader changes the view: said once is enough
    assert warnings(at) == []
    at.checkbox(key="show_kkh").check().run()
    assert warnings(at) == []


def test_a_huge_number_in_a_link_is_a_note_not_a_traceback():
    at = start_page(MAP, {"view": "1" * 5000 + ",2,3"})
    assert warnings(at) == [message(["link parameter 'view': expected LAT,LON,ZOOM (zoom 2 to 14)"])]
    at = start_page(PRESENT, {"briefing": BID, "stop": "9" * 5000})
    [note] = warnings(at)
    assert note == message(
        [f"link parameter 'stop': '{'9' * 40}'… is not a stop of this briefing (1 to 5); showing stop 1"]
    )


def test_the_same_place_twice_on_the_routes_page():
    at = start_page(ROUTES, {"from": "PAK", "to": "PAK"})
    assert warnings(at) == [
        message(["link parameters 'from' and 'to': both are Pakistan (PAK); choose two different places"])
    ]
    assert [i.value for i in at.info] == ["origin and destination are the same"]
    at.selectbox(key="r_to").select("KAZ").run()
    assert warnings(at) == []


def test_an_unknown_way_and_mode_on_the_routes_page():
    at = start_page(ROUTES, {"from": "PAK", "to": "KAZ", "mode": "boat", "way": "way-99"})
    assert warnings(at) == [
        message(
            [
                "link parameter 'mode': unknown mode 'boat'; expected one of either, road, rail",
                "link parameter 'way': 'way-99' is not one of the ways found; showing all",
            ]
        )
    ]
    at.run()
    assert len(warnings(at)) == 1


def test_an_article_link_to_no_excerpt_or_paragraph():
    at = start_page(ARTICLES, {"article": ARTICLE, "excerpt": "1-2-" + "3" * 5000, "paragraph": "x"})
    [note] = warnings(at)
    assert note == message(
        [
            f"link parameter 'excerpt': '1-2-{'3' * 36}'… is not an excerpt of this article (PARAGRAPH-START-END)",
            "link parameter 'paragraph': 'x' is not a paragraph of this article (0 to 5)",
        ]
    )
    assert "\n- link parameter 'paragraph'\\: 'x' is not a paragraph of this article \\(0 to 5\\)" in note


def test_a_note_is_one_escaped_line_each():
    text = message(["link parameter 'x': 'a\nb\u202ec' **bold** [link](javascript:x)"])
    assert text == (
        HEADING + "\n- link parameter 'x'\\: 'a\\\\u000ab\\\\u202ec' \\*\\*bold\\*\\* \\[link\\]\\(javascript\\:x\\)"
    )


@pytest.mark.parametrize(
    "path, page",
    [
        ("/", "map"),
        ("", "map"),
        ("/map", "map"),
        ("/routes", "routes"),
        ("/present/", "present"),
        ("/articles", "articles"),
    ],
)
def test_the_app_s_pages_by_path(path, page):
    from corridors.ui.links import page_of_path

    assert page_of_path(path).url_path == page


@pytest.mark.parametrize("path", ["/routes/extra/deeper", "/../../etc/passwd", "/nosuchpage", "/map/x", "/Map"])
def test_any_other_path_is_no_page(path):
    """app.py then shows "No such page" with a link to each page (nginx answers these itself)."""
    from corridors.ui.links import page_of_path

    assert page_of_path(path) is None
